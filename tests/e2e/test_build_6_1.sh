#!/bin/bash
# kflavour build on Debian's real linux-source-6.1 (issue 5), tinyconfig +
# tests/e2e/data/qemu-<arch>.fragment + the tickless definition:
#  1. --dry-run prints every command and changes nothing;
#  2. cross --host arm64 in a cached bookworm chroot: linux-image/-headers/
#     linux-libc-dev for arm64 (zstd), manifest.json, reproduce.sh, build.log; the
#     headers' host programs (fixdep, modpost) are aarch64 ELF and no
#     build-machine ELF is left in the package;
#  3. in an arm64 qemu-user chroot with that headers package installed, a
#     hello-world module builds against /usr/src/linux-headers-<release> and
#     its vermagic is the image's release;
#  4. native amd64 build of the same flavour;
#  5. emulated --arch arm64 build of a tiny generated source package;
#  6. a failing build shows its stage, the log's last lines and path (exit 3);
#  7. Ctrl-C stops the build: exit 130, no processes, no .work, no manifest.
# The sets stay in $KF_E2E_SETS (default $KF_E2E_CACHE/sets) for the verify and
# boot tests. Needs root and Debian's mirror.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/kfhello.sh"
kernel_build_env
SETS=${KF_E2E_SETS:-$KF_E2E_CACHE/sets}
REL=6.1.192-tickless
mkdir -p "$SETS"
# KF_E2E_BUILD_STEPS="5 6" runs only those steps (iteration; the sets of an
# earlier full run must exist). Default: all.
want() { [ -z "${KF_E2E_BUILD_STEPS:-}" ] || [[ " $KF_E2E_BUILD_STEPS " == *" $1 "* ]]; }

# An upstream tree (a hard-link copy of the 6.1 source) with the
# tickless flavour for ARCH on a qemu-bootable tinyconfig.
# e_machine of every ELF file under DIR that is not MACHINE ("183" aarch64, "62" x86-64).
foreign_elves() {
    python3 - "$1" "$2" <<'PY'
import os, struct, sys
root, want = sys.argv[1], int(sys.argv[2])
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        if os.path.islink(p): continue
        with open(p, 'rb') as h: head = h.read(20)
        if head[:4] != b'\x7fELF': continue
        em = struct.unpack('<H' if head[5] == 1 else '>H', head[18:20])[0]
        if em != want: print(os.path.relpath(p, root), em)
PY
}

OUT=$SETS/tickless-arm64
OUT_AMD=$SETS/tickless-amd64
ARM_CHROOT=bookworm-arm64-e2e   # arm64 through qemu-user: module build, emulated build
ARM=$(tickless_tree arm64)
AMD=$(tickless_tree amd64)

if want 1; then
step "1. dry-run"
"$KFLAVOUR" -C "$ARM" --dry-run build --host arm64 --suite bookworm --out "$KF_TMP/dry" >"$KF_TMP/dry.txt"
grep -q "bindeb-pkg DPKG_FLAGS=--hook-buildinfo=$KF_TMP/dry/.work/fix-headers-tickless.sh" "$KF_TMP/dry.txt" ||
    { cat "$KF_TMP/dry.txt"; fail "dry-run lacks the bindeb-pkg command"; }
grep -q "^  CCACHE_DIR=$KFLAVOUR_CCACHE_DIR" "$KF_TMP/dry.txt" || fail "dry-run lacks the environment"
grep -q "CROSS_COMPILE=aarch64-linux-gnu-" "$KF_TMP/dry.txt" || fail "dry-run lacks CROSS_COMPILE"
[ ! -e "$KF_TMP/dry" ] || fail "dry-run created the output dir"
pass "dry-run prints the commands and their environment, writes nothing"
fi

if want 2; then
step "2. cross --host arm64 in a chroot"
"$KFLAVOUR" -C "$ARM" build --host arm64 --suite bookworm --out "$OUT" | tee "$KF_TMP/arm64.txt"
for s in chroot prepare config compile package collect; do
    grep -Eq "^  $s +[0-9]+:[0-9]{2}" "$KF_TMP/arm64.txt" || fail "no status line for stage $s"
