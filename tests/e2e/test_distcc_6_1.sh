#!/bin/bash
# kflavour build on a distcc farm, and ccache across checkouts (issue 17), on
# Debian's real linux-source-6.1 (tickless tinyconfig, cross arm64, in the
# bookworm chroot). Two distccd daemons on 127.0.0.1, one job each, each
# allowing only 127.0.0.1, each with its own log:
#  1. distcc check: both answer and compile with this machine's
#     aarch64-linux-gnu-gcc; a port nobody listens on does not answer; a
#     daemon whose /usr/lib/distcc lacks the cross compiler is named with the
#     reason;
#  2. checkout A builds through both daemons with an empty ccache (every
#     compile misses and goes to the farm); one daemon is killed halfway: the
#     build still succeeds, kflavour warns and the manifest counts the local
#     fallbacks; both daemons' logs show compiles that succeeded;
#  3. the set verifies, and its kernel is byte-identical to the one
#     test_build_6_1 built without distcc;
#  4. checkout B, a copy of A at another path built into another output dir
#     without distcc, hits the cache for >= 90% of its compiles (manifest);
#  5. a Debian source package (dpkg-buildpackage, cross) compiles on the farm.
# Needs root, distccd, the build machine's aarch64 cross compiler, and the
# sets of test_build_6_1 (for the comparison in 3).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || fail "needs root (CI runs as root)"
command -v distccd >/dev/null || fail "distccd is missing (apt-get install distcc)"
export XDG_CACHE_HOME=${KF_E2E_CHROOT_CACHE:-$KF_E2E_CACHE}
SETS=${KF_E2E_SETS:-$KF_E2E_CACHE/sets}
REL=6.1.192-tickless

# An empty ccache: checkout A's compiles all miss, so they all reach the farm.
export KFLAVOUR_CCACHE_DIR=$KF_TMP/ccache

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
DAEMONS=()
# The daemons' dirs: distccd drops root for the distcc user, which can't
# enter $KF_TMP (0700), so they live in a dir of their own, writable by all.
DLOGS=$(mktemp -d /tmp/kflavour-e2e-distccd.XXXXXX)
chmod 0755 "$DLOGS"
# start_daemon NAME PORT [allow-list dir] (TMPDIR: the daemon user can't use $KF_TMP/tmp)
start_daemon() {
    local dir=$DLOGS/$1 port=$2 allow=${3:-}
    mkdir -p "$dir" && chmod 0777 "$dir"
    local cmd="TMPDIR=/tmp exec distccd --daemon --allow 127.0.0.1 --listen 127.0.0.1 --port $port --jobs 1 --log-level info"
    cmd+=" --log-file $dir/log --pid-file $dir/pid"
    if [ -n "$allow" ]; then
        unshare --mount --propagation private sh -c "mount --bind $allow /usr/lib/distcc && $cmd"
    else
        sh -c "$cmd"
    fi
    for _ in $(seq 50); do [ -s "$dir/pid" ] && break; sleep 0.1; done
    DAEMONS+=("$port")
}
stop_daemon() { pkill -f -- "--port $1 " 2>/dev/null || true; }
cleanup() {
    for p in "${DAEMONS[@]}"; do stop_daemon "$p"; done
    rm -rf "$KF_TMP" "$DLOGS"
}
trap cleanup EXIT
ok_jobs() { cat "$DLOGS/$1/log" 2>/dev/null | grep -c 'COMPILE_OK' || true; }

P1=$(free_port)
P2=$(free_port)
P3=$(free_port)
P_DEAD=$(free_port)
start_daemon d1 "$P1"
start_daemon d2 "$P2"
# d3's allow-list: distcc's own links without the cross compilers.
mkdir -p "$DLOGS/allow"
for f in /usr/lib/distcc/*; do
    case ${f##*/} in *-linux-gnu-*) ;; *) cp -P "$f" "$DLOGS/allow/" ;; esac
done
start_daemon d3 "$P3" "$DLOGS/allow"
HOSTS="127.0.0.1:$P1/1 127.0.0.1:$P2/1"

