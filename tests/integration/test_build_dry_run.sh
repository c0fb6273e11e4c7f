#!/bin/bash
# kflavour build --dry-run on the Ubuntu focal fixture (Ubuntu's debian/rules
# can't run here, so the commands are what is checked): the rules targets
# (always with binary-perarch), the fast knobs including the tree's own
# do_dkms_* variables, the cross environment; then bad input.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
fresh_trees
export KFLAVOUR_CCACHE_DIR=$KF_TMP/ccache XDG_CACHE_HOME=$KF_TMP/cache
"$KFLAVOUR" -q -C "$TREE" new tickless --arch arm64 --no-resolve
rm -rf "$PRISTINE" && cp -r "$TREE" "$PRISTINE"

"$KFLAVOUR" -C "$TREE" --dry-run build --flavour tickless --host arm64 --jobs 4 --out "$KF_TMP/out" >"$KF_TMP/dry.txt"
cat "$KF_TMP/dry.txt"
want() { grep -qxF -- "$1" "$KF_TMP/dry.txt" || fail "dry-run lacks: $1"; }
want "# kflavour build: tickless-arm64, cross from amd64"
base=$(sed -n 's/^# the tree.s build-dependencies prepared on top of chroot \(focal-amd64+arm64-[0-9a-f]*\) (made on the first build)$/\1/p' "$KF_TMP/dry.txt")
[ -n "$base" ] || fail "dry-run does not name the base chroot of the build-dependencies"
prepared=$(sed -n "s/^# in chroot \($base-bd[0-9a-f]\{8\}\) .*/\1/p" "$KF_TMP/dry.txt")
[ -n "$prepared" ] || fail "dry-run does not build in a chroot prepared on top of $base"
want "# in chroot $prepared ($KF_TMP/cache/kflavour/chroots/$prepared.tar)"
want "  CROSS_COMPILE=aarch64-linux-gnu-"
want "  DEB_BUILD_OPTIONS=parallel=4"
want "  CCACHE_DIR=$KF_TMP/ccache"
want "  PATH=/usr/lib/ccache:\$PATH"
want "knobs: skipabi=true skipmodule=true skipdbg=true do_zfs=false do_dkms_wireguard=false disable_d_i=true do_doc_package=false WERROR=0 do_tools=true do_tools_usbip=false"
SRC=$KF_TMP/out/.work/src/tree
want "  cp -a --reflink=auto -- $TREE $SRC"
want "deps:"
want "  (cd $SRC && dpkg-architecture -aarm64 -c fakeroot debian/rules clean)"
want "  (cd $SRC && apt-get -q -y --no-install-recommends build-dep --arch-only --host-architecture=arm64 --build-profiles=cross,nocheck ./)"
want "  (cd $SRC && dpkg-architecture -aarm64 -c fakeroot debian/rules binary-headers binary-tickless binary-perarch skipabi=true skipmodule=true skipdbg=true do_zfs=false do_dkms_wireguard=false disable_d_i=true do_doc_package=false WERROR=0 do_tools=true do_tools_usbip=false)"
grep -q "_5.4.0-200.220+tickless1_\*.deb" "$KF_TMP/dry.txt" || fail "collect does not pick this version's packages"
# Ubuntu's rules build the flavour headers' scripts/ for the build machine:
# after the binary targets, a helper rebuilds them for arm64 from the objtree.
want "package:"
want "  bash $KF_TMP/out/.work/fix-headers-tickless.sh"
want "objtree=$SRC/debian/build/build-tickless"
grep -qF "HOSTCC=aarch64-linux-gnu-gcc -j4 M=\"\$ext\" scripts/" "$KF_TMP/dry.txt" || fail "the headers helper does not build scripts/ for arm64"
! grep -q "DPKG_DEB_COMPRESSOR_TYPE" "$KF_TMP/dry.txt" || fail "focal's dpkg may not unpack zstd: dpkg-deb's default expected"
[ ! -e "$KF_TMP/out" ] && [ ! -e "$KF_TMP/cache" ] || fail "dry-run wrote something"
expect_unchanged
pass "Ubuntu cross: build copy, deps (clean, build-dep for arm64), binary-headers binary-tickless binary-perarch, knobs, cross env, headers rebuilt for arm64, focal's compressor"

