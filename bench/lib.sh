# Sourced by the bench scripts: what they share.
# shellcheck shell=bash
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# bench_kflavour [PATH]: the absolute path of the kflavour binary to time.
# PATH, else $KFLAVOUR; a binary named that way must exist. With neither,
# build/kflavour, configured and built first when it is missing.
bench_kflavour() {
    local kf=${1:-${KFLAVOUR:-}}
    if [[ -n $kf ]]; then
        [[ -x $kf ]] || { echo "bench: $kf is not an executable kflavour" >&2; return 2; }
    else
        kf=$bench_root/build/kflavour
        if [[ ! -x $kf ]]; then
            echo "bench: building $kf" >&2
            cmake -S "$bench_root" -B "$bench_root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
            cmake --build "$bench_root/build" -j "$(nproc)" >/dev/null
        fi
    fi
    realpath "$kf"
}