done
for p in linux-image-$REL linux-headers-$REL linux-libc-dev; do
    deb=$(ls "$OUT"/${p}_6.1.192-1_*.deb 2>/dev/null) || fail "no $p package"
    [ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || fail "$p is not arm64"
    # bookworm's dpkg unpacks zstd: kflavour's default there (the repacked headers too).
    ar t "$deb" | grep -qx 'data.tar.zst' || fail "$p is not zstd-compressed: $(ar t "$deb" | tr '\n' ' ')"
done
[ -x "$OUT/reproduce.sh" ] && grep -q "chroot run" "$OUT/reproduce.sh" || fail "reproduce.sh missing or not chroot-aware"
grep -q "::kflavour-stage compile" "$OUT/build.log" || fail "build.log lacks the compile stage"
python3 - "$OUT" <<'PY' || fail "manifest.json"
import hashlib, json, os, sys
out = sys.argv[1]
m = json.load(open(os.path.join(out, "manifest.json")))
assert m["mode"] == "cross" and m["host_arch"] == "arm64" and m["build_arch"] == "amd64", m
assert m["suite"] == "bookworm" and m["chroot"].startswith("bookworm-amd64+arm64"), m
assert m["releases"] == ["6.1.192-tickless"], m
assert m["compression"] == "zstd", m
names = {p["package"] for p in m["packages"]}
assert {"linux-image-6.1.192-tickless", "linux-headers-6.1.192-tickless", "linux-libc-dev"} <= names, names
for p in m["packages"]:
    data = open(os.path.join(out, p["file"]), "rb").read()
    assert p["size"] == len(data) and p["sha256"] == hashlib.sha256(data).hexdigest(), p
PY
H=$KF_TMP/headers
dpkg-deb -x "$OUT/linux-headers-${REL}_6.1.192-1_arm64.deb" "$H"
readelf -h "$H/usr/src/linux-headers-$REL/scripts/basic/fixdep" | grep -q 'Machine:.*AArch64' || fail "fixdep is not aarch64"
readelf -h "$H/usr/src/linux-headers-$REL/scripts/mod/modpost" | grep -q 'Machine:.*AArch64' || fail "modpost is not aarch64"
left=$(foreign_elves "$H" 183)
[ -z "$left" ] || fail "build-machine ELF files left in the headers package: $left"
(cd "$H" && md5sum --quiet -c <(dpkg-deb -I "$OUT/linux-headers-${REL}_6.1.192-1_arm64.deb" md5sums)) ||
    fail "the repacked headers' md5sums don't match"
grep -q "linux-headers-${REL}_6.1.192-1_arm64.deb" "$OUT"/*.changes || fail ".changes lacks the headers package"
(cd "$OUT" && sha256sum --quiet -c <(awk '/^Checksums-Sha256:/{f=1; next} /^[^ ]/{f=0} f{print $1"  "$3}' *.changes)) ||
    fail ".changes checksums don't match the repacked packages"
pass "arm64 set: image, headers (fixdep/modpost aarch64, no x86 ELF, md5sums ok), libc-dev; manifest, .changes ok"
fi
# The chroot the cross build made (kernel build dependencies, amd64+arm64).
CROSS_CHROOT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["chroot"])' "$OUT/manifest.json")

if want 3; then
step "3. a module builds on arm64 against the headers package"
"$KFLAVOUR" -q chroot create bookworm --arch arm64 --qemu --include ccache --name "$ARM_CHROOT"
MOD=$KF_TMP/hello-mod
mkdir -p "$MOD"
cat >"$MOD/hello.c" <<'C'
#include <linux/module.h>
static int __init hello_init(void) { pr_info("hello\n"); return 0; }
static void __exit hello_exit(void) {}
module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
C
echo 'obj-m := hello.o' >"$MOD/Makefile"
"$KFLAVOUR" chroot run "$ARM_CHROOT" --bind "$OUT" --bind "$MOD" -- sh -ec "
    dpkg -i $OUT/linux-headers-${REL}_6.1.192-1_arm64.deb >/dev/null
    make -C /usr/src/linux-headers-$REL M=$MOD modules" >"$KF_TMP/mod.log" 2>&1 ||
    { tail -30 "$KF_TMP/mod.log"; fail "the module does not build on arm64"; }
readelf -h "$MOD/hello.ko" | grep -q 'Machine:.*AArch64' || fail "hello.ko is not aarch64"
vermagic=$(readelf -p .modinfo "$MOD/hello.ko" | grep -o 'vermagic=[^]]*' | sed 's/^vermagic=//')
[ "${vermagic%% *}" = "$REL" ] || fail "vermagic '$vermagic' is not for $REL"
pass "hello.ko built under qemu-user against linux-headers-$REL: aarch64, vermagic $vermagic"
fi

if want 4; then
step "4. native amd64"
"$KFLAVOUR" -C "$AMD" build --chroot "$CROSS_CHROOT" --out "$OUT_AMD" >"$KF_TMP/amd64.txt" ||
    { cat "$KF_TMP/amd64.txt"; fail "native amd64 build"; }
for p in linux-image-$REL linux-headers-$REL linux-libc-dev; do
    deb=$(ls "$OUT_AMD"/${p}_6.1.192-1_*.deb 2>/dev/null) || fail "no amd64 $p package"
    [ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] || fail "$p is not amd64"
done
grep -q '"mode": "native"' "$OUT_AMD/manifest.json" || fail "amd64 manifest mode"
pass "native amd64 set: $(cd "$OUT_AMD" && ls *.deb | tr '\n' ' ')"
fi

if want 5; then
step "5. emulated --arch arm64 of a tiny source package"
make_pkg "$KF_TMP/pkg"
"$KFLAVOUR" -C "$KF_TMP/pkg/kfhello-1.0" build --arch arm64 --chroot "$ARM_CHROOT" --out "$KF_TMP/kfhello-out" \
    >"$KF_TMP/emu.txt" 2>&1 || { cat "$KF_TMP/emu.txt"; fail "emulated build"; }
deb=$KF_TMP/kfhello-out/kfhello_1.0_arm64.deb
[ -f "$deb" ] || fail "no kfhello_1.0_arm64.deb"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/kfhello >"$KF_TMP/kfhello.bin"
readelf -h "$KF_TMP/kfhello.bin" | grep -q 'Machine:.*AArch64' || fail "kfhello is not aarch64"
grep -q '"mode": "emulated"' "$KF_TMP/kfhello-out/manifest.json" || fail "emulated manifest mode"
pass "emulated arm64 build of kfhello: $(grep -E '^  (compile|collect)' "$KF_TMP/emu.txt" | tr -s ' ' | tr '\n' ';')"
fi

if want 5b; then
step "5b. as an unprivileged user with subuid ranges, in the cross chroot"
U=kfbuild
source "$(dirname "$0")/user.sh"
test_user "$U"
UW=$(mktemp -d /var/tmp/kf-e2e-user.XXXXXX)
chmod 755 "$UW"
make_pkg "$UW"
chown -R "$U:" "$UW"
runuser -u "$U" -- env HOME="$(getent passwd $U | cut -d: -f6)" TMPDIR="$UW" XDG_CACHE_HOME="$XDG_CACHE_HOME" \
    KFLAVOUR_CCACHE_DIR="$UW/ccache" "$KFLAVOUR" -C "$UW/kfhello-1.0" build --host arm64 --chroot "$CROSS_CHROOT" \
    --out "$UW/out" >"$KF_TMP/user.txt" 2>&1 || { cat "$KF_TMP/user.txt"; rm -rf "$UW"; fail "unprivileged cross build"; }
deb=$UW/out/kfhello_1.0_arm64.deb
[ -f "$deb" ] && [ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || { rm -rf "$UW"; fail "unprivileged build: no arm64 kfhello"; }
[ "$(stat -c %U "$deb")" = "$U" ] || { rm -rf "$UW"; fail "the package is not owned by $U"; }
left=$(find "$UW" -maxdepth 1 -name 'kflavour-chroot.*' | wc -l)
rm -rf "$UW"
[ "$left" = 0 ] || fail "the unprivileged run left its scratch root"
pass "as $U (user namespace): kfhello cross-built to arm64 in $CROSS_CHROOT, owned by $U, scratch removed"
fi

if want 6; then
step "6. a failing build"
BAD=$(tickless_tree amd64 bad)
echo "CONFIG_KFLAVOUR_NO_SUCH_SYMBOL=y" >>"$BAD/kflavour/tickless/amd64.config"
set +e
"$KFLAVOUR" -C "$BAD" build --no-chroot --out "$KF_TMP/bad-out" >"$KF_TMP/bad.txt" 2>&1
rc=$?
set -e
[ "$rc" = 3 ] || { cat "$KF_TMP/bad.txt"; fail "a failing build exits $rc, not 3"; }
grep -q "build failed in stage config" "$KF_TMP/bad.txt" || fail "the failing stage is not named"
grep -q "^log: $KF_TMP/bad-out/build.log$" "$KF_TMP/bad.txt" || fail "the log's path is not shown"
grep -q "its errors:" "$KF_TMP/bad.txt" && grep -q "last lines of its output:" "$KF_TMP/bad.txt" ||
    fail "the tools' error lines and the log's tail are not shown"
[ ! -e "$KF_TMP/bad-out/manifest.json" ] || fail "a failed build wrote a manifest"
pass "failing build: exit 3, stage and log named, no manifest"
fi

if want 8; then
step "8. quick builds from a module list (localmodconfig)"
# The amd64 tree of step 4: tinyconfig + loadable modules + loop as a module.
QUICK=$AMD
grep -qx 'CONFIG_BLK_DEV_LOOP=m' "$QUICK/kflavour/tickless/amd64.config" || fail "the quick flavour has no loop module"
# The Dell R440's list has no loop: the kernel's localmodconfig drops it, the build stops before compiling.
set +e
"$KFLAVOUR" -C "$QUICK" build --no-chroot --modules-from "$KF_TEST_DATA/modules/amd64-dell-r440.modules" \
    --out "$KF_TMP/quick-bad" >"$KF_TMP/quick-bad.txt" 2>&1
rc=$?
set -e
[ "$rc" = 3 ] || { cat "$KF_TMP/quick-bad.txt"; fail "a dropped requested module: exit $rc, not 3"; }
grep -q "localmodconfig dropped what the flavour requests: CONFIG_BLK_DEV_LOOP=m" "$KF_TMP/quick-bad.txt" ||
    { cat "$KF_TMP/quick-bad.txt"; fail "the dropped symbol is not named"; }
! grep -q "::kflavour-stage compile" "$KF_TMP/quick-bad/build.log" || fail "it compiled anyway"
pass "quick build with a list lacking loop: stops in the config stage naming CONFIG_BLK_DEV_LOOP=m"
# The arm64 Grace server's list has loop (and 54 modules this amd64 tree doesn't build as such).
# Out at the depth of step 4's: the same module, kept by the list, makes the
# same config, and ccache gives back step 4's objects.
QOUT=$KF_E2E_CACHE/quick/tickless-amd64
rm -rf "$QOUT"
"$KFLAVOUR" -C "$QUICK" build --chroot "$CROSS_CHROOT" --modules-from "$KF_TEST_DATA/modules/arm64-supermicro-g1smh.modules" \
    --out "$QOUT" >"$KF_TMP/quick.txt" 2>&1 || { cat "$KF_TMP/quick.txt"; fail "quick build"; }
deb=$(ls "$QOUT"/linux-image-6.1.*-tickless_*+quick_amd64.deb 2>/dev/null | grep -v dbg | head -1)
[ -n "$deb" ] || { ls "$QOUT"; fail "no +quick linux-image package"; }
dpkg-deb -c "$deb" >"$KF_TMP/quick.contents"
grep -q '/kernel/drivers/block/loop.ko' "$KF_TMP/quick.contents" || fail "the quick set lacks loop.ko"
grep -q '"config": "quick (localmodconfig of ' "$QOUT/manifest.json" || fail "the manifest does not say quick"
pass "quick build: $(basename "$deb") with loop.ko, manifest says quick ($(grep -E '^  (config|compile|ccache) ' "$KF_TMP/quick.txt" | tr -s ' ' | tr '\n' ';'))"
fi

if want 7; then
step "7. Ctrl-C in the chroot"
"$KFLAVOUR" -C "$AMD" build --chroot "$CROSS_CHROOT" --no-ccache --out "$KF_TMP/int-out" >"$KF_TMP/int.txt" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    grep -q "::kflavour-stage compile" "$KF_TMP/int-out/build.log" 2>/dev/null && break
    sleep 0.2
done
sleep 3
t0=$SECONDS
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" = 130 ] || { cat "$KF_TMP/int.txt"; fail "Ctrl-C exit $rc, not 130"; }
echo "  stopped $((SECONDS - t0)) s after SIGINT"
sleep 1
! pgrep -f "O=$KF_TMP/int-out" >/dev/null || fail "make processes survive Ctrl-C"
! grep -q "kflavour-chroot" /proc/mounts || fail "chroot mounts left after Ctrl-C"
[ -z "$(find "$TMPDIR" -maxdepth 1 -name 'kflavour-chroot.*')" ] || fail "the scratch chroot was left"
[ ! -e "$KF_TMP/int-out/.work" ] || fail ".work left after Ctrl-C"
[ ! -e "$KF_TMP/int-out/manifest.json" ] && [ -z "$(ls "$KF_TMP/int-out"/*.deb 2>/dev/null)" ] ||
    fail "an interrupted build looks complete"
grep -q "interrupted" "$KF_TMP/int.txt" || fail "no interrupt message"
pass "Ctrl-C in the chroot: exit 130, no make, mounts or scratch root left, no .work, packages or manifest"
fi
