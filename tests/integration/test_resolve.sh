#!/bin/bash
# config resolve / config check on the focal fixture with a fake kernel source
# and a fake make ($KFLAVOUR_MAKE): bad input, Kconfig failing, SIGINT.
# The real Kconfig runs in tests/e2e/test_resolve_6_1.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

use_scratch_dir   # kflavour's scratch dirs: none may be left behind

SRC=$KF_TMP/linux
mkdir -p "$SRC"
printf 'VERSION = 5\nPATCHLEVEL = 4\nSUBLEVEL = 0\n' >"$SRC/Makefile"
printf 'config HZ_100\n\tbool "100 Hz"\n\tdepends on !NO_100HZ\n' >"$SRC/Kconfig"

# The fake make: copies O=/.config through, drops CONFIG_HZ_100 in mode
# "drop", fails in mode "fail", sleeps in mode "sleep" (writing its pid);
# like Kconfig, it leaves out symbols it doesn't know (KF_NO_SUCH_*).
FAKE=$KF_TMP/make
cat >"$FAKE" <<'MAKE'
#!/bin/bash
out=
for a in "$@"; do case $a in O=*) out=${a#O=} ;; esac; done
echo "$*" >"$FAKE_LOG"
case ${FAKE_MODE:-ok} in
fail) echo "scripts/kconfig/conf: line 1: syntax error" >&2; echo "make[1]: *** [olddefconfig] Error 1" >&2; exit 2 ;;
sleep) echo $$ >"$FAKE_PID"; sleep 30; echo done >"$FAKE_PID.finished"; exit 0 ;;
drop) grep -v '^CONFIG_HZ_100=' "$out/.config" >"$out/.config.new"; mv "$out/.config.new" "$out/.config" ;;
esac
[ -f "$out/.config" ] && sed -i '/KF_NO_SUCH_/d' "$out/.config"
exit 0
MAKE
chmod +x "$FAKE"
export KFLAVOUR_MAKE=$FAKE FAKE_LOG=$KF_TMP/make.log FAKE_PID=$KF_TMP/make.pid KFLAVOUR_NATIVE_ARCH=amd64
resolve() { "$KFLAVOUR" -C "$TREE" config resolve --no-def "$@"; }

fresh_trees
expect_error 2 "no kernel source" "resolve without kernel source" -- resolve --arch amd64 --flavour generic
expect_unchanged "no kernel source"
expect_error 2 "kernel source not found" "--source missing dir" -- resolve --arch amd64 --flavour generic --source "$KF_TMP/nope"
expect_error 2 "not a kernel source tree" "--source not a kernel" -- resolve --arch amd64 --flavour generic --source "$KF_TEST_DATA"
expect_unchanged "bad --source"

# A cross compiler that is not installed: exit 3 naming the package.
if ! command -v s390x-linux-gnu-gcc >/dev/null; then
    expect_error 3 "no cross compiler for s390x" "missing cross compiler" -- resolve --arch s390x --flavour generic --source "$SRC"
    grep -q "apt-get install gcc-s390x-linux-gnu" "$KF_TMP/err" || fail "the hint does not name gcc-s390x-linux-gnu"
    expect_unchanged "missing cross compiler"
fi

# Native amd64: no CROSS_COMPILE, out of tree, the request survives.
FAKE_MODE=ok resolve --arch amd64 --flavour generic --source "$SRC" --set CONFIG_HZ_100=y --set CONFIG_KF_TYPO=y \
    >"$KF_TMP/out" 2>"$KF_TMP/err"
grep -Eq "^-s -C $SRC O=$TMPDIR/kflavour-kconfig\.[A-Za-z0-9]+ ARCH=x86 olddefconfig$" "$FAKE_LOG" ||
    { cat "$FAKE_LOG"; fail "make argv"; }
grep -q "warning: CONFIG_KF_TYPO .*no Kconfig entry" "$KF_TMP/err" && fail "a symbol that survived is not unknown"
"$KFLAVOUR" -C "$TREE" config export --arch amd64 --flavour generic >"$KF_TMP/exp"
grep -qx CONFIG_HZ_100=y "$KF_TMP/exp" || fail "HZ_100 not imported"
no_scratch "resolve"
pass "resolve amd64 (native): argv, import, no scratch dir"