step "1. distcc check"
"$KFLAVOUR" distcc check "$HOSTS" --host arm64 >"$KF_TMP/check.out" || { cat "$KF_TMP/check.out"; fail "check of two good daemons"; }
[ "$(grep -c ': ok (GCC: ' "$KF_TMP/check.out")" = 2 ] || { cat "$KF_TMP/check.out"; fail "both daemons should be ok"; }
RC=0
"$KFLAVOUR" distcc check "127.0.0.1:$P3/1 127.0.0.1:$P_DEAD/1" --host arm64 >"$KF_TMP/bad.out" 2>"$KF_TMP/bad.err" || RC=$?
[ "$RC" = 1 ] || { cat "$KF_TMP/bad.out" "$KF_TMP/bad.err"; fail "bad hosts: exit $RC, want 1"; }
grep -q "^distcc: 127.0.0.1:$P3/1: error: answers but does not compile with aarch64-linux-gnu-gcc" "$KF_TMP/bad.out" ||
    { cat "$KF_TMP/bad.out"; fail "the daemon without the cross compiler is not named"; }
grep -q "^distcc: 127.0.0.1:$P_DEAD/1: error: does not answer (Connection refused)" "$KF_TMP/bad.out" ||
    { cat "$KF_TMP/bad.out"; fail "the dead port is not named"; }
# The same check stops a build before anything compiles (exit 3, its lines shown).
RC=0
"$KFLAVOUR" -C "$(tickless_tree arm64 refused)" build --host arm64 --suite bookworm --no-chroot \
    --distcc "127.0.0.1:$P3/1" --out "$KF_TMP/refused-out" >"$KF_TMP/refused.out" 2>"$KF_TMP/refused.err" || RC=$?
[ "$RC" = 3 ] || { cat "$KF_TMP/refused.err"; fail "build with a refusing host: exit $RC, want 3"; }
grep -q "failed in stage distcc" "$KF_TMP/refused.err" && grep -q "127.0.0.1:$P3/1: error" "$KF_TMP/refused.err" ||
    { cat "$KF_TMP/refused.err"; fail "the refused build does not show the host's line"; }
[ "$(ok_jobs d3)" = 0 ] || fail "d3 compiled"
pass "distcc check names the good, the refusing and the dead hosts; build stops at the check"
stop_daemon "$P3"

step "2. checkout A through the farm, one daemon killed halfway"
mkdir -p "$KF_TMP/a" "$KF_TMP/b"
A=$(tickless_tree arm64 "$KF_TMP/a/linux")   # B at the same depth: A and B are two checkouts
OUT_A=$KF_TMP/a/out
"$KFLAVOUR" -C "$A" build --host arm64 --suite bookworm --distcc "$HOSTS" --out "$OUT_A" \
    >"$KF_TMP/a.out" 2>"$KF_TMP/a.err" &
BUILD=$!
killed=0
while kill -0 "$BUILD" 2>/dev/null; do
    # Late in the compile: after it, d1's one slot takes what distcc does not fall back with.
    if [ "$killed" = 0 ] && [ $(($(ok_jobs d1) + $(ok_jobs d2))) -ge 400 ]; then
        stop_daemon "$P2"
        killed=1
        echo "killed d2 after $(ok_jobs d2) compiles [${SECONDS}s]"
    fi
    sleep 1
done
RC=0
wait "$BUILD" || RC=$?
cat "$KF_TMP/a.out" "$KF_TMP/a.err"
[ "$RC" = 0 ] || fail "build through distcc: exit $RC"
[ "$killed" = 1 ] || fail "the daemons never reached 400 compiles"
grep -q "jobs      4 (distcc: 2 remote slots + 2 local CPUs)" "$KF_TMP/a.out" ||
    [ "$(nproc)" != 2 ] || fail "the log does not give the farm's job count"
D1_OK=$(ok_jobs d1)
D2_OK=$(ok_jobs d2)
[ "$D1_OK" -ge 50 ] && [ "$D2_OK" -ge 50 ] || fail "daemon compiles: d1 $D1_OK, d2 $D2_OK"
grep -q "kflavour: warning: distcc: [0-9]* compiles ran on this machine instead of the farm (127.0.0.1:$P2: Connection refused)" \
    "$KF_TMP/a.err" || fail "no warning about the killed daemon"
python3 - "$OUT_A/manifest.json" <<'PY' || fail "manifest's distcc record"
import json, sys
m = json.load(open(sys.argv[1]))
d = m["distcc"]
assert d["local_fallbacks"] > 0 and d["host_errors"], d
c = m["ccache"]
# An empty cache: nearly all miss (the package stage's make compiles a few files again).
assert c["misses"] > 500 and c["hit_rate"] < 0.2, c
PY
pass "A: d1 $D1_OK and d2 $D2_OK compiles on the farm, then local fallbacks after d2 died"

