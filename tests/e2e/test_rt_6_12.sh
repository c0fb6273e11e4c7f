#!/bin/bash
# Mainline PREEMPT_RT on Debian trixie's real linux-source-6.12 (issue 15 §2):
# no patch, the config is enough.
#  1. new rt --arch arm64 --def rt --base-config tinyconfig (+ the qemu
#     fragment, + the BCM2711 platform's) resolves with PREEMPT_RT=y and
#     records no patch;
#  2. build --host arm64 (cross, in the shared bookworm chroot): 6.12's
#     bindeb-pkg builds the headers' host programs for the target itself, and
#     kflavour's headers hook keeps (does not rebuild) them: verify passes,
#     its cpu check included; the image package carries the Raspberry Pi 4's
#     device tree (verify --dtb bcm2711-rpi-4-b), and --dtb of one the config
#     does not build fails;
#  3. boot with --expect CONFIG_PREEMPT_RT=y: the three real-time proofs
#     (mainline 6.12 has no /sys/kernel/realtime: "absent" holds).
# The same path for amd64, and the rt/tickless build times, are bench/rt.sh.
# Needs root, Debian's mirror (trixie), qemu.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kernel_build_env
L612=$(bash "$KF_SOURCE_DIR/tests/e2e/prepare-linux-6.12.sh")/linux-6.12
sub=$(sed -n 's/^SUBLEVEL = //p' "$L612/Makefile")
REL=6.12.$sub-rt

step "1. new rt on 6.12: no patch needed"
T=$KF_TMP/rt612
mkdir -p "$T"
cp -al "$L612"/. "$T"/
rm -rf "$T/kflavour"
"$KFLAVOUR" -C "$T" new rt --arch arm64 --def rt --base-config tinyconfig \
    --fragment "$KF_SOURCE_DIR/tests/e2e/data/qemu-arm64.fragment" \
    --fragment "$KF_SOURCE_DIR/tests/e2e/data/bcm2711-arm64.fragment" >"$KF_TMP/new.out" 2>&1 ||
    { cat "$KF_TMP/new.out"; fail "new rt on 6.12"; }
grep -q '^CONFIG_PREEMPT_RT=y' "$T/kflavour/rt/arm64.config" || fail "PREEMPT_RT did not survive on 6.12"
grep -q '^Rt-Patch' "$T/kflavour/rt.flavour" && fail "a patch is recorded on 6.12"
pass "6.12: PREEMPT_RT=y resolved from the rt definition alone"

step "2. build --host arm64, verify"
OUT=$KF_TMP/rt612-arm64
"$KFLAVOUR" -C "$T" build --host arm64 --suite bookworm --out "$OUT" | tail -3
ls "$OUT"/linux-image-${REL}_*_arm64.deb >/dev/null || fail "no linux-image-$REL"
grep -q "^# the tree carries the RT patch" "$OUT/reproduce.sh" && fail "reproduce.sh names a patch on 6.12"
"$KFLAVOUR" verify "$OUT" --suite bookworm --dtb bcm2711-rpi-4-b >"$KF_TMP/verify.out" 2>&1 ||
    { cat "$KF_TMP/verify.out"; fail "verify"; }
grep -E "^verify: ok: |bcm2711" "$KF_TMP/verify.out"
grep -qx "  broadcom/bcm2711-rpi-4-b.dtb" "$KF_TMP/verify.out" || fail "verify does not list broadcom/bcm2711-rpi-4-b.dtb"
rc=0
"$KFLAVOUR" verify "$OUT" --suite bookworm --dtb rk3399-rock-pi-4b >"$KF_TMP/verify2.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "no device tree rk3399-rock-pi-4b.dtb (--dtb)" "$KF_TMP/verify2.out" ||
    { cat "$KF_TMP/verify2.out"; fail "--dtb of a device tree the config does not build: exit $rc, want 1 naming it"; }
H=$KF_TMP/headers
dpkg-deb -x "$OUT"/linux-headers-${REL}_*_arm64.deb "$H"
readelf -h "$H/usr/src/linux-headers-$REL/scripts/mod/modpost" | grep -q 'Machine:.*AArch64' || fail "modpost is not aarch64"
pass "6.12 arm64 set built; verify passes (the headers' host programs are aarch64), lists bcm2711-rpi-4-b.dtb; a missing --dtb fails"

step "3. boot: the three real-time proofs"
boot_realtime "$OUT" "the 6.12 rt kernel"
pass "the 6.12 RT kernel boots with the three proofs"