# The compressor: zstd where the target's dpkg unpacks it, --compress otherwise.
"$KFLAVOUR" -C "$TREE" --dry-run build --host arm64 --suite noble --out "$KF_TMP/out" >"$KF_TMP/noble.txt"
grep -qxF "  DPKG_DEB_COMPRESSOR_TYPE=zstd" "$KF_TMP/noble.txt" || fail "noble: zstd"
"$KFLAVOUR" -C "$TREE" --dry-run build --host arm64 --suite noble --compress xz --out "$KF_TMP/out" >"$KF_TMP/xz.txt"
grep -qxF "  DPKG_DEB_COMPRESSOR_TYPE=xz" "$KF_TMP/xz.txt" || fail "--compress xz"
pass "compression: zstd for noble, --compress xz when asked"

# amd64 (native) of the same tree: vbox is dkms there too; --full drops the knobs.
"$KFLAVOUR" -C "$TREE" --dry-run build --no-chroot --jobs 2 --out "$KF_TMP/out" >"$KF_TMP/amd64.txt"
grep -q "binary-generic binary-lowlatency binary-perarch .*do_dkms_vbox=false do_dkms_wireguard=false" "$KF_TMP/amd64.txt" ||
    fail "amd64 knobs"
! grep -q "dpkg-architecture\|CROSS_COMPILE\|# in chroot" "$KF_TMP/amd64.txt" || fail "native build has cross parts or a chroot"
! grep -q "fix-headers" "$KF_TMP/amd64.txt" || fail "a native build repairs headers it built for itself"
"$KFLAVOUR" -C "$TREE" --dry-run build --no-chroot --full --out "$KF_TMP/out" >"$KF_TMP/full.txt"
! grep -q "knobs\|skipabi" "$KF_TMP/full.txt" || fail "--full keeps knobs"
grep -qF "fakeroot debian/rules binary-headers binary-generic binary-lowlatency binary-perarch)" "$KF_TMP/full.txt" || fail "--full targets"
pass "native: knobs from the arch's rules.d (vbox, wireguard); --full drops them"

bad() {  # WANT-SUBSTRING ARGS...
    local want=$1
    shift
    set +e
    "$KFLAVOUR" -C "$TREE" --dry-run build "$@" >"$KF_TMP/bad.out" 2>"$KF_TMP/bad.err"
    local rc=$?
    set -e
    [ "$rc" = 2 ] || { cat "$KF_TMP/bad.err"; fail "build $* exits $rc, not 2"; }
    grep -q "kflavour: error: .*$want" "$KF_TMP/bad.err" || { cat "$KF_TMP/bad.err"; fail "build $*: no '$want'"; }
}
bad "exclude each other" --host arm64 --arch arm64
bad "flavour nosuch is not built for arm64" --host arm64 --flavour nosuch
bad "unknown arch 'vax'" --host vax
bad "drop --no-chroot" --arch arm64 --no-chroot
bad "exclude each other" --chroot x --no-chroot
bad "dpkg-deb takes zstd, xz, gzip or none" --host arm64 --compress bzip2
expect_unchanged
pass "bad input: exit 2 with the reason, tree unchanged"

# An upstream tree whose scripts/ is a symlink (a symlink farm): refused before anything runs.
U=$KF_TMP/up
mkdir -p "$U/kflavour/tickless" "$KF_TMP/real/scripts" "$U/include" "$U/arch"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$U/Makefile"
ln -s "$KF_TMP/real/scripts" "$U/scripts"
echo "CONFIG_X=y" >"$U/kflavour/tickless/amd64.config"
set +e
"$KFLAVOUR" -C "$U" --dry-run build --no-chroot --out "$KF_TMP/up-out" >/dev/null 2>"$KF_TMP/up.err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "scripts/ is a symlink" "$KF_TMP/up.err" || { cat "$KF_TMP/up.err"; fail "symlinked scripts/ not refused"; }
pass "upstream tree with a symlinked scripts/: refused (exit 2)"
