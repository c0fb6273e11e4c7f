#!/bin/bash
# build --modules-from (issue 13, section 4) on a small upstream tree, dry
# run: the kernel's localmodconfig with the list as LSMOD, the check that
# the flavour's requested settings survive, the +quick version; then bad
# module lists. The real reduction runs in tests/e2e/test_build_6_1.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

UP=$KF_TMP/up
upstream_tree() {
    rm -rf "$UP" "$KF_TMP/pristine"
    mkdir -p "$UP/kflavour/tickless" "$UP/drivers/block" "$UP/fs/xfs"
    printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\n' >"$UP/Makefile"
    echo 'mainmenu "test"' >"$UP/Kconfig"
    printf 'obj-$(CONFIG_BLK_DEV_LOOP)\t+= loop.o\nobj-$(CONFIG_ZRAM) += \\\n\tzram/ \\\n\tnbd.o\n' >"$UP/drivers/block/Makefile"
    echo 'obj-$(CONFIG_XFS_FS) += xfs.o' >"$UP/fs/xfs/Makefile"
    printf 'CONFIG_NO_HZ_FULL=y\nCONFIG_BLK_DEV_LOOP=m\n# CONFIG_HZ_250 is not set\n' >"$UP/kflavour/tickless.config"
    printf 'CONFIG_NO_HZ_FULL=y\nCONFIG_BLK_DEV_LOOP=m\nCONFIG_XFS_FS=m\n' >"$UP/kflavour/tickless/amd64.config"
    cp -a "$UP" "$KF_TMP/pristine"
    TREE=$UP PRISTINE=$KF_TMP/pristine
}
[ "$(uname -m)" = x86_64 ] || { echo "skip: the dry runs assume an amd64 build machine"; exit 77; }

upstream_tree
LIST=$KF_TEST_DATA/modules/amd64-dell-r440.modules
"$KFLAVOUR" -C "$UP" --dry-run build --no-chroot --no-ccache --modules-from "$LIST" --out "$KF_TMP/out" \
    >"$KF_TMP/dry" 2>"$KF_TMP/dry.err" || { cat "$KF_TMP/dry.err"; fail "dry run"; }
want() { grep -qF -- "$1" "$KF_TMP/dry" || { cat "$KF_TMP/dry"; fail "dry run lacks: $1"; }; }
want "sh -c '\"\$@\" </dev/null' sh make -C $UP O=$KF_TMP/out/.work/obj-tickless ARCH=x86_64"
want "LSMOD=$KF_TMP/out/.work/lsmod-quick localmodconfig"
want "sh $KF_TMP/out/.work/quick-check-tickless.sh $KF_TMP/out/.work/obj-tickless/.config"
want "KDEB_PKGVERSION=6.1.0-1+quick"
# The list as localmodconfig reads it: lsmod's layout, every module of the file.
sed -n '/^file .*lsmod-quick:$/,/^helper /p' "$KF_TMP/dry" >"$KF_TMP/lsmod"
grep -qx 'Module                  Size  Used by' "$KF_TMP/lsmod" || fail "lsmod header"
[ "$(grep -c ' 0 0$' "$KF_TMP/lsmod")" = "$(grep -c . "$LIST")" ] || fail "not every module of the list is in LSMOD"
# The check names what the flavour requests.
want "grep -qxF CONFIG_BLK_DEV_LOOP=m \"\$c\""
want "grep -q '^CONFIG_HZ_250=' \"\$c\""
# localmodconfig comes after olddefconfig kept the resolved config, before the compile.
order=$(grep -n 'olddefconfig\|localmodconfig\|quick-check\|-j[0-9]' "$KF_TMP/dry" | grep -v '^.*helper' | cut -d: -f1 | tr '\n' ' ')
[[ $(grep -n 'olddefconfig' "$KF_TMP/dry" | head -1 | cut -d: -f1) -lt $(grep -n ' localmodconfig' "$KF_TMP/dry" | head -1 | cut -d: -f1) ]] ||
    fail "localmodconfig before olddefconfig ($order)"
