# Shared by tests/integration/test_verify*.sh (sourced after lib.sh; not a
# test itself). Builds a small synthetic arm64 kernel set with dpkg-deb
# (upstream `make bindeb-pkg` naming) and a Packages index standing in for
# bookworm, so each test can break one thing and run the real binary.
command -v dpkg-deb >/dev/null || fail "needs dpkg-deb"
command -v aarch64-linux-gnu-gcc >/dev/null || fail "needs gcc-aarch64-linux-gnu (crossbuild-essential-arm64)"

REL=6.1.192-tickless
VER=6.1.192-1
ARM64_ELF=$(ls /usr/aarch64-linux-gnu/lib/libc.so.6)
X86_ELF=/bin/true

# A kernel module for aarch64 whose .modinfo says `vermagic=$1 …`.
make_module() {
    local out=$1 vermagic=$2 src=$KF_TMP/mod.c
    cat >"$src" <<C
static const char vermagic[] __attribute__((section(".modinfo"), used, aligned(1))) =
    "vermagic=$vermagic SMP mod_unload aarch64";
static const char license[] __attribute__((section(".modinfo"), used, aligned(1))) = "license=GPL";
int init_module(void) { return 0; }
C
    aarch64-linux-gnu-gcc -c -o "$out" "$src"
}

# A kernel image head: arm64 Image ("ARM\x64" at 56) gzipped as 6.1's
# bindeb-pkg installs it, or an x86-64 bzImage ("HdrS", XLF_KERNEL_64).
make_image() {
    local out=$1 kind=$2
    python3 - "$out" "$kind" <<'PY'
import gzip, struct, sys
out, kind = sys.argv[1:]
if kind == "arm64":
    b = bytearray(4096); b[56:60] = b"ARM\x64"
    open(out, "wb").write(gzip.compress(bytes(b), mtime=0))
else:
    b = bytearray(4096); b[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", b, 0x206, 0x020f); struct.pack_into("<H", b, 0x236, 1)
    open(out, "wb").write(bytes(b))
PY
}

# The staging root of package NAME: $KF_TMP/root/NAME.
root_of() { echo "$KF_TMP/root/$1"; }

# stage NAME ARCH [extra control lines…]: writes DEBIAN/control of a staged package.
stage() {
    local name=$1 arch=$2 r
    shift 2
    r=$(root_of "$name")
    mkdir -p "$r/DEBIAN"
    {
        echo "Package: $name"
        echo "Version: $VER"
        echo "Architecture: $arch"
        echo "Maintainer: Kflavour Test <test@example.com>"
        (($#)) && printf '%s\n' "$@"
        echo "Description: synthetic kernel package for kflavour verify tests"
    } >"$r/DEBIAN/control"
}

# pack NAME DIR: md5sums for the staged files, then dpkg-deb --build into DIR
# (compressed with $KF_PACK_Z, default xz).
pack() {
    local r
    r=$(root_of "$1")
    (cd "$r" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 -r md5sum >DEBIAN/md5sums)
    dpkg-deb --root-owner-group -Z"${KF_PACK_Z:-xz}" --build "$r" "$2/${1}_${VER}_$(sed -n 's/^Architecture: //p' "$r/DEBIAN/control").deb" >/dev/null
}

# The good set, staged (call pack_all to build it into a directory).
stage_good_set() {
    rm -rf "$KF_TMP/root"
    local img hdr lib
    stage "linux-image-$REL" arm64 "Depends: kmod, linux-base (>= 4.3~), initramfs-tools | linux-initramfs-tool"
    img=$(root_of "linux-image-$REL")
    mkdir -p "$img/boot" "$img/lib/modules/$REL/kernel/fs"
    make_image "$img/boot/vmlinuz-$REL" arm64
    make_module "$img/lib/modules/$REL/kernel/fs/foo.ko" "$REL"
    stage "linux-headers-$REL" arm64 "Depends: libc6 (>= 2.34), libssl3 | libssl1.1, c-compiler (>= 12)"
    hdr=$(root_of "linux-headers-$REL")
    mkdir -p "$hdr/usr/src/linux-headers-$REL/scripts/basic"
    cp "$ARM64_ELF" "$hdr/usr/src/linux-headers-$REL/scripts/basic/fixdep"
    echo "obj-m += foo.o" >"$hdr/usr/src/linux-headers-$REL/Makefile"
    stage linux-libc-dev arm64 "Multi-Arch: same" "Provides: linux-kernel-headers"
    lib=$(root_of linux-libc-dev)
    mkdir -p "$lib/usr/include/linux"
    echo "#define KF 1" >"$lib/usr/include/linux/kf.h"
    # A hard link: a tar link member that md5sums lists like a file.
    ln "$lib/usr/include/linux/kf.h" "$lib/usr/include/linux/kf-link.h"
}

# pack_all DIR: build every staged package into DIR (created).
pack_all() {
    mkdir -p "$1"
    local r
    for r in "$KF_TMP"/root/*; do pack "${r##*/}" "$1"; done
}

# A bookworm-like index: what the good set's dependencies need, and more.
write_index() {
    cat >"$1" <<'P'
Package: libc6
Version: 2.36-9+deb12u13
Architecture: arm64
Multi-Arch: same

Package: kmod
Version: 30+20221128-1
Architecture: arm64
Multi-Arch: foreign

Package: linux-base
Version: 4.9
Architecture: all

Package: initramfs-tools
Version: 0.142+deb12u1
Architecture: all
Provides: linux-initramfs-tool

Package: libssl3
Version: 3.0.17-1~deb12u2
Architecture: arm64
Multi-Arch: same

Package: gcc-12
Version: 12.2.0-14+deb12u1
Architecture: arm64
Provides: c-compiler (= 12.2.0)

Package: libc6
Version: 2.40-1
Architecture: amd64
Multi-Arch: same
P
}

# verify_set DIR [args…]: run verify on DIR against the index; output in $KF_TMP/out and err, exit in $RC.
verify_set() {
    local dir=$1
    shift
    RC=0
    "$KFLAVOUR" verify "$dir" --suite bookworm --packages "$KF_TMP/Packages" "$@" >"$KF_TMP/out" 2>"$KF_TMP/err" || RC=$?
}

# expect_verify_fails WHAT REGEX DIR: exit 1 and a problem line matching REGEX.
expect_verify_fails() {
    local what=$1 regex=$2 dir=$3
    verify_set "$dir"
    [ "$RC" = 1 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail "$what: exit $RC, want 1"; }
    grep -Eq "$regex" "$KF_TMP/out" || { cat "$KF_TMP/out" >&2; fail "$what: no problem matching /$regex/"; }
    grep -q '^kflavour: error: verify: ' "$KF_TMP/err" || { cat "$KF_TMP/err" >&2; fail "$what: no error line"; }
    pass "$what: $(grep -E "$regex" "$KF_TMP/out" | head -1 | sed 's/^ *//')"
}
