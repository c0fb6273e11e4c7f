#!/bin/bash
# Times `kflavour config resolve` on the real 6.1 tree (tests/e2e data: Debian's
# linux-source-6.1 with Debian's amd64/arm64 configs imported as an Ubuntu-layout
# tree) and splits it: total wall time, make (Kconfig itself), other tools
# (dpkg-architecture), and kflavour's own share (export + apply + Kconfig lookup
# + import + write), from kflavour's --json timing_ms. Target: own share < 100 ms.
#   RUNS=N (default 5)  ARCH=arm64|amd64 (default arm64: cross)
#   KFLAVOUR=path/to/kflavour (default build/kflavour, built if missing)
# Needs what tests/e2e/prepare-linux-6.1.sh installs (root, Debian mirror; cached).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-5}
arch=${ARCH:-arm64}
target_ms=100
source "$root/bench/lib.sh"
KFLAVOUR=$(bench_kflavour)
export KFLAVOUR KF_SOURCE_DIR=$root
source "$root/tests/e2e/lib.sh"   # sets up the 6.1 data, make_tree, $KF_TMP (removed on exit)

TREE=$(make_tree bench)
"$KFLAVOUR" -q -C "$TREE" new tickless --arch "$arch" --def tickless --no-resolve
cp "$TREE/debian.master/config/annotations" "$KF_TMP/annotations.orig"

printf '%-4s %10s %10s %10s %12s\n' run total_ms make_ms tools_ms kflavour_ms
for i in $(seq "$runs"); do
    cp "$KF_TMP/annotations.orig" "$TREE/debian.master/config/annotations"
    start=$(date +%s%N)
    "$KFLAVOUR" -q --json -C "$TREE" config resolve --arch "$arch" --flavour tickless >"$KF_TMP/r.json" 2>/dev/null
    end=$(date +%s%N)
    python3 - "$KF_TMP/r.json" "$i" "$(((end - start) / 1000))" >>"$KF_TMP/rows" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["timing_ms"]
total = int(sys.argv[3]) / 1000
print(f"{sys.argv[2]} {total:.1f} {t['make']:.1f} {t['tools']:.1f} {t['kflavour']:.1f} "
      f"{t['export']:.1f} {t['lookup']:.1f} {t['import']:.1f}")
PY
    tail -1 "$KF_TMP/rows" | awk '{printf "%-4s %10s %10s %10s %12s\n", $1, $2, $3, $4, $5}'
done
python3 - "$KF_TMP/rows" "$target_ms" <<'PY'
import statistics, sys
rows = [list(map(float, l.split()[1:])) for l in open(sys.argv[1])]
med = [statistics.median(c) for c in zip(*rows)]
total, make, tools, own, exp, look, imp = med
print(f"median of {len(rows)}: total {total:.0f} ms = make {make:.0f} ms + other tools {tools:.0f} ms "
      f"+ kflavour {own:.1f} ms (export+apply {exp:.1f}, Kconfig lookup {look:.1f}, import+write {imp:.1f}) "
      f"+ startup/rest {total - make - tools - own:.0f} ms")
print(f"kflavour's own share: {own:.1f} ms (target < {sys.argv[2]} ms): {'ok' if own < float(sys.argv[2]) else 'OVER'}")
PY
