#!/bin/bash
# Quick builds (`kflavour build --modules-from`) against the full flavour,
# on Debian's real 6.1 amd64 config (linux-source-6.1 and its config, as
# tests/e2e/prepare-linux-6.1.sh prepares them): a flavour whose base is
# Debian's config, built once in full and once reduced with localmodconfig
# to a real server's module list (tests/data/modules/amd64-dell-r440.modules
# unless LIST=FILE). Prints both compile stages and quick/full (target
# <= 0.25). No ccache on either side (--no-ccache), so it measures compiling.
#   JOBS=N (default nproc)  LIST=FILE  KFLAVOUR=path/to/kflavour
# The full build of Debian's config takes hours on 2 cores.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${JOBS:-$(nproc)}
list=${LIST:-$root/tests/data/modules/amd64-dell-r440.modules}
source "$root/bench/lib.sh"
KFLAVOUR=$(bench_kflavour)
export KFLAVOUR KF_SOURCE_DIR=$root
source "$root/tests/e2e/lib.sh"   # the 6.1 data, $LINUX, $CONFIGS, $KF_TMP (removed on exit)

tree=$KF_TMP/debian-config
mkdir -p "$tree"
cp -al "$LINUX"/. "$tree"/ 2>/dev/null || cp -a "$LINUX"/. "$tree"/
rm -rf "$tree/kflavour"
"$KFLAVOUR" -q -C "$tree" new tickless --arch amd64 --base-config "$CONFIGS/config.amd64" --def tickless

# stage_secs OUT STAGE: the stage's seconds from the build's manifest.
stage_secs() {
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["stages"][sys.argv[2]])' \
        "$1/manifest.json" "$2"
}
for kind in full quick; do
    args=()
    [ "$kind" = quick ] && args=(--modules-from "$list")
    echo "bench: $kind build (jobs $jobs)" >&2
    "$KFLAVOUR" -C "$tree" build --no-chroot --no-ccache --jobs "$jobs" "${args[@]}" --out "$KF_TMP/$kind" >&2
done
full=$(stage_secs "$KF_TMP/full" compile)
quick=$(stage_secs "$KF_TMP/quick" compile)
printf 'compile stage: full %.0f s, quick %.0f s (%s modules from %s)\n' "$full" "$quick" \
    "$(grep -c . "$list")" "$(basename "$list")"
python3 -c "r = $quick / $full; print(f'quick / full = {r:.3f} (target <= 0.25): ' + ('ok' if r <= 0.25 else 'MISSED'))"
