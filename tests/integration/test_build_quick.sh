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
expect_error 2 "--modules-from builds upstream trees for now" "Ubuntu tree" -- \
    "$KFLAVOUR" -C "$TREE" --dry-run build --no-chroot --modules-from "$LIST"
expect_unchanged "Ubuntu tree"
pass "bad module lists: exit 2 naming file:line, trees unchanged"