grep -q "42 of 43 modules in the list are not built by this tree" "$KF_TMP/dry.err" || { cat "$KF_TMP/dry.err"; fail "no warning about unknown modules"; }
expect_unchanged "dry run"
pass "dry run: localmodconfig with the list, the requested-settings check, +quick version"

# Bad module lists: exit 2, the file (and line) named, the tree unchanged.
printf 'nosuchmod\nother-mod\n' >"$KF_TMP/none.modules"
expect_error 2 "none of the 2 modules in the list is built by this tree \(nosuchmod, other_mod\)" "no known module" -- \
    "$KFLAVOUR" -C "$UP" --dry-run build --no-chroot --modules-from "$KF_TMP/none.modules"
expect_unchanged "no known module"
printf 'Module                  Size  Used by\nloop 40960 0\nxfs three 1\n' >"$KF_TMP/bad.modules"
expect_error 2 "bad.modules:3: not an lsmod row or a module name" "bad lsmod row" -- \
    "$KFLAVOUR" -C "$UP" --dry-run build --no-chroot --modules-from "$KF_TMP/bad.modules"
printf 'loop\nfs/xfs.ko\n' >"$KF_TMP/path.modules"
expect_error 2 "path.modules:2: not a module name: 'fs/xfs.ko'" "a path" -- \
    "$KFLAVOUR" -C "$UP" --dry-run build --no-chroot --modules-from "$KF_TMP/path.modules"
printf '# nothing\n\n' >"$KF_TMP/empty.modules"
expect_error 2 "the module list names no module" "empty list" -- \
    "$KFLAVOUR" -C "$UP" --dry-run build --no-chroot --modules-from "$KF_TMP/empty.modules"
expect_error 2 "cannot read|No such file" "missing list" -- \
    "$KFLAVOUR" -C "$UP" --dry-run build --no-chroot --modules-from "$KF_TMP/missing.modules"
fresh_trees
expect_error 2 "none of the 43 modules in the list is built by this tree" "Ubuntu tree without the module" -- \
    "$KFLAVOUR" -C "$TREE" --dry-run build --no-chroot --modules-from "$LIST"
expect_unchanged "Ubuntu tree without the module"
pass "bad module lists: exit 2 naming file:line, trees unchanged"

# An Ubuntu tree (the focal fixture with a tickless flavour and one kbuild
# Makefile): Ubuntu's prepare-F makes and checks the full config, the
# kernel's localmodconfig reduces it where Ubuntu's rules build, the
# flavour's own annotations keys are checked, and the binary targets leave
# Ubuntu's annotations check of the reduced config alone.
export XDG_CACHE_HOME=$KF_TMP/cache
"$KFLAVOUR" -q -C "$TREE" new tickless --arch arm64 --no-resolve --def tickless
mkdir -p "$TREE/drivers/block"
printf 'obj-$(CONFIG_BLK_DEV_LOOP)\t+= loop.o\n' >"$TREE/drivers/block/Makefile"
rm -rf "$PRISTINE" && cp -a "$TREE" "$PRISTINE"
printf 'Module                  Size  Used by\nloop 40960 0\nnot_here 1 0\n' >"$KF_TMP/loop.modules"
"$KFLAVOUR" -C "$TREE" --dry-run build --host arm64 --flavour tickless --modules-from "$KF_TMP/loop.modules" \
    --out "$KF_TMP/uout" >"$KF_TMP/udry" 2>"$KF_TMP/udry.err" || { cat "$KF_TMP/udry.err"; fail "Ubuntu dry run"; }
