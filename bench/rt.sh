#!/bin/bash
# The rt flavour against the tickless one on Debian trixie's linux-source-6.12
# (tests/e2e/prepare-linux-6.12.sh): the same base config (tinyconfig + the
# qemu fragment of tests/e2e/data), each built cross (arm64) or natively
# (amd64) in the bookworm chroot without ccache, so the compile stage measures
# compiling. The rt set of each arch is also verified and booted with the
# three real-time proofs: mainline RT's whole path, amd64 included (CI covers
# arm64 in tests/e2e/test_rt_6_12.sh). Prints the compile stages and rt/tickless.
# Then the 6.1 RT patch's whole path (tests/e2e/test_rt_6_1.sh with
# KF_E2E_RT61_BUILD=1: its build, verify and boot, which CI leaves out).
#   ARCHES="arm64 amd64" (default)  JOBS=N (default nproc)  KFLAVOUR=path  RT61=0
# Needs root, Debian's mirror, qemu; about 10 minutes per arch on 2 cores.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${JOBS:-$(nproc)}
source "$root/bench/lib.sh"
KFLAVOUR=$(bench_kflavour)
export KFLAVOUR KF_SOURCE_DIR=$root
source "$root/tests/e2e/lib.sh"   # $KF_E2E_CACHE, $KF_TMP (removed on exit)
export XDG_CACHE_HOME=${KF_E2E_CHROOT_CACHE:-$KF_E2E_CACHE}
L612=$(bash "$root/tests/e2e/prepare-linux-6.12.sh")/linux-6.12

stage_secs() {  # OUT STAGE
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["stages"][sys.argv[2]])' "$1/manifest.json" "$2"
}
summary=()
for arch in ${ARCHES:-arm64 amd64}; do
    tree=$KF_TMP/tree-$arch
    mkdir -p "$tree"
    cp -al "$L612"/. "$tree"/
    rm -rf "$tree/kflavour"
    for f in tickless rt; do
        "$KFLAVOUR" -q -C "$tree" new "$f" --arch "$arch" --def "$f" --base-config tinyconfig \
            --fragment "$root/tests/e2e/data/qemu-$arch.fragment"
    done
    host=(--host "$arch")
    [ "$arch" = "$(dpkg --print-architecture)" ] && host=()
    for f in tickless rt; do
        echo "bench: $f for $arch (jobs $jobs, no ccache)" >&2
        "$KFLAVOUR" -C "$tree" build --flavour "$f" "${host[@]}" --suite bookworm --no-ccache --jobs "$jobs" \
            --out "$KF_TMP/$f-$arch" >&2
    done
    "$KFLAVOUR" verify "$KF_TMP/rt-$arch" --suite bookworm >&2
    "$KFLAVOUR" boot "$KF_TMP/rt-$arch" --expect CONFIG_PREEMPT_RT=y --timeout 300 >"$KF_TMP/boot-$arch.txt"
    grep -E "booted|uname -v|realtime|proofs|    ok:" "$KF_TMP/boot-$arch.txt" >&2
    tickless=$(stage_secs "$KF_TMP/tickless-$arch" compile)
    rt=$(stage_secs "$KF_TMP/rt-$arch" compile)
    summary+=("$(printf '%s: compile tickless %.0f s, rt %.0f s, rt / tickless = %s; rt verified and booted (3 proofs)' \
        "$arch" "$tickless" "$rt" "$(python3 -c "print(f'{$rt / $tickless:.2f}')")")")
done
printf '%s\n' "${summary[@]}"
# The RT patch's path on 6.1 (CI runs its selection and apply only): the e2e
# test with its build, verify and boot steps. RT61=0 leaves it out.
if [ "${RT61:-1}" = 1 ]; then
    echo "bench: tests/e2e/test_rt_6_1.sh with the 6.1 RT build, verify and boot" >&2
    KF_E2E_RT61_BUILD=1 KF_TEST_DATA="$root/tests/data" bash "$root/tests/e2e/test_rt_6_1.sh" >&2
    echo "6.1 + Debian's patches-rt: built, verified and booted (3 proofs, /sys/kernel/realtime)"
fi
