#!/bin/bash
# kflavour build on the upstream tinyconfig tickless flavour of Debian's
# linux-source-6.1 (+ tests/e2e/data/qemu-amd64.fragment), on this machine
# (--no-chroot, so both sides run in the same place with the same tools):
#   1. kflavour build wall time / plain `make bindeb-pkg` wall time, same
#      config, same objtree path, no ccache on either side (target <= 1.05);
#   2. warm-ccache rebuild / cold-ccache build (target <= 0.2);
#   3. emulated (--arch arm64, qemu-user chroot) / cross (--host arm64) for
#      the same kernel (reported, no target). Slow: SKIP_EMULATED=1 skips
#      the emulated build.
#   PARTS=123 (which parts to run)  ROUNDS=3 (rounds of parts 1 and 2)  JOBS=N (default nproc)
#   KFLAVOUR=path/to/kflavour (default build/kflavour, built if missing)
#   COMPRESS=zstd: the packages' compressor in part 1, on both sides (it is
#   kflavour's default for a bookworm target; plain bindeb-pkg takes it as
#   KDEB_COMPRESS), so the ratio compares the same packaging work.
# Needs root for the emulated part, and what tests/e2e/prepare-linux-6.1.sh installs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${JOBS:-$(nproc)}
parts=${PARTS:-123}
rounds=${ROUNDS:-3}
comp=${COMPRESS:-zstd}
source "$root/bench/lib.sh"
KFLAVOUR=$(bench_kflavour)
export KFLAVOUR KF_SOURCE_DIR=$root
source "$root/tests/e2e/lib.sh"   # the 6.1 data, $LINUX, $KF_TMP (removed on exit)

secs() { python3 -c "print(f'{($2 - $1) / 1e9:.1f}')" ; }
now() { date +%s%N; }
# timed ARRAY CMD...: run CMD, append its wall time (s) to ARRAY.
timed() {
    local -n times=$1
    shift
    local t0
    t0=$(now)
    "$@"
    times+=("$(secs "$t0" "$(now)")")
}
ratio() { python3 -c "print(f'{$1 / $2:.3f}')"; }

AMD=$(tickless_tree amd64)
OUT=$KF_TMP/out
echo "bench: upstream tinyconfig tickless, 6.1.192, -j$jobs, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"

# Each ratio is of medians over ROUNDS rounds (this machine's times vary by
# 10% from run to run); every round's figures are printed too.
median() { python3 -c 'import statistics, sys; print(f"{statistics.median(map(float, sys.argv[1:])):.1f}")' "$@"; }

# 1. Plain make in the objtree path kflavour uses, then kflavour, alternating.
if [[ $parts == *1* ]]; then
plains=() kfls=()
for ((round = 1; round <= rounds; round++)); do
    rm -rf "$OUT"
    obj=$OUT/.work/obj-tickless
    mkdir -p "$obj"
    cp "$AMD/kflavour/tickless/amd64.config" "$obj/.config"
    timed plains make -s -C "$AMD" O="$obj" ARCH=x86_64 LOCALVERSION=-tickless KDEB_PKGVERSION=6.1.192-1 \
        KBUILD_DEBARCH=amd64 KDEB_COMPRESS="$comp" -j"$jobs" bindeb-pkg >"$KF_TMP/plain.log" 2>&1
    rm -rf "$OUT"
    timed kfls "$KFLAVOUR" -q -C "$AMD" build --no-chroot --no-ccache --compress "$comp" --jobs "$jobs" --out "$OUT"
    echo "  round $round: plain ${plains[-1]} s, kflavour ${kfls[-1]} s"
done
plain=$(median "${plains[@]}")
kfl=$(median "${kfls[@]}")
echo "plain make bindeb-pkg:        ${plain} s   (median of $rounds; KDEB_COMPRESS=$comp)"
echo "kflavour build (no ccache):   ${kfl} s   (median of $rounds; --compress $comp)"
echo "ratio kflavour/plain:         $(ratio "$kfl" "$plain")   (target <= 1.05)"
fi

# 2. Cold then warm ccache (a fresh cache dir each round; the rebuild starts
#    from a clean objtree too), with kflavour's default compressor.
if [[ $parts == *2* ]]; then
export KFLAVOUR_CCACHE_DIR=$KF_TMP/ccache
colds=() warms=()
for ((round = 1; round <= rounds; round++)); do
    rm -rf "$KFLAVOUR_CCACHE_DIR"
    timed colds "$KFLAVOUR" -q -C "$AMD" build --no-chroot --jobs "$jobs" --out "$OUT"
    timed warms "$KFLAVOUR" -q -C "$AMD" build --no-chroot --jobs "$jobs" --out "$OUT"
    echo "  round $round: cold ${colds[-1]} s, warm ${warms[-1]} s"
done
cold=$(median "${colds[@]}")
warm=$(median "${warms[@]}")
default_comp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["compression"])' "$OUT/manifest.json")
echo "cold-ccache build:            ${cold} s   (median of $rounds; empty cache; compression: $default_comp)"
echo "warm-ccache rebuild:          ${warm} s   (median of $rounds)"
echo "ratio warm/cold:              $(ratio "$warm" "$cold")   (target <= 0.2)"
# Cold ccache costs time of its own; against a build without ccache (part 1):
[ -z "${kfl:-}" ] || echo "ratio warm/no-ccache build:   $(ratio "$warm" "$kfl")   (part 1's kflavour build, for reference)"
fi

# 3. Cross vs emulated, the same arm64 kernel, no ccache.
[[ $parts == *3* ]] || exit 0
ARM=$(tickless_tree arm64)
crosses=()
timed crosses "$KFLAVOUR" -q -C "$ARM" build --no-chroot --no-ccache --host arm64 --jobs "$jobs" --out "$KF_TMP/cross"
cross=${crosses[0]}
echo "cross --host arm64:           ${cross} s"
if [ -n "${SKIP_EMULATED:-}" ]; then
    echo "emulated --arch arm64:        skipped (SKIP_EMULATED)"
    exit 0
fi
export XDG_CACHE_HOME=${KF_E2E_CHROOT_CACHE:-$KF_E2E_CACHE}
emus=()
timed emus "$KFLAVOUR" -q -C "$ARM" build --arch arm64 --suite bookworm --no-ccache --jobs "$jobs" --out "$KF_TMP/emulated"
emu=${emus[0]}
echo "emulated --arch arm64:        ${emu} s   (chroot creation included on the first run)"
echo "ratio emulated/cross:         $(ratio "$emu" "$cross")"
