#!/bin/bash
# One flavour of Debian's own kernel packaging built the Debian way (issue 16),
# on the whole bookworm linux source package (prepare-debian-source.sh), in
# featureset $1 (none, or rt: Debian's own patches-rt):
#  1. `new tickless --arch arm64 [--featureset rt]` on a hard-link copy; `list`
#     shows it;
#  2. --dry-run: the config.local, the profiles, Debian's own setup and
#     dpkg-buildpackage -aarm64 -P…, nothing written;
#  3. a quick cross build (--modules-from a real arm64 server's module list)
#     in a bookworm chroot with the tree's build-dependencies: Debian's names
#     for the flavour (linux-image/-headers-ABI-tickless, -common, linux-kbuild),
#     the +quick version, no other flavour's packages, the tree untouched;
#  4. `verify` passes (complete, cpu, consistent, installable on bookworm);
#  5. `boot` boots the image under qemu-system-aarch64 with NO_HZ_FULL=y (and,
#     in featureset rt, PREEMPT_RT=y and a PREEMPT_RT `uname -v`).
# Needs root and Debian's mirror. Run by test_debian_build_6_1.sh (none) and
# test_debian_build_rt_6_1.sh (rt).
set -euo pipefail
FS=${1:?featureset: none or rt}
source "$(dirname "$0")/lib.sh"
kernel_build_env
if [ "$FS" = rt ]; then
    NEW_FS=(--featureset rt); BUILD_FS=(--featureset rt)
    LOCALV=rt.tickless1 NAME=rt-tickless COMMON=common-rt OTHER=rt-arm64
    EXPECT=(CONFIG_NO_HZ_FULL=y CONFIG_HZ_100=y CONFIG_PREEMPT_RT=y)
    LISTED='arm64 rt: arm64 tickless'
else
    NEW_FS=(); BUILD_FS=()
    LOCALV=tickless1 NAME=tickless COMMON=common OTHER=arm64
    EXPECT=(CONFIG_NO_HZ_FULL=y CONFIG_HZ_100=y)
    LISTED='arm64 none: arm64 cloud-arm64 tickless'
fi
SOURCE=$(bash "$KF_SOURCE_DIR/tests/e2e/prepare-debian-source.sh")
VERSION=$(cat "$(dirname "$SOURCE")/VERSION")
SETS=${KF_E2E_SETS:-$KF_E2E_CACHE/sets}
OUT=$SETS/debian-tickless-$FS-arm64
LIST=$KF_TEST_DATA/modules/arm64-supermicro-g1smh.modules

