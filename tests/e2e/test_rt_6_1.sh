#!/bin/bash
# PREEMPT_RT on Debian's real linux-source-6.1 with the RT patch (issue 15):
#  1. Debian's own RT series for 6.1 (prepare-rt-6.1.sh) is made into one
#     kernel.org-style patch-6.1.Z-rtN.patch.xz, in a kernel.org-shaped
#     directory with decoys that carry the same (applicable) patch: a higher
#     sublevel than the tree, an -rc, another minor version, and an older
#     sublevel under older/;
#  2. without the patch, new --def rt fails (PREEMPT_RT dropped) and says
#     where the patch is; with --rt-patch DIR the matching rule picks
#     6.1.Z-rtN, checks it applies, applies it with the flavour (the shared
#     tree is a hard-link copy: the cache stays unpatched), records it;
#  3. build --host arm64 (cross, tinyconfig + the qemu fragment) names the
#     patch in reproduce.sh and manifest.json; verify passes;
#  4. boot shows the three real-time proofs (and /sys/kernel/realtime).
# Steps 3 and 4 compile a whole RT kernel, which CI's time does not hold
# beside test_rt_6_12's (the same build, verify and boot on 6.12): they run
# with KF_E2E_RT61_BUILD=1, as bench/rt.sh does.
# Needs root, Debian's mirror (deb-src of bookworm-security), qemu.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kernel_build_env

step "1. a kernel.org-shaped directory from Debian's patches-rt"
RT_SERIES=$(bash "$KF_SOURCE_DIR/tests/e2e/prepare-rt-6.1.sh")/patches-rt
sub=$(sed -n 's/^SUBLEVEL = //p' "$LINUX/Makefile")
# The series is rebased on a stable release: its last "Linux 6.1.Z-rtN REBASE" patch names it.
base=$(grep -v '^#' "$RT_SERIES/series" | sed -n 's/.*-Linux-\(6\.1\.[0-9]*\)-rt[0-9]*-REBASE\.patch$/\1/p' | tail -1)
[ -n "$base" ] || fail "the series names no 'Linux 6.1.Z-rtN REBASE' patch"
A=$KF_TMP/rt-a B=$KF_TMP/rt-b
mkdir -p "$A" "$B"
files=$(grep -v '^#' "$RT_SERIES/series" | grep . | while read -r p; do sed -n 's|^+++ b/\([^\t]*\).*|\1|p' "$RT_SERIES/$p"; done | sort -u)
for f in $files; do
    [ -e "$LINUX/$f" ] || continue
    mkdir -p "$A/$(dirname "$f")" && cp "$LINUX/$f" "$A/$f"
done
cp -a "$A/." "$B/"
grep -v '^#' "$RT_SERIES/series" | grep . | while read -r p; do
    patch -p1 -s --batch --forward --no-backup-if-mismatch -d "$B" -i "$RT_SERIES/$p" || fail "Debian's $p does not apply to linux-source-6.1"
done
rtn=$(sed 's/^-rt//' "$B/localversion-rt")
KORG=$KF_TMP/korg/6.1
mkdir -p "$KORG/older"
(cd "$KF_TMP" && diff -urN rt-a rt-b | sed 's|^--- rt-a/|--- a/|; s|^+++ rt-b/|+++ b/|') >"$KF_TMP/rt.patch" || true
grep -q '^+++ b/localversion-rt' "$KF_TMP/rt.patch" || fail "the combined patch lacks localversion-rt"
RIGHT=patch-$base-rt$rtn.patch.xz
xz -T0 -c "$KF_TMP/rt.patch" >"$KORG/$RIGHT"
for decoy in "patch-6.1.$((sub + 8))-rt$((rtn + 5)).patch.xz" "patch-6.2-rc3-rt1.patch.xz" "patch-6.6.30-rt30.patch.xz" \
    "older/patch-6.1.$((${base##*.} - 10))-rt$((rtn - 2)).patch.xz"; do
    cp "$KORG/$RIGHT" "$KORG/$decoy"
done
ls -R "$KORG"
pass "Debian $(cat "$RT_SERIES/../VERSION")'s patches-rt as $RIGHT ($(wc -c <"$KF_TMP/rt.patch") bytes) among decoys"

