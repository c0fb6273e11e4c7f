# Shared helpers for the e2e tests: source it after `set -euo pipefail`.
# Needs KFLAVOUR (the binary) and KF_SOURCE_DIR from ctest. Prepares the real
# 6.1 data once (prepare-linux-6.1.sh, cached in $KF_E2E_CACHE) and builds an
# Ubuntu-layout tree around it:
#   $TREE/{Makefile,Kconfig,arch,…} symlinks into the (read-only) 6.1 source
#   $TREE/debian/debian.env, $TREE/debian.master/{changelog,control.d,rules.d,config/annotations}
# where the annotations are Debian's amd64 and arm64 configs imported with
# kflavour's own `config import` (flavours amd64-generic, arm64-generic).

: "${KFLAVOUR:?set KFLAVOUR to the kflavour binary}"
: "${KF_SOURCE_DIR:?set KF_SOURCE_DIR to the source tree}"
export DEBFULLNAME="Kflavour Test" DEBEMAIL="test@example.com" SOURCE_DATE_EPOCH=1700000000
export KFLAVOUR_FLAVOURS_DIR="$KF_SOURCE_DIR/flavours"

KF_E2E_CACHE=$(bash "$KF_SOURCE_DIR/tests/e2e/prepare-linux-6.1.sh")
LINUX=$KF_E2E_CACHE/linux-6.1
CONFIGS=$KF_E2E_CACHE/configs

KF_TMP=$(mktemp -d)
export TMPDIR=$KF_TMP/tmp   # kflavour's scratch dirs land here: tests check none is left
mkdir -p "$TMPDIR"
trap 'rm -rf "$KF_TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
step() { echo "== $* [${SECONDS}s]"; }

# The kernel-building tests: root, the shared chroot cache and ccache.
kernel_build_env() {
    [ "$(id -u)" = 0 ] || fail "needs root (CI runs as root)"
    export XDG_CACHE_HOME=${KF_E2E_CHROOT_CACHE:-$KF_E2E_CACHE}
    export KFLAVOUR_CCACHE_DIR=$KF_E2E_CACHE/ccache
}

# The base annotations, built once per cache (import takes a moment).
base_annotations() {
    local out=$KF_E2E_CACHE/annotations.6.1
    if [ ! -s "$out" ] || [ "$out" -ot "$KFLAVOUR" ]; then
        local t=$KF_TMP/base
        rm -rf "$t"
        mkdir -p "$t/debian" "$t/debian.master/config"
        echo "DEBIAN=debian.master" >"$t/debian/debian.env"
        printf '%s\n' "# Menu: HEADER" "# FORMAT: 4" "# ARCH: amd64 arm64" \
            "# FLAVOUR: amd64-generic arm64-generic" >"$t/debian.master/config/annotations"
        "$KFLAVOUR" -q -C "$t" config import --arch amd64 --flavour generic "$CONFIGS/config.amd64"
        "$KFLAVOUR" -q -C "$t" config import --arch arm64 --flavour generic "$CONFIGS/config.arm64"
        cp "$t/debian.master/config/annotations" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
    fi
    echo "$out"
}

# An Ubuntu tree around the 6.1 source, at $KF_TMP/NAME; prints its path.
make_tree() {
    local t=$KF_TMP/${1:-tree} f
    rm -rf "$t"
    mkdir -p "$t/debian" "$t/debian.master/config" "$t/debian.master/control.d" "$t/debian.master/rules.d"
    for f in "$LINUX"/* "$LINUX"/.[!.]*; do
        [ -e "$f" ] || continue
        case ${f##*/} in debian | debian.master) continue ;; esac
        ln -s "$f" "$t/${f##*/}"
    done
    echo "DEBIAN=debian.master" >"$t/debian/debian.env"
    cp "$(base_annotations)" "$t/debian.master/config/annotations"
    cat >"$t/debian.master/changelog" <<'CL'
linux (6.1.0-1.1) bookworm; urgency=medium

  * Test tree: Debian's linux-source-6.1 with an Ubuntu-style debian.master.

 -- Kflavour Test <test@example.com>  Tue, 14 Nov 2023 22:13:20 +0000
CL
    cat >"$t/debian.master/control.d/vars.generic" <<'VARS'
