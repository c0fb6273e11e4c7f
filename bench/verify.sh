#!/bin/bash
# Times `kflavour verify` of the arm64 kernel set against the full bookworm
# main arm64 index (target < 2 s: reading every .deb to its end, md5 of every
# file, loading ~60k index stanzas, checking), and dose-debcheck on the same
# inputs beside it (the set's stanzas from dpkg-scanpackages as foreground,
# the index as background). Prints per-run seconds (wall, and kflavour's
# user+sys CPU: it reads the index on a second thread while it reads the
# .debs), the medians, and kflavour's ratio to the target.
#   SET=DIR (default ${KF_E2E_SETS:-/var/cache/kflavour-e2e/sets}/tickless-arm64)
#   INDEX=FILE (default this machine's bookworm main arm64 Packages list)
#   RUNS=N (default 5)   KFLAVOUR=path/to/kflavour (default build/kflavour, built if missing)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-5}
target_s=2
set_dir=${SET:-${KF_E2E_SETS:-/var/cache/kflavour-e2e/sets}/tickless-arm64}
index=${INDEX:-$(ls /var/lib/apt/lists/*_debian_dists_bookworm_main_binary-arm64_Packages* 2>/dev/null | head -1)}
[ -n "$(ls "$set_dir"/*.deb 2>/dev/null)" ] || { echo "bench: no .debs in $set_dir (set SET=DIR)" >&2; exit 2; }
[ -n "$index" ] && [ -e "$index" ] || { echo "bench: no bookworm arm64 index (dpkg --add-architecture arm64; apt-get update)" >&2; exit 2; }
command -v dose-debcheck >/dev/null || { echo "bench: needs dose-debcheck (package dose-distcheck)" >&2; exit 2; }
source "$root/bench/lib.sh"
kf=$(bench_kflavour)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# dose reads plain text: the index decompressed once (not timed), the set's stanzas.
/usr/lib/apt/apt-helper cat-file "$index" >"$tmp/Packages"
(cd "$set_dir" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null) >"$tmp/set.Packages"

now() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }
echo "set: $set_dir ($(ls "$set_dir"/*.deb | wc -l) debs, $(du -sh "$set_dir" | cut -f1)); index: $index ($(grep -c '^Package:' "$tmp/Packages") stanzas)"
printf '%-4s %12s %12s %4s %10s\n' run kflavour_s cpu_s rc dose_s
for i in $(seq "$runs"); do
    start=$(now)
    rc=0
    /usr/bin/time -f '%U %S' -o "$tmp/cpu" "$kf" -q verify "$set_dir" --suite bookworm --host arm64 --packages "$index" \
        >/dev/null 2>&1 || rc=$?
    kf_ns=$(($(now) - start))
    kf_cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$tmp/cpu")
    start=$(now)
    dose-debcheck --deb-native-arch=arm64 --bg "$tmp/Packages" --fg "$tmp/set.Packages" --failures >/dev/null 2>&1 || true
    dose_ns=$(($(now) - start))
    printf '%-4s %12s %12s %4s %10s\n' "$i" "$(secs $kf_ns)" "$kf_cpu" "$rc" "$(secs $dose_ns)"
    echo "$kf_ns $dose_ns $kf_cpu" >>"$tmp/rows"
done
python3 - "$tmp/rows" "$target_s" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
kf = statistics.median(int(r[0]) for r in rows) / 1e9
dose = statistics.median(int(r[1]) for r in rows) / 1e9
cpu = statistics.median(float(r[2]) for r in rows)
target = float(sys.argv[2])
print(f"median of {len(rows)}: kflavour verify {kf:.3f} s ({kf / target:.2f} of the {target:.0f} s target: "
      f"{'ok' if kf < target else 'OVER'}; {cpu:.3f} s CPU); dose-debcheck {dose:.3f} s (dependencies only; kflavour/dose = {kf / dose:.2f})")
PY