step "3. the set verifies; the kernel is the one a build without distcc makes"
host_lists=()
for f in /var/lib/apt/lists/*_dists_bookworm{,-updates,-security}_main_binary-arm64_Packages*; do
    [ -e "$f" ] && host_lists+=(--packages "$f")
done
"$KFLAVOUR" verify "$OUT_A" "${host_lists[@]}" >"$KF_TMP/verify.out" || { cat "$KF_TMP/verify.out"; fail "verify A"; }
vmlinuz() { dpkg-deb --fsys-tarfile "$1"/linux-image-${REL}_*.deb | tar -xO "./boot/vmlinuz-$REL" | sha256sum | cut -d' ' -f1; }
REF=$SETS/tickless-arm64
[ -d "$REF" ] || fail "no reference set $REF (test_build_6_1 makes it)"
if [ "$(vmlinuz "$OUT_A")" != "$(vmlinuz "$REF")" ]; then
    mkdir -p "$KF_E2E_CACHE/distcc-mismatch" && cp "$OUT_A"/linux-image-*.deb "$KF_E2E_CACHE/distcc-mismatch/"
    fail "the distcc kernel differs from $REF's (A's image kept in $KF_E2E_CACHE/distcc-mismatch)"
fi
pass "verify ok; vmlinuz-$REL is byte-identical to the build without distcc"

step "4. checkout B at another path hits the cache"
cp -al "$A" "$KF_TMP/b/linux"
OUT_B=$KF_TMP/b/out
"$KFLAVOUR" -C "$KF_TMP/b/linux" build --host arm64 --suite bookworm --out "$OUT_B" | tee "$KF_TMP/b.out"
grep -Eq "^  ccache +(9[0-9]|100)\.[0-9]% hits" "$KF_TMP/b.out" || fail "B's build does not report >= 90% hits"
python3 - "$OUT_B/manifest.json" <<'PY' || fail "B's manifest"
import json, sys
c = json.load(open(sys.argv[1]))["ccache"]
assert c["hit_rate"] >= 0.9 and c["hits"] > 500, c
print("B: ccache", c)
PY
[ ! -e "$OUT_B/distcc.log" ] || fail "B used distcc"
[ "$(vmlinuz "$OUT_B")" = "$(vmlinuz "$OUT_A")" ] || fail "B's kernel differs from A's"
pass "B: >= 90% ccache hits from A's build, same kernel"

step "5. a Debian source package through the farm: its rules find distcc behind ccache in PATH"
source "$(dirname "$0")/kfhello.sh"
make_pkg "$KF_TMP/pkg"
# Compile and link apart: ccache and distcc take only compiles (-c).
printf '%b\n' 'CC ?= cc' 'kfhello: kfhello.o' '	$(CC) $(LDFLAGS) -o $@ $^' 'kfhello.o: kfhello.c' \
    '	$(CC) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<' 'install:' '	install -D -m 755 kfhello $(DESTDIR)/usr/bin/kfhello' \
    'clean:' '	rm -f kfhello kfhello.o' >"$KF_TMP/pkg/kfhello-1.0/Makefile"
before=$(ok_jobs d1)
"$KFLAVOUR" -C "$KF_TMP/pkg/kfhello-1.0" build --host arm64 --suite bookworm --distcc "127.0.0.1:$P1/1" \
    --out "$KF_TMP/kfhello-out" >"$KF_TMP/kfhello.out" 2>&1 || { tail -30 "$KF_TMP/kfhello.out"; fail "kfhello through distcc"; }
[ -f "$KF_TMP/kfhello-out/kfhello_1.0_arm64.deb" ] || fail "no kfhello_1.0_arm64.deb"
grep -Eq '^  ccache +0\.0% hits \(0 of 1 compiles\)' "$KF_TMP/kfhello.out" || { cat "$KF_TMP/kfhello.out"; fail "kfhello.c did not go through ccache"; }
new_jobs=$(grep 'COMPILE_OK' "$DLOGS/d1/log" | tail -n +$((before + 1)))
[[ $new_jobs == *kfhello.c* ]] || fail "d1 did not compile kfhello.c"
pass "kfhello cross-built by dpkg-buildpackage with its compile on the farm"
