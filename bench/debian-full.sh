#!/bin/bash
# One flavour of Debian's kernel packaging built in full against the quick
# build (issue 16): the bookworm linux source package (TREE, else the e2e
# cache's, tests/e2e/prepare-debian-source.sh), `new tickless --arch ARCH`,
# then `build --flavour tickless` for ARCH (cross from this machine unless it
# is native) twice with --no-ccache: full, and quick (--modules-from LIST).
# Prints each build's wall time, compile stage and packages, both verify
# verdicts, and quick/full. The full side takes hours on 2 cores.
#   bench/debian-full.sh [TREE]   ARCH=arm64 (default)  LIST=FILE  JOBS=N
#   KFLAVOUR=path/to/kflavour  ONLY=full|quick (one side; no ratio)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
arch=${ARCH:-arm64}
jobs=${JOBS:-$(nproc)}
list=${LIST:-$root/tests/data/modules/arm64-supermicro-g1smh.modules}
[ "$arch" = amd64 ] && [ -z "${LIST:-}" ] && list=$root/tests/data/modules/amd64-dell-r440.modules
source "$root/bench/lib.sh"
KFLAVOUR=$(bench_kflavour)
export KFLAVOUR KF_SOURCE_DIR=$root KF_TEST_DATA=$root/tests/data
source "$root/tests/e2e/lib.sh"   # $KF_TMP (removed on exit), the e2e caches
kernel_build_env
source_tree=${1:-$(bash "$root/tests/e2e/prepare-debian-source.sh")}
out_root=${OUT_ROOT:-$KF_E2E_CACHE/bench-debian}

tree=$KF_TMP/linux
mkdir -p "$tree" "$out_root"
cp -al "$source_tree"/. "$tree"/
"$KFLAVOUR" -q -C "$tree" new tickless --arch "$arch" --def tickless
mode=(--host "$arch")
[ "$arch" = "$(dpkg --print-architecture)" ] && mode=(--native)

report() {  # KIND: wall, stages, packages and verify of $out_root/KIND
    local out=$out_root/$1
    python3 - "$out/manifest.json" "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
st = j["stages"]
print(f"{sys.argv[2]}: wall {j['seconds']:.0f} s, compile {st['compile']:.0f} s, "
      f"stages {', '.join(f'{k} {v:.0f}' for k, v in st.items())}")
for p in j["packages"]:
    print(f"  {p['file']}  {p['size'] / 1048576:.1f} MiB")
PY
    if "$KFLAVOUR" verify "$out" --suite bookworm >"$KF_TMP/verify-$1" 2>&1; then echo "  verify: pass"
    else echo "  verify: FAIL"; sed 's/^/    /' "$KF_TMP/verify-$1"; fi
}
for kind in full quick; do
    [ -n "${ONLY:-}" ] && [ "$ONLY" != "$kind" ] && continue
    args=()
    [ "$kind" = quick ] && args=(--modules-from "$list")
    echo "bench: $kind build of tickless for $arch (jobs $jobs, no ccache)" >&2
    rm -rf "${out_root:?}/$kind"
    "$KFLAVOUR" -C "$tree" build --flavour tickless "${mode[@]}" --suite bookworm --no-ccache --jobs "$jobs" \
        "${args[@]}" --out "$out_root/$kind" >&2
    report "$kind"
done
[ -z "${ONLY:-}" ] || exit 0
python3 - "$out_root/full/manifest.json" "$out_root/quick/manifest.json" <<'PY'
import json, sys
full, quick = (json.load(open(p)) for p in sys.argv[1:3])
print(f"quick / full: compile {quick['stages']['compile'] / full['stages']['compile']:.3f}, "
      f"wall {quick['seconds'] / full['seconds']:.3f}")
PY