SRC=$KF_TMP/uout/.work/src/tree
uwant() { grep -qxF -- "$1" "$KF_TMP/udry" || { cat "$KF_TMP/udry"; fail "Ubuntu dry run lacks: $1"; }; }
uwant "  sed -i '1s/(5\\.4\\.0-200\\.220+tickless1)/(5.4.0-200.220+tickless1+quick)/' $SRC/debian.master/changelog"
uwant "  (cd $SRC && dpkg-architecture -aarm64 -c fakeroot debian/rules prepare-tickless skipabi=true skipmodule=true skipdbg=true do_zfs=false do_dkms_wireguard=false disable_d_i=true do_doc_package=false WERROR=0 do_tools=true do_tools_usbip=false)"
uwant "  sh -c '\"\$@\" </dev/null' sh make -C $SRC O=$SRC/debian/build/build-tickless ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- LSMOD=$KF_TMP/uout/.work/lsmod-quick localmodconfig"
uwant "  sh $KF_TMP/uout/.work/quick-check-tickless.sh $SRC/debian/build/build-tickless/.config"
uwant "  (cd $SRC && dpkg-architecture -aarm64 -c fakeroot debian/rules -o config-prepare-check-tickless binary-headers binary-tickless binary-perarch skipabi=true skipmodule=true skipdbg=true do_zfs=false do_dkms_wireguard=false disable_d_i=true do_doc_package=false WERROR=0 do_tools=true do_tools_usbip=false)"
grep -q "_5.4.0-200.220+tickless1+quick_\*.deb" "$KF_TMP/udry" || fail "collect does not pick the +quick packages"
# The flavour's own settings (tickless.def) are what the reduction must keep.
grep -qxF 'grep -qxF CONFIG_NO_HZ_FULL=y "$c" || missing="$missing CONFIG_NO_HZ_FULL=y"' "$KF_TMP/udry" ||
    fail "the check does not hold CONFIG_NO_HZ_FULL=y"
grep -q "1 of 2 modules in the list are not built by this tree (localmodconfig ignores them): not_here" "$KF_TMP/udry.err" ||
    { cat "$KF_TMP/udry.err"; fail "no warning about not_here"; }
[ ! -e "$KF_TMP/uout" ] || fail "dry-run wrote something"
expect_unchanged "Ubuntu quick dry run"
pass "Ubuntu quick: prepare-F, localmodconfig in debian/build/build-F, the flavour's keys checked, -o config-prepare-check-F, +quick"

# A Debian source package makes its configs inside its own build.
mkdir -p "$KF_TMP/deb/debian"
printf 'Source: linux\n\nPackage: linux-image\nArchitecture: any\n' >"$KF_TMP/deb/debian/control"
printf '#!/usr/bin/make -f\n' >"$KF_TMP/deb/debian/rules"
expect_error 2 "--modules-from builds Ubuntu and upstream trees" "Debian tree" -- \
    "$KFLAVOUR" -C "$KF_TMP/deb" --dry-run build --no-chroot --modules-from "$LIST"
pass "Debian tree: --modules-from refused"

# The build timestamp: a $SOURCE_DATE_EPOCH that is no count of seconds is
# refused (it was read as 0, a 1970 kernel), the tree unchanged.
upstream_tree
expect_error 2 "SOURCE_DATE_EPOCH is not a count of seconds since 1970: 'yesterday'" "bad SOURCE_DATE_EPOCH" -- \
    env SOURCE_DATE_EPOCH=yesterday "$KFLAVOUR" -C "$UP" --dry-run build --no-chroot --out "$KF_TMP/out"
expect_unchanged "bad SOURCE_DATE_EPOCH"
"$KFLAVOUR" -C "$UP" --dry-run build --no-chroot --no-ccache --out "$KF_TMP/out" >"$KF_TMP/dry" 2>/dev/null
grep -qxF "  KBUILD_BUILD_TIMESTAMP='Tue Nov 14 22:13:20 UTC 2023'" "$KF_TMP/dry" || { grep TIMESTAMP "$KF_TMP/dry"; fail "SOURCE_DATE_EPOCH=1700000000 is not the build timestamp"; }
pass "SOURCE_DATE_EPOCH: the build timestamp, refused when not a number"