arch="amd64 arm64"
supported="Generic"
target="Geared toward desktop and server systems."
desc="=HUMAN= SMP"
bootloader="grub-pc [amd64] | grub-efi-amd64 [amd64] | grub-efi-arm64 [arm64]"
provides="kvm-api-4, redhat-cluster-modules"
VARS
    printf '%s\n' "human_arch	= ARMv8" "build_arch	= arm64" "defconfig	= defconfig" "flavours	= generic" \
        "build_image	= Image.gz" "kernel_file	= arch/\$(build_arch)/boot/Image.gz" "install_file	= vmlinuz" \
        >"$t/debian.master/rules.d/arm64.mk"
    printf '%s\n' "human_arch	= 64 bit x86" "build_arch	= x86" "defconfig	= defconfig" "flavours	= generic" \
        "build_image	= bzImage" "kernel_file	= arch/\$(build_arch)/boot/bzImage" "install_file	= vmlinuz" \
        >"$t/debian.master/rules.d/amd64.mk"
    echo "$t"
}

# A snapshot of the tree's own files (not the linked kernel source).
snapshot() { (cd "$1" && find debian debian.master -type f -print0 | sort -z | xargs -0 sha256sum); }

# No scratch dir left behind by kflavour.
expect_no_scratch() {
    if [ -n "$(ls -A "$TMPDIR")" ]; then ls -la "$TMPDIR" >&2; fail "$1: scratch dir left in $TMPDIR"; fi
}

# Upstream trees live at fixed paths (e2e tests run one at a time: they share
# the resource lock). ccache keys hold the tree's path as the output dir sees
# it, so a tree rebuilt at the same path, built into an output dir of the same
# depth, reuses an earlier build's objects: publish's 6.1.193 and the quick
# build reuse test_build_6_1's amd64 compile, and a second run reuses the first.
KF_TREES=$KF_E2E_CACHE/trees

# A fresh upstream tree at $KF_TREES/NAME (default up-ARCH; an absolute NAME
# is taken as it is): a hard-link copy of the 6.1 source (not symlinks:
# bindeb-pkg copies include/ and scripts/ with tar, and a symlinked dir would
# be packaged as a link and written through) with the tickless flavour for
# ARCH on tinyconfig + data/qemu-ARCH.fragment (qemu-bootable). amd64 also
# gets the loop driver as a module: the quick build's module lists keep or
# drop it. Prints its path.
tickless_tree() {  # ARCH [NAME]
    local arch=$1 name=${2:-up-$1} t extra=()
    if [[ $name == /* ]]; then t=$name; else t=$KF_TREES/$name; fi
    [ "$arch" != amd64 ] || extra=(--set CONFIG_BLOCK=y --set CONFIG_BLK_DEV=y --set CONFIG_BLK_DEV_LOOP=m)
    rm -rf "$t"
    mkdir -p "$t"
    cp -al "$LINUX"/. "$t"/ 2>/dev/null || cp -a "$LINUX"/. "$t"/
    rm -rf "$t/kflavour"
    "$KFLAVOUR" -q -C "$t" new tickless --arch "$arch" --base-config tinyconfig --def tickless \
        --fragment "$KF_SOURCE_DIR/tests/e2e/data/qemu-$arch.fragment" "${extra[@]}" 2>/dev/null
    echo "$t"
}

# boot_realtime OUT WHAT: boot the arm64 set in OUT with --expect
# CONFIG_PREEMPT_RT=y (qemu-user runs dpkg in the arm64 chroot); all three
# real-time proofs must hold and uname -v must say PREEMPT_RT.
boot_realtime() {
    local out=$1 what=$2
    if ! arch-test arm64 >/dev/null 2>&1; then
        [ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
        update-binfmts --enable qemu-aarch64
    fi
    "$KFLAVOUR" boot "$out" --expect CONFIG_PREEMPT_RT=y --timeout 300 >"$KF_TMP/boot.out" 2>&1 ||
        { cat "$KF_TMP/boot.out"; fail "boot of $what"; }
    grep -E "uname -v|realtime|proofs|    ok:" "$KF_TMP/boot.out"
    grep -q "^  real-time proofs (3 of 3 held):" "$KF_TMP/boot.out" || fail "$what: not all three proofs held"
    grep -q "^    ok: uname -v says PREEMPT_RT" "$KF_TMP/boot.out" || fail "$what: uname -v lacks PREEMPT_RT"
}
