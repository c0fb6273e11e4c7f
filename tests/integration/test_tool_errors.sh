#!/bin/bash
# External tools' own errors come first (issue 20): stand-in tools print an
# error line and then a long usage screen or build noise; kflavour's message
# shows the error line before the tail, and where the whole output is.
# Also the keyring check before mmdebstrap, and --keyring.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

export KFLAVOUR_CHROOT_DIR=$KF_TMP/chroots XDG_CACHE_HOME=$KF_TMP/cache
BIN=$KF_TMP/bin
mkdir -p "$BIN"

# A stand-in mmdebstrap: its argv to $KF_TMP/mmdebstrap.argv, then the first
# line that matters and a usage screen, exit 2 (what a missing keyring gives).
cat >"$BIN/mmdebstrap" <<'EOF'
#!/bin/bash
printf '%s\n' "$@" >"$KF_TMP/mmdebstrap.argv"
echo "E: keyring \"/usr/share/keyrings/ubuntu-archive-keyring.gpg\" does not exist"
echo "Usage:"
for i in $(seq 1 60); do echo "    --option-$i   what option $i does"; done
exit 2
EOF
chmod +x "$BIN/mmdebstrap"
export KF_TMP
export KFLAVOUR_MMDEBSTRAP=$BIN/mmdebstrap

rc=0
"$KFLAVOUR" chroot create bookworm >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
[ "$rc" = 3 ] || { cat "$KF_TMP/err"; fail "mmdebstrap failure: exit $rc, want 3"; }
[ "$(grep -c '^kflavour: error: ' "$KF_TMP/err")" = 1 ] || { cat "$KF_TMP/err"; fail "want one error line"; }
grep -q '^kflavour: error: mmdebstrap failed (exit 2); its errors:$' "$KF_TMP/err" || { cat "$KF_TMP/err"; fail "no 'its errors:'"; }
first_e=$(grep -n 'E: keyring' "$KF_TMP/err" | head -1 | cut -d: -f1)
usage=$(grep -n 'option-60' "$KF_TMP/err" | head -1 | cut -d: -f1)
[ -n "$first_e" ] && [ -n "$usage" ] && [ "$first_e" -lt "$usage" ] || { cat "$KF_TMP/err"; fail "the E: line is not before the usage screen"; }
log=$(sed -n 's/^full output: //p' "$KF_TMP/err")
[ -f "$log" ] && grep -q 'option-1 ' "$log" && grep -q '^E: keyring' "$log" || fail "the full output is not at '$log'"
! ls "$KFLAVOUR_CHROOT_DIR"/*.tar >/dev/null 2>&1 || fail "a tarball was left"
pass "mmdebstrap's E: line first, then the tail; whole output in $log"

# The keyring check: a missing keyring stops before mmdebstrap.
rm -f "$KF_TMP/mmdebstrap.argv"
expect_error 3 "keyring for focal's archive does not exist: $KF_TMP/none.gpg" "missing --keyring" -- \
    "$KFLAVOUR" chroot create focal --host arm64 --keyring "$KF_TMP/none.gpg"
grep -q 'the package ubuntu-keyring' "$KF_TMP/err" || fail "the hint does not say where the keyring comes from"
[ ! -e "$KF_TMP/mmdebstrap.argv" ] || fail "mmdebstrap ran without its keyring"
expect_error 3 "keyring for noble's archive does not exist" "build with a missing --keyring" -- \
    "$KFLAVOUR" -C "$KF_TEST_DATA/ubuntu-focal-5.4.0-200" build --suite noble --keyring "$KF_TMP/none.gpg" --out "$KF_TMP/o"
[ ! -e "$KF_TMP/mmdebstrap.argv" ] || fail "build ran mmdebstrap without its keyring"

# --keyring FILE: into mmdebstrap's argv and the Ubuntu sources' Signed-By.
echo "not really a keyring" >"$KF_TMP/ubuntu-archive-keyring.gpg"
"$KFLAVOUR" --dry-run chroot create focal --host arm64 --keyring "$KF_TMP/ubuntu-archive-keyring.gpg" >"$KF_TMP/dry"
grep -qx "Signed-By: $KF_TMP/ubuntu-archive-keyring.gpg" "$KF_TMP/dry" || { cat "$KF_TMP/dry"; fail "dry run: Signed-By"; }
grep -q -- "--keyring=$KF_TMP/ubuntu-archive-keyring.gpg" "$KF_TMP/dry" || fail "dry run: mmdebstrap --keyring"
grep -q "Components: main restricted universe multiverse" "$KF_TMP/dry" || fail "Ubuntu sources lack universe/multiverse"
"$KFLAVOUR" chroot create focal --host arm64 --keyring "$KF_TMP/ubuntu-archive-keyring.gpg" >/dev/null 2>&1 || true
grep -qx -- "--keyring=$KF_TMP/ubuntu-archive-keyring.gpg" "$KF_TMP/mmdebstrap.argv" || fail "mmdebstrap did not get --keyring"
sources=$(grep '\.sources$' "$KF_TMP/mmdebstrap.argv")
grep -qx "Signed-By: $KF_TMP/ubuntu-archive-keyring.gpg" "$sources" || fail "the sources file does not use the keyring"
pass "--keyring: checked first, then in mmdebstrap's argv and the sources' Signed-By"

# A failed build: make's *** line first, then the tail, then the log.
cat >"$BIN/make" <<'EOF'
#!/bin/bash
for i in $(seq 1 20); do echo "  CC      kernel/file$i.o"; done
echo "kernel/sched/core.c:42:1: error: expected ';' before '}' token"
echo "make[1]: *** [scripts/Makefile.build:250: kernel/sched/core.o] Error 1"
echo "make: *** [Makefile:1990: kernel] Error 2"
for i in $(seq 1 40); do echo "  LD      noise$i"; done
exit 2
EOF
chmod +x "$BIN/make"
UP=$KF_TMP/upstream
mkdir -p "$UP/kflavour/tickless"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\n' >"$UP/Makefile"
echo "CONFIG_NO_HZ_FULL=y" >"$UP/kflavour/tickless/amd64.config"
rc=0
PATH=$BIN:$PATH "$KFLAVOUR" -C "$UP" build --no-chroot --no-ccache --native --out "$KF_TMP/build-out" \
    >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
[ "$(uname -m)" = x86_64 ] || { echo "skip: the build part needs amd64"; exit 0; }
[ "$rc" = 3 ] || { cat "$KF_TMP/err"; fail "failed build: exit $rc, want 3"; }
grep -q 'build failed in stage config (exit 2); its errors:' "$KF_TMP/err" || { cat "$KF_TMP/err"; fail "no 'its errors:'"; }
e1=$(grep -n "error: expected ';'" "$KF_TMP/err" | head -1 | cut -d: -f1)
e2=$(grep -n "make: \*\*\* \[Makefile:1990: kernel\] Error 2" "$KF_TMP/err" | head -1 | cut -d: -f1)
tail_at=$(grep -n 'last lines of its output:' "$KF_TMP/err" | cut -d: -f1)
[ -n "$e1" ] && [ -n "$e2" ] && [ "$e1" -lt "$tail_at" ] && [ "$e2" -lt "$tail_at" ] || { cat "$KF_TMP/err"; fail "make's errors are not first"; }
grep -q "^log: $KF_TMP/build-out/build.log$" "$KF_TMP/err" || { cat "$KF_TMP/err"; fail "no log path"; }
pass "a failed build: the compiler's error and make's *** lines first, then the tail and the log"