# A request that does not survive, a symbol Kconfig doesn't know.
fresh_trees
expect_error 2 "did not survive Kconfig" "dropped symbol" -- env FAKE_MODE=drop "$KFLAVOUR" -C "$TREE" config resolve \
    --no-def --arch amd64 --flavour generic --source "$SRC" --set CONFIG_HZ_100=y
grep -q "CONFIG_HZ_100: requested y, resolved (absent)" "$KF_TMP/err" || fail "dropped symbol not listed"
grep -q "depends on !NO_100HZ" "$KF_TMP/err" || fail "its depends on line is not shown"
expect_unchanged "dropped symbol"
no_scratch "dropped symbol"
printf '# CONFIG_KF_NO_SUCH_SYMBOL is not set\n' >"$KF_TMP/frag.config"
FAKE_MODE=ok resolve --arch amd64 --flavour generic --source "$SRC" --fragment "$KF_TMP/frag.config" --dry-run \
    >"$KF_TMP/out" 2>"$KF_TMP/err"
grep -q "warning: CONFIG_KF_NO_SUCH_SYMBOL .*no Kconfig entry" "$KF_TMP/err" || { cat "$KF_TMP/err"; fail "unknown symbol not warned"; }
expect_unchanged "unknown symbol, --dry-run"
pass "unknown symbol warned about by name"

# Kconfig failing: its stderr tail is shown.
expect_error 3 "Kconfig failed" "Kconfig failing" -- env FAKE_MODE=fail "$KFLAVOUR" -C "$TREE" config resolve --no-def \
    --arch amd64 --flavour generic --source "$SRC"
grep -q "syntax error" "$KF_TMP/err" || fail "make's output is not shown"
expect_unchanged "Kconfig failing"
no_scratch "Kconfig failing"

# SIGINT while make runs: make's group is stopped, nothing written, no scratch dir.
rm -f "$FAKE_PID" "$FAKE_PID.finished"
FAKE_MODE=sleep "$KFLAVOUR" -C "$TREE" config resolve --no-def --arch amd64 --flavour generic --source "$SRC" \
    --set CONFIG_HZ_100=y >"$KF_TMP/out" 2>"$KF_TMP/err" &
kf=$!
for _ in $(seq 100); do [ -s "$FAKE_PID" ] && break; sleep 0.1; done
[ -s "$FAKE_PID" ] || fail "fake make did not start"
kill -INT "$kf"
rc=0; wait "$kf" || rc=$?
[ "$rc" = 130 ] || { cat "$KF_TMP/err"; fail "SIGINT: exit $rc, want 130"; }
grep -q "interrupted" "$KF_TMP/err" || fail "SIGINT: no message"
sleep 0.3
kill -0 "$(cat "$FAKE_PID")" 2>/dev/null && fail "SIGINT: make still running"
[ -e "$FAKE_PID.finished" ] && fail "SIGINT: make ran to the end"
expect_unchanged "SIGINT"
no_scratch "SIGINT"
pass "SIGINT: make stopped, annotations unchanged, no scratch dir"

# config check: agreeing file exit 0, mismatches exit 1, toolchain symbols ignored.
fresh_trees
"$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour generic >"$KF_TMP/c"
echo 'CONFIG_CC_VERSION_TEXT="gcc (Other) 99"' >>"$KF_TMP/c"
"$KFLAVOUR" -C "$TREE" config check --arch arm64 --flavour generic "$KF_TMP/c" >"$KF_TMP/out" || fail "check of the export"
sed -i 's/^CONFIG_HZ_250=y/# CONFIG_HZ_250 is not set/' "$KF_TMP/c"
echo 'CONFIG_CC_HAS_KF_TEST=y' >>"$KF_TMP/c"
rc=0; "$KFLAVOUR" -C "$TREE" config check --arch arm64 --flavour generic "$KF_TMP/c" >"$KF_TMP/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$KF_TMP/out"; fail "check: exit $rc, want 1"; }
grep -q "CONFIG_HZ_250 .* y .* n" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "check: HZ_250 not listed"; }
grep -q "toolchain-dependent" "$KF_TMP/out" || fail "check: CC_HAS_* not reported apart"
grep -q CC_VERSION_TEXT "$KF_TMP/out" && fail "check: CC_VERSION_TEXT not ignored"
expect_unchanged "config check"
pass "config check: exit 0 / exit 1 with the list, toolchain symbols handled"
