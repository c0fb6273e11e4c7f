#!/bin/bash
# Build the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/ and run
# each for SECONDS (default 120) with inputs up to 1 MB, seeded from
# tests/data. Prints executions, executions per second and findings per
# target; exits 1 if any target found a crash or a failed property.
#   bash bench/fuzz.sh [SECONDS] [TARGET...]
#   KF_FUZZ_JOBS=N   targets run N at a time (default: nproc)
#   KF_FUZZ_RUNS=N   each target also stops after N executions (SECONDS stays the cap)
# Needs clang and libclang-rt-dev (Debian: clang, libclang-rt-14-dev).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

secs=${1:-120}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(annotations pyliteral changelog vars rules_mk dotconfig build_depends deb)
jobs=${KF_FUZZ_JOBS:-$(nproc)}
runs=${KF_FUZZ_RUNS:--1}
build=$bench_root/build-fuzz
out=$build/runs
data=$bench_root/tests/data
focal=$data/ubuntu-focal-5.4.0-200/debian.master

command -v clang++ >/dev/null || { echo "bench: clang++ is missing (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
CC=clang CXX=clang++ cmake -S "$bench_root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DKFLAVOUR_BUILD_TESTS=OFF -DKFLAVOUR_FUZZ=ON \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null

# Seeds: the real files of each kind (cut to 1 MB).
seed() {
    local target=$1 dir=$out/$1/seed
    rm -rf "$dir"
    mkdir -p "$dir"
    case $target in
    # Small real pieces: libFuzzer grows inputs (up to 1 MB) from there, and a
    # whole 0.6 MB file per run would leave no time to mutate.
    annotations) head -300 "$focal/config/annotations" >"$dir/focal" ;;
    pyliteral) grep -o "policy<{[^>]*}>" "$focal/config/annotations" | head -200 | sed 's/^policy<//; s/>$//' |
        split -l 1 - "$dir/p" || true ;;
    changelog) head -60 "$focal/changelog" >"$dir/focal" ;;
    vars) cp "$focal"/control.d/vars.* "$dir/" ;;
    rules_mk) cp "$focal"/rules.d/*.mk "$dir/" ;;
    dotconfig) for f in "$data"/expected/export/*.config; do head -300 "$f" >"$dir/$(basename "$f")"; done ;;
    build_depends) cp "$focal/control.stub.in" "$data"/expected/deps-fix/* "$dir/" ;;
    deb) for f in "$data"/apt-lists-bookworm/*Packages; do head -100 "$f" >"$dir/$(basename "$f")"; done
        mkdir -p "$dir/pkg/DEBIAN" "$dir/pkg/lib/modules/6.1.0-tickless"
        printf 'Package: linux-image-6.1.0-tickless\nVersion: 6.1.0-1\nArchitecture: arm64\nMaintainer: x <x@example.com>\nDescription: seed\n' \
            >"$dir/pkg/DEBIAN/control"
        echo seed >"$dir/pkg/lib/modules/6.1.0-tickless/modules.order"
        dpkg-deb --root-owner-group -Znone -b "$dir/pkg" "$dir/seed.deb" >/dev/null
        rm -rf "$dir/pkg" ;;
    esac
}

run_one() {
    local target=$1 dir=$out/$1
    mkdir -p "$dir/corpus" "$dir/artifacts"
    seed "$target"
    "$build/tests/fuzz/fuzz_$target" "$dir/corpus" "$dir/seed" -max_len=1048576 -max_total_time="$secs" -runs="$runs" \
        -print_final_stats=1 -artifact_prefix="$dir/artifacts/" -close_fd_mask=1 >"$dir/log" 2>&1 || true
}

echo "fuzzing ${#targets[@]} targets for ${secs} s each, $jobs at a time (inputs up to 1 MB)"
running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if ((running >= jobs)); then
        wait -n
        running=$((running - 1))
    fi
done
wait

bad=0
printf '%-15s %12s %10s %9s\n' target executions 'exec/s' findings
for t in "${targets[@]}"; do
    log=$out/$t/log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    findings=$(find "$out/$t/artifacts" -type f | wc -l)
    printf '%-15s %12s %10s %9s\n' "$t" "${execs:-?}" "${rate:-?}" "$findings"
    if ((findings > 0)) || [[ -z $execs ]]; then
        bad=1
        grep -m3 -E "ERROR|property failed|runtime error" "$log" | sed "s/^/  $t: /" || true
    fi
done
exit $bad
