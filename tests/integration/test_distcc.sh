#!/bin/bash
# kflavour distcc check and build --distcc, with the real distcc and a real
# distccd on 127.0.0.1 (no kernel compile; tests/e2e/test_distcc_6_1.sh
# builds one): the check's verdict per host, the host list as distcc reads
# it, the plan (--dry-run), a build stopped by a failing host before
# anything compiles, and the bad inputs: a list distcc rejects, distcc not
# installed, --distcc with --arch, --distcc with --no-distcc.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v distccd >/dev/null || { echo "skip: needs distcc"; exit 77; }

# distccd drops root for its own user, which can't enter $KF_TMP (0700).
DLOGS=$(mktemp -d /tmp/kflavour-it-distccd.XXXXXX)
chmod 0755 "$DLOGS"
KF_CLEANUPS+=("rm -rf $DLOGS")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
DEAD=$(free_port)
mkdir -m 0777 "$DLOGS/d"
TMPDIR=/tmp distccd --daemon --allow 127.0.0.1 --listen 127.0.0.1 --port "$PORT" --jobs 1 --log-level info \
    --log-file "$DLOGS/d/log" --pid-file "$DLOGS/d/pid"
KF_CLEANUPS+=("pkill -f -- '--port $PORT '")
for _ in $(seq 50); do [ -s "$DLOGS/d/pid" ] && break; sleep 0.1; done

# The check, with this machine's gcc: the daemon is ok, the dead port is named.
"$KFLAVOUR" distcc check "127.0.0.1:$PORT/1" >"$KF_TMP/ok.out" || { cat "$KF_TMP/ok.out"; fail "check of a good daemon"; }
grep -q "^distcc: 127.0.0.1:$PORT/1: ok (GCC: " "$KF_TMP/ok.out" || { cat "$KF_TMP/ok.out"; fail "no ok line"; }
grep -q "COMPILE_OK" "$DLOGS/d/log" || fail "the daemon ran no compile"
DISTCC_HOSTS="127.0.0.1:$PORT/1" "$KFLAVOUR" distcc check >/dev/null || fail "hosts from DISTCC_HOSTS"
expect_error 1 "a distcc host failed the check with gcc" "dead host" -- \
    "$KFLAVOUR" distcc check "127.0.0.1:$PORT/1 127.0.0.1:$DEAD/2"
grep -q "^distcc: 127.0.0.1:$DEAD/2: error: does not answer (Connection refused)" "$KF_TMP/out" ||
    { cat "$KF_TMP/out"; fail "the dead host is not named"; }
pass "distcc check: ok and dead hosts, each named"

# A host that accepts and never answers holds the check for distcc's IO
# timeout; Ctrl-C stops it: exit 130, the scratch dir gone.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' >"$KF_TMP/mute.port" &
MUTE_PID=$!
KF_CLEANUPS+=("kill $MUTE_PID")
for _ in $(seq 50); do [ -s "$KF_TMP/mute.port" ] && break; sleep 0.1; done
MUTE=$(cat "$KF_TMP/mute.port")
mkdir -p "$KF_TMP/tmp"
TMPDIR=$KF_TMP/tmp "$KFLAVOUR" distcc check "127.0.0.1:$MUTE/1" >"$KF_TMP/mute.out" 2>"$KF_TMP/mute.err" &
pid=$!
for _ in $(seq 100); do [ -n "$(ls -A "$KF_TMP/tmp")" ] && break; sleep 0.1; done
[ -n "$(ls -A "$KF_TMP/tmp")" ] || fail "the check made no scratch dir"
sleep 1
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 130 ] || { cat "$KF_TMP/mute.err"; fail "Ctrl-C during distcc check: exit $rc, want 130"; }
grep -q '^kflavour: error: interrupted (signal 2).*distcc check stopped' "$KF_TMP/mute.err" || { cat "$KF_TMP/mute.err"; fail "no interruption error"; }
[ -z "$(ls -A "$KF_TMP/tmp")" ] || { ls -la "$KF_TMP/tmp"; fail "Ctrl-C left the scratch dir"; }
pass "distcc check: Ctrl-C while a host never answers: exit 130, scratch dir removed"

# Bad host lists in distcc's own words, exit 2.
expect_error 2 "unrecognized option in host specification: ,127.0.0.1" "comma-separated hosts" -- \
    "$KFLAVOUR" distcc check "127.0.0.1:$PORT/1,127.0.0.1:$DEAD/1"
