#!/bin/bash
# Times kflavour's annotations work on the bundled Ubuntu focal data
# (tests/data/ubuntu-focal-5.4.0-200) and compares with the target and with
# Ubuntu's own Python `annotations` tool:
#   config export --arch arm64 --flavour generic           (Ubuntu: ~430 ms)
#   config import --arch arm64 --flavour generic FILE      (Ubuntu: ~560 ms)
#   new tickless --arch arm64 --def tickless --no-resolve  (on a fresh copy each run;
#     compared with Ubuntu's import, the closest thing its tool does)
# Median of RUNS runs (default 11), with hyperfine when installed, else a bash loop.
#   KFLAVOUR=path/to/kflavour   binary to time (default: build/kflavour, built if missing)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-11}
target_ms=50
fixture=$root/tests/data/ubuntu-focal-5.4.0-200

source "$root/bench/lib.sh"
kf=$(bench_kflavour)

work=$(mktemp -d "${TMPDIR:-/tmp}/kflavour-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export KFLAVOUR_FLAVOURS_DIR=${KFLAVOUR_FLAVOURS_DIR:-$root/flavours}
export DEBFULLNAME=${DEBFULLNAME:-kflavour bench} DEBEMAIL=${DEBEMAIL:-bench@example.invalid}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

# The config to import: generic's own export (import then rewrites nothing).
"$kf" -C "$fixture" config export --arch arm64 --flavour generic >"$work/generic.config"

# median_ms PREPARE COMMAND: median wall time of COMMAND in ms; PREPARE runs
# (untimed) before each run. Both are shell snippets.
median_ms() {
    local prepare=$1 cmd=$2
    # A first run, untimed: warms caches and fails loudly if the command fails.
    bash -c "$prepare" && bash -c "$cmd" >/dev/null ||
        { echo "bench: command failed: $cmd" >&2; return 1; }
    if command -v hyperfine >/dev/null; then
        hyperfine --runs "$runs" --warmup 1 --style none --shell bash --prepare "$prepare" \
            --export-csv "$work/h.csv" "$cmd" >/dev/null
        # command,mean,stddev,median,user,system,min,max (seconds)
        awk -F, 'NR == 2 { printf "%.1f\n", $4 * 1000 }' "$work/h.csv"
    else
        local i t0 t1 times=()
        for ((i = 0; i < runs; i++)); do
            eval "$prepare"
            t0=$(date +%s%N)
            eval "$cmd" >/dev/null
            t1=$(date +%s%N)
            times+=($((t1 - t0)))
        done
        printf '%s\n' "${times[@]}" | sort -n |
            awk '{ t[NR] = $1 } END { printf "%.1f\n", t[int((NR + 1) / 2)] / 1e6 }'
    fi
}

# report NAME MS UBUNTU_MS UBUNTU_WHAT
report() {
    local name=$1 ms=$2 ubuntu=$3 what=$4 verdict
    verdict=$(awk -v m="$ms" -v t="$target_ms" 'BEGIN { print (m < t) ? "ok" : "MISSED" }')
    printf '%-14s %8.1f ms   target < %d ms: %-6s' "$name" "$ms" "$target_ms" "$verdict"
    if [[ -n $ubuntu ]]; then
        awk -v m="$ms" -v u="$ubuntu" -v w="$what" \
            'BEGIN { printf "   Ubuntu %s ~%d ms: %.1fx", w, u, u / (m > 0 ? m : 0.001) }'
    fi
    printf '\n'
}

q() { printf '%q' "$1"; }
copy="rm -rf $(q "$work/tree") && cp -a $(q "$fixture") $(q "$work/tree")"

tool=$(command -v hyperfine >/dev/null && echo hyperfine || echo "bash loop")
echo "kflavour annotations bench: $kf, median of $runs runs ($tool), $(nproc) CPUs," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) (numbers are only meaningful on a quiet machine)"
export_ms=$(median_ms ":" "$(q "$kf") -C $(q "$fixture") config export --arch arm64 --flavour generic")
import_ms=$(median_ms "$copy" "$(q "$kf") -C $(q "$work/tree") config import --arch arm64 --flavour generic $(q "$work/generic.config")")
new_ms=$(median_ms "$copy" "$(q "$kf") -C $(q "$work/tree") new tickless --arch arm64 --def tickless --no-resolve")

report "config export" "$export_ms" 430 "--export"
report "config import" "$import_ms" 560 "--import"
report "new tickless" "$new_ms" 560 "--import"