step "2. new rt: dropped without the patch, then --rt-patch picks $RIGHT"
T=$KF_TMP/rt-tree
mkdir -p "$T"
cp -al "$LINUX"/. "$T"/
rm -rf "$T/kflavour"
new_rt() {
    "$KFLAVOUR" -C "$T" "$@" new rt --arch arm64 --def rt --base-config tinyconfig \
        --fragment "$KF_SOURCE_DIR/tests/e2e/data/qemu-arm64.fragment"
}
rc=0
new_rt >"$KF_TMP/new.out" 2>"$KF_TMP/new.err" || rc=$?
[ "$rc" = 2 ] || { cat "$KF_TMP/new.err"; fail "rt on 6.1 without the patch: exit $rc, want 2"; }
grep -q "CONFIG_PREEMPT_RT: requested y" "$KF_TMP/new.err" && grep -q "projects/rt/6.1/" "$KF_TMP/new.err" ||
    { cat "$KF_TMP/new.err"; fail "the dropped PREEMPT_RT and the patch's place are not named"; }
[ ! -e "$T/kflavour/rt.flavour" ] || fail "a failed new left the flavour"
rc=0
"$KFLAVOUR" -C "$T" --json new rt --arch arm64 --def rt --base-config tinyconfig \
    --fragment "$KF_SOURCE_DIR/tests/e2e/data/qemu-arm64.fragment" --rt-patch "$KORG" >"$KF_TMP/new.json" \
    2>"$KF_TMP/new.err" || rc=$?
[ "$rc" = 0 ] || { cat "$KF_TMP/new.err"; fail "new --rt-patch: exit $rc"; }
python3 - "$KF_TMP/new.json" "$RIGHT" "$(sha256sum <"$KF_TMP/rt.patch" | cut -d' ' -f1)" <<'PY'
import json, sys
j, right, sha = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
p = j["rt_patch"]
assert p["name"] == right and p["sha256"] == sha and not p["already_applied"], p
assert p["reason"].startswith("newest stable RT patch of 6.1 below"), p
assert p["skipped"] == [], p
PY
grep -q '^CONFIG_PREEMPT_RT=y' "$T/kflavour/rt/arm64.config" || fail "PREEMPT_RT did not survive on the patched tree"
grep -qx "Rt-Patch: $RIGHT" "$T/kflavour/rt.flavour" || fail "the patch is not recorded"
[ "$(cat "$T/localversion-rt")" = "-rt$rtn" ] || fail "localversion-rt not applied"
[ ! -e "$LINUX/localversion-rt" ] && ! grep -q ARCH_SUPPORTS_RT "$LINUX/arch/arm64/Kconfig" ||
    fail "the shared 6.1 cache was patched through the hard links"
[ -z "$(ls -A "$TMPDIR")" ] || fail "scratch dirs left: $(ls "$TMPDIR")"
pass "$RIGHT chosen (a lower sublevel; decoys refused), applied, recorded; the shared tree unpatched"

if [ "${KF_E2E_RT61_BUILD:-0}" != 1 ]; then
    echo "note: the 6.1 RT build, verify and boot (steps 3, 4) run with KF_E2E_RT61_BUILD=1 (bench/rt.sh)"
    exit 0
fi

step "3. build --host arm64, verify"
REL=6.1.$sub-rt$rtn-rt
OUT=$KF_TMP/rt-arm64
"$KFLAVOUR" -C "$T" build --host arm64 --suite bookworm --out "$OUT" | tail -3
deb=$(ls "$OUT"/linux-image-${REL}_*_arm64.deb) || fail "no linux-image-$REL"
grep -q "^# the tree carries the RT patch of rt: $RIGHT (sha256 " "$OUT/reproduce.sh" || fail "reproduce.sh does not name the patch"
python3 - "$OUT/manifest.json" "$RIGHT" "$REL" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["rt_patch"].startswith("rt: " + sys.argv[2] + " (sha256 "), m.get("rt_patch")
assert m["releases"] == [sys.argv[3]], m["releases"]
PY
"$KFLAVOUR" verify "$OUT" --suite bookworm >"$KF_TMP/verify.out" 2>&1 || { cat "$KF_TMP/verify.out"; fail "verify"; }
pass "linux-image-$REL built; reproduce.sh and manifest.json name the patch; verify passes"

step "4. boot: the three real-time proofs"
boot_realtime "$OUT" "the rt kernel"
# The RT patch adds /sys/kernel/realtime (mainline 6.12 has none).
grep -q "^    ok: /sys/kernel/realtime reads 1" "$KF_TMP/boot.out" || fail "/sys/kernel/realtime does not read 1"
pass "the RT kernel boots: uname -v says PREEMPT_RT, /sys/kernel/realtime, CONFIG_PREEMPT_RT=y"
