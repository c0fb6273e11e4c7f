#!/bin/bash
# kflavour chroot create: cold create time vs plain mmdebstrap with the same
# arguments (target ratio <= 1.05), and the cached re-create (target < 1 s).
#   bench/chroot.sh [KFLAVOUR] [-- CREATE ARGS]   default args: bookworm --host arm64
#   (KFLAVOUR default: $KFLAVOUR, else build/kflavour, built if missing)
# Runs in a scratch cache (KFLAVOUR_CHROOT_DIR), so it never touches yours.
# Network time dominates both sides; RUNS=N alternates the two N times.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
kf_arg=
if [[ $# -gt 0 && $1 != -- ]]; then kf_arg=$1; shift; fi
[[ ${1:-} != -- ]] || shift
KFLAVOUR=$(bench_kflavour "$kf_arg")
ARGS=("$@")
[ ${#ARGS[@]} -gt 0 ] || ARGS=(bookworm --host arm64)
RUNS=${RUNS:-1}
W=$(mktemp -d /var/tmp/kf-bench-chroot.XXXXXX)
trap 'rm -rf "$W"' EXIT
export KFLAVOUR_CHROOT_DIR=$W/cache
now() { date +%s.%N; }

kf_total=0 plain_total=0
for i in $(seq 1 "$RUNS"); do
    rm -rf "$W/cache" "$W/plain.tar"
    t0=$(now)
    "$KFLAVOUR" -q chroot create "${ARGS[@]}" --name bench >/dev/null
    t1=$(now)
    # The same mmdebstrap argv kflavour ran, with another target.
    mapfile -t argv < <(python3 -c 'import json,sys; [print(a) for a in json.load(open(sys.argv[1]))["mmdebstrap"]]' "$W/cache/bench.json")
    for j in "${!argv[@]}"; do case ${argv[$j]} in */.bench.partial-*.tar) argv[$j]=$W/plain.tar ;; esac; done
    t2=$(now)
    "${argv[@]}" >/dev/null 2>&1
    t3=$(now)
    kf=$(echo "$t1 - $t0" | bc) plain=$(echo "$t3 - $t2" | bc)
    printf 'run %d: kflavour chroot create %.1f s, plain mmdebstrap %.1f s\n' "$i" "$kf" "$plain"
    kf_total=$(echo "$kf_total + $kf" | bc) plain_total=$(echo "$plain_total + $plain" | bc)
done
t0=$(now)
"$KFLAVOUR" -q chroot create "${ARGS[@]}" --name bench >/dev/null
t1=$(now)
printf 'args: %s\n' "${ARGS[*]}"
printf 'cold create: kflavour %.1f s, plain mmdebstrap %.1f s, ratio %.3f (target <= 1.05)\n' \
    "$(echo "$kf_total / $RUNS" | bc -l)" "$(echo "$plain_total / $RUNS" | bc -l)" "$(echo "$kf_total / $plain_total" | bc -l)"
printf 'cached re-create: %.3f s (target < 1 s)\n' "$(echo "$t1 - $t0" | bc)"