grep -q "separated by blanks" "$KF_TMP/err" || fail "no hint for the separator"
expect_error 2 'bad multiplier "/x"' "bad limit" -- "$KFLAVOUR" distcc check "node1/x"
expect_error 2 "no hosts" "no hosts" -- env -u DISTCC_HOSTS "$KFLAVOUR" distcc check
expect_error 2 "needs distcc, which is not installed" "distcc missing" -- \
    env KFLAVOUR_DISTCC=/nonexistent/distcc "$KFLAVOUR" distcc check "node1"
pass "bad host lists and a missing distcc: exit 2"

# An upstream tree that needs no kernel: the distcc stage comes before any make.
U=$KF_TMP/up
mkdir -p "$U/kflavour/tickless" "$U/include" "$U/scripts" "$U/arch"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$U/Makefile"
echo "CONFIG_NO_HZ_FULL=y" >"$U/kflavour/tickless/amd64.config"
snapshot() { (cd "$U" && find . -printf '%p %y %m\n' | sort && find . -type f -exec md5sum {} + | sort); }
snapshot >"$KF_TMP/before"

"$KFLAVOUR" -C "$U" --dry-run build --native --no-chroot --distcc "127.0.0.1:$PORT/1 127.0.0.1:$DEAD/2" \
    --out "$KF_TMP/dry" >"$KF_TMP/dry.out" 2>"$KF_TMP/dry.err"
for want in "DISTCC_HOSTS='127.0.0.1:$PORT/1 127.0.0.1:$DEAD/2'" "CCACHE_PREFIX=distcc" "CCACHE_BASEDIR=$KF_TMP" \
    "CCACHE_COMPILERCHECK=content" "distcc-check.sh x86_64-linux-gnu-gcc 0 127.0.0.1:$PORT/1 127.0.0.1:$DEAD/2"; do
    grep -qF -- "$want" "$KF_TMP/dry.out" || { cat "$KF_TMP/dry.out"; fail "dry-run lacks $want"; }
done
grep -q "jobs      $(($(nproc) + 3)) (distcc: 3 remote slots + $(nproc) local CPUs)" "$KF_TMP/dry.out" ||
    { cat "$KF_TMP/dry.out"; fail "the farm's job count is not in the log"; }
"$KFLAVOUR" -C "$U" --dry-run build --native --no-chroot --distcc "127.0.0.1:$PORT/1" --jobs 3 \
    --out "$KF_TMP/dry" >"$KF_TMP/dry3.out"
grep -q -- "-j3" "$KF_TMP/dry3.out" || fail "--jobs does not win over the farm's slots"
pass "build --dry-run: distcc behind ccache, the check before the first compile, the farm's -j"

# A dead host stops the build in the distcc stage, before any make.
expect_error 3 "build failed in stage distcc" "build with a dead host" -- \
    "$KFLAVOUR" -C "$U" build --native --no-chroot --distcc "127.0.0.1:$DEAD/2" --out "$KF_TMP/out-dead"
grep -q "127.0.0.1:$DEAD/2: error: does not answer" "$KF_TMP/err" || { cat "$KF_TMP/err"; fail "the host's line is not shown"; }
! grep -q "::kflavour-stage config" "$KF_TMP/out-dead/build.log" || fail "the build went on after the check"
pass "a failing host stops the build before it compiles (exit 3, the host named)"

expect_error 2 "an emulated build runs its compiler under qemu" "--distcc with --arch" -- \
    "$KFLAVOUR" -C "$U" build --arch arm64 --distcc "127.0.0.1:$PORT/1" --out "$KF_TMP/out-emu"
expect_error 2 "exclude each other" "--distcc with --no-distcc" -- \
    "$KFLAVOUR" -C "$U" build --native --no-chroot --distcc "node1" --no-distcc --out "$KF_TMP/out-x"
expect_error 2 "unrecognized option" "build with a comma list" -- \
    "$KFLAVOUR" -C "$U" build --native --no-chroot --distcc "a/1,b/1" --out "$KF_TMP/out-y"
snapshot | diff "$KF_TMP/before" - || fail "the tree changed"
pass "bad distcc input to build: exit 2, tree unchanged"