step "1. new and list on the whole source package"
TREE=$KF_TMP/linux
mkdir -p "$TREE"
cp -al "$SOURCE"/. "$TREE"/
"$KFLAVOUR" -C "$TREE" new tickless --arch arm64 "${NEW_FS[@]}" --def tickless >"$KF_TMP/new.out" || { cat "$KF_TMP/new.out"; fail "new"; }
"$KFLAVOUR" -C "$TREE" list | grep -qx "$LISTED" || fail "list lacks the flavour"
# `new` writes by rename: the cached source behind the hard links is as it was.
grep -rq tickless "$SOURCE/debian/config" && fail "new wrote through a hard link into the cache"
ABI=$(grep -o -m1 "ABINAME='[^']*'" "$TREE/debian/rules.gen")   # (no pipe into head: pipefail)
ABI=${ABI#ABINAME=\'}
ABI=${ABI%\'}
TOP=$(dpkg-parsechangelog -l "$TREE/debian/changelog" -S Version)
[ -n "$ABI" ] && [ "$TOP" = "${VERSION}a~$LOCALV" ] || fail "abiname '$ABI' or version '$TOP'"
snapshot_tree() { (cd "$TREE" && find debian -type f -print0 | sort -z | xargs -0 sha256sum); }
snapshot_tree >"$KF_TMP/before"
pass "new: tickless for arm64, featureset $FS ($TOP, abiname $ABI)"

step "2. dry-run"
"$KFLAVOUR" -C "$TREE" --dry-run build --flavour tickless "${BUILD_FS[@]}" --host arm64 --modules-from "$LIST" --out "$OUT" >"$KF_TMP/dry.txt"
for want in "featuresets: $FS" "flavours: tickless" "regenerate-control.sh arm64 $FS tickless" \
    "dpkg-architecture -aarm64 -c debian/rules setup" "LSMOD=$OUT/.work/lsmod-quick localmodconfig" \
    "dpkg-buildpackage -b -uc -us" "-Pnodoc,noudeb,pkg.linux.nosource,pkg.linux.mintools"; do
    grep -qF -- "$want" "$KF_TMP/dry.txt" || { cat "$KF_TMP/dry.txt"; fail "dry-run lacks: $want"; }
done
pass "dry-run shows config.local, Debian's setup, the reduction and the profiles"

step "3. quick cross build for arm64"
rm -rf "$OUT"
"$KFLAVOUR" -C "$TREE" build --flavour tickless "${BUILD_FS[@]}" --host arm64 --suite bookworm --modules-from "$LIST" --out "$OUT" |
    tee "$KF_TMP/build.txt"
grep -q "knobs: profiles nodoc,noudeb,pkg.linux.nosource" "$KF_TMP/build.txt" || fail "the profiles are not in the log"
V="${TOP}+quick"
for p in "linux-image-$ABI-$NAME:arm64" "linux-headers-$ABI-$NAME:arm64" "linux-headers-$ABI-$COMMON:all" \
    "linux-kbuild-${ABI%%.0-*}:arm64"; do
    deb=$(ls "$OUT/${p%%:*}_${V}_${p##*:}.deb" 2>/dev/null) || fail "no ${p%%:*} ${V} ${p##*:} in $OUT: $(ls "$OUT")"
done
if ls "$OUT"/linux-image-"$ABI"-$OTHER* "$OUT"/linux-image-"$ABI"-cloud* 2>/dev/null | grep -q .; then
    fail "another flavour was built: $(ls "$OUT")"
fi
if ls "$OUT"/*-dbgsym_*.deb 2>/dev/null | grep -q .; then fail "debug symbol packages without --full: $(ls "$OUT"/*-dbgsym_*)"; fi
# (files, not pipes into grep -q: pipefail would see dpkg-deb's SIGPIPE)
dpkg-deb --fsys-tarfile "$OUT/linux-image-$ABI-${NAME}_${V}_arm64.deb" >"$KF_TMP/image.tar"
tar -xOf "$KF_TMP/image.tar" "./boot/config-$ABI-$NAME" >"$KF_TMP/config" || fail "no config in the image"
for want in "${EXPECT[@]}"; do grep -qx "$want" "$KF_TMP/config" || fail "the image's config lacks $want"; done
python3 - "$OUT/manifest.json" "$ABI-$NAME" <<'PY' || fail "manifest.json"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["kind"] == "debian" and j["mode"] == "cross" and j["host_arch"] == "arm64", j
assert j["config"].startswith("quick (localmodconfig of "), j["config"]
assert j["releases"] == [sys.argv[2]], j["releases"]
PY
snapshot_tree >"$KF_TMP/after"
cmp -s "$KF_TMP/before" "$KF_TMP/after" || { diff "$KF_TMP/before" "$KF_TMP/after" | head; fail "the build changed the tree"; }
[ ! -e "$OUT/.work" ] || fail ".work left behind"
pass "quick cross build: $(ls "$OUT"/*.deb | wc -l) packages, Debian's names, $V"

step "4. verify"
"$KFLAVOUR" verify "$OUT" --suite bookworm >"$KF_TMP/verify.out" 2>&1 || { cat "$KF_TMP/verify.out"; fail "verify"; }
cat "$KF_TMP/verify.out"
pass "verify passes"

step "5. boot"
"$KFLAVOUR" --json boot "$OUT" "${EXPECT[@]/#/--expect=}" --cmdline nohz_full=1 --timeout 300 >"$KF_TMP/boot.json" \
    2>"$KF_TMP/boot.err" || { cat "$KF_TMP/boot.err" "$KF_TMP/boot.json"; fail "boot"; }
python3 - "$KF_TMP/boot.json" "$ABI-$NAME" "$FS" <<'PY' || fail "boot --json"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["passed"] is True and j["running_release"] == sys.argv[2], (j["passed"], j["running_release"], j["failures"])
assert "nohz_full=1" in j["cmdline"].split(), j["cmdline"]
if sys.argv[3] == "rt":
    assert j["realtime"]["judged"] is True and "PREEMPT_RT" in j["version"], (j["realtime"], j["version"])
    print(f"  uname -v: {j['version']}; proofs: {'; '.join(j['realtime']['proofs'])}")
print(f"  {j['running_release']} booted in {j['boot_seconds']:.1f} s; dpkg -l: " +
      ", ".join(f"{p['status']} {p['package']}" for p in j["installed"]))
PY
pass "boot: $ABI-$NAME runs with nohz_full (featureset $FS)"
