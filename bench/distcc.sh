#!/bin/bash
# distcc and ccache across checkouts, on the upstream tinyconfig tickless
# flavour of Debian's linux-source-6.1 cross-built for arm64 on this machine
# (--no-chroot, so every build runs in the same place with the same tools):
#   1. two local distccd daemons (one job each) / plain build, both without
#      ccache; distcc's -j is kflavour's default for the farm (remote slots
#      + local CPUs), the plain build's -j the CPU count. On this 2-core
#      machine the daemons share the CPUs, so this is distcc's overhead
#      (target <= 1.15);
#   2. warm rebuild of checkout B (a copy of A at another path, another
#      output dir) / cold build of A, ccache in a fresh dir (target <= 0.2);
#   3. on paper, from what was measured: the CPU time of the plain build,
#      the part of it the daemons spent compiling (their logs' "cc times"),
#      and the wall time on 1, 4, 16 and 64 hosts of 8 cores each.
# Prints every build's wall time, its stage times and the ratios.
#   PARTS=12 (which parts)  ROUNDS=1 (alternating rounds; ratios of medians)  KFLAVOUR=path/to/kflavour
# Checkout B sits beside A the way A's output dir does: base_dir makes the
# paths relative, so hits need the same layout (docs/distcc.md).
# Needs distcc, the aarch64 cross compiler and what tests/e2e/prepare-linux-6.1.sh installs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${ROUNDS:-1}
parts=${PARTS:-12}
source "$root/bench/lib.sh"
KFLAVOUR=$(bench_kflavour)
export KFLAVOUR KF_SOURCE_DIR=$root
source "$root/tests/e2e/lib.sh"   # the 6.1 data, $LINUX, $KF_TMP (removed on exit)
command -v distccd >/dev/null || { echo "bench: needs distcc (apt-get install distcc)" >&2; exit 2; }

median() { python3 -c 'import statistics, sys; print(f"{statistics.median(map(float, sys.argv[1:])):.1f}")' "$@"; }
ratio() { python3 -c "print(f'{$1 / $2:.3f}')"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The daemons' logs live outside $KF_TMP (0700), where distccd's user can write.
DLOGS=$(mktemp -d /tmp/kflavour-bench-distccd.XXXXXX)
chmod 0755 "$DLOGS"
PORTS=()
trap 'for p in "${PORTS[@]}"; do pkill -f -- "--port $p " || true; done; rm -rf "$KF_TMP" "$DLOGS"' EXIT
for d in 1 2; do
    port=$(free_port)
    mkdir -m 0777 "$DLOGS/d$d"
    TMPDIR=/tmp distccd --daemon --allow 127.0.0.1 --listen 127.0.0.1 --port "$port" --jobs 1 --log-level info \
        --log-file "$DLOGS/d$d/log" --pid-file "$DLOGS/d$d/pid"
    PORTS+=("$port")
done
HOSTS="127.0.0.1:${PORTS[0]}/1 127.0.0.1:${PORTS[1]}/1"

mkdir -p "$KF_TMP/a" "$KF_TMP/b"
A=$(tickless_tree arm64 a/linux)
cp -al "$A" "$KF_TMP/b/linux"
B=$KF_TMP/b/linux
echo "bench: upstream tinyconfig tickless 6.1.192, cross arm64, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"

# build NAME TREE ARGS...: one kflavour build into $KF_TMP/NAME (NAME may be
# a path below it); prints its wall time (its CPU time, this machine's, goes
# to $KF_TMP/NAME.cpu).
build() {
    local name=$1 tree=$2
    shift 2
    rm -rf "${KF_TMP:?}/$name"
    python3 -c 'import resource, subprocess, sys
rc = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1] + ".txt", "w"), stderr=subprocess.STDOUT).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1] + ".cpu", "w").write(f"{r.ru_utime + r.ru_stime:.1f}\n")
sys.exit(rc)' "$KF_TMP/$name" "$KFLAVOUR" -C "$tree" build --host arm64 --no-chroot --out "$KF_TMP/$name" "$@" ||
        { cat "$KF_TMP/$name.txt" >&2; exit 1; }
    python3 - "$KF_TMP/$name/manifest.json" "$name" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
stages = " ".join(f"{k} {v}" for k, v in m["stages"].items())
extra = f", ccache {m['ccache']['hits']}/{m['ccache']['hits'] + m['ccache']['misses']} hits" if "ccache" in m else ""
print(f"  {sys.argv[2]:<8} {m['seconds']:7.1f} s  ({stages}{extra})", file=sys.stderr)
print(m["seconds"])
PY
}

plain=() farm=() cold=() warm=()
for ((round = 1; round <= rounds; round++)); do
    echo "round $round"
    if [[ $parts == *1* ]]; then
        plain+=("$(build plain "$A" --no-ccache)")
        farm+=("$(build distcc "$A" --no-ccache --distcc "$HOSTS")")
    fi
    if [[ $parts == *2* ]]; then
        export KFLAVOUR_CCACHE_DIR=$KF_TMP/ccache-$round
        cold+=("$(build a/out "$A")")
        warm+=("$(build b/out "$B")")
        unset KFLAVOUR_CCACHE_DIR
    fi
done
if [[ $parts == *1* ]]; then
jobs_line=$(grep -o 'jobs .*' "$KF_TMP/distcc.txt" || true)
echo "daemon compiles: d1 $(grep -c COMPILE_OK "$DLOGS/d1/log" || true), d2 $(grep -c COMPILE_OK "$DLOGS/d2/log" || true); distcc build ${jobs_line}"
echo "1. distcc (2 local daemons) / plain: $(median "${farm[@]}") / $(median "${plain[@]}") = $(ratio "$(median "${farm[@]}")" "$(median "${plain[@]}")") (target <= 1.15)"
fi
[[ $parts == *2* ]] &&
echo "2. warm rebuild from checkout B / cold build of A: $(median "${warm[@]}") / $(median "${cold[@]}") = $(ratio "$(median "${warm[@]}")" "$(median "${cold[@]}")") (target <= 0.2)"

[[ $parts == *1* ]] || exit 0
# 3. On paper. distcc (without pump mode) preprocesses, assembles, links and
# packages here; only the compiles proper (cc1) go to the farm. The daemons
# are not the build's children, so the distcc build's own CPU time is the
# local work, and the plain build's minus it is what the farm did.
python3 - "$(cat "$KF_TMP/plain.cpu")" "$(cat "$KF_TMP/distcc.cpu")" "$(nproc)" "$KF_TMP/plain/manifest.json" <<'PY'
import json, sys
total, local, cpus, manifest = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
remote = max(total - local, 0.0)
serial = json.load(open(manifest))["stages"].get("package", 0.0)  # bindeb-pkg: tar and the compressor, mostly one process
print(f"3. plain build: {total:.0f} CPU s; with distcc {local:.0f} CPU s stay here (preprocessing, assembling, linking, "
      f"packaging), so the farm's part is {remote:.0f} CPU s ({100 * remote / total:.0f}%); package stage {serial:.0f} s")
print(f"   on paper, {cpus} local CPUs + hosts of 8 cores (local work spread on the local CPUs overlaps the farm's; "
      "the package stage does not):")
for hosts in (1, 4, 16, 64):
    here, farm = max(local - serial, 0.0) / cpus, remote / (8 * hosts)
    print(f"   {hosts:3d} hosts: {max(here, farm) + serial:6.0f} s  (bound by {'local work' if here >= farm else 'the farm'})")
PY
