#!/bin/bash
# kflavour new / config resolve|export|check / list on an upstream tree (no
# debian/) with a fake make ($KFLAVOUR_MAKE): argv, stored files, bad input
# leaving the tree unchanged. The real Kconfig runs in
# tests/e2e/test_resolve_upstream_6_1.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

use_scratch_dir   # kflavour's scratch dirs: none may be left behind

# An upstream kernel tree: a top Makefile and a Kconfig, nothing else.
fresh_upstream() {
    rm -rf "$KF_TMP/tree" "$KF_TMP/pristine"
    mkdir -p "$KF_TMP/tree"
    printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$KF_TMP/tree/Makefile"
    printf 'config HZ_100\n\tbool "100 Hz"\n\tdepends on !NO_100HZ\n' >"$KF_TMP/tree/Kconfig"
    # An old mtime, so `find -newer Makefile` sees any write (two files
    # written now can straddle a clock tick).
    touch -d @1600000000 "$KF_TMP/tree/Makefile" "$KF_TMP/tree/Kconfig"
    cp -a "$KF_TMP/tree" "$KF_TMP/pristine"
    TREE=$KF_TMP/tree PRISTINE=$KF_TMP/pristine
}

# The fake make: a *config target writes a small base .config (unknown
# targets fail like Kconfig's Makefile); olddefconfig copies O=/.config
# through, dropping CONFIG_HZ_100 in mode "drop" and, like Kconfig, the
# symbols it doesn't know (KF_NO_SUCH_*). Every call is appended to the log.
FAKE=$KF_TMP/make
cat >"$FAKE" <<'MAKE'
#!/bin/bash
out= target=
for a in "$@"; do case $a in O=*) out=${a#O=} ;; -*|*=*) ;; *) target=$a ;; esac; done
echo "$*" >>"$FAKE_LOG"
case $target in
tinyconfig|defconfig) [ "${FAKE_MODE:-ok}" = sleep ] && { echo $$ >"$FAKE_PID"; sleep 30; echo done >"$FAKE_PID.finished"; } ;;&
tinyconfig|defconfig) printf 'CONFIG_BASE_%s=y\nCONFIG_HZ_250=y\n# CONFIG_HZ_100 is not set\n' "${target^^}" >"$out/.config" ;;
olddefconfig)
    [ "${FAKE_MODE:-ok}" = drop ] && sed -i '/^CONFIG_HZ_100=/d' "$out/.config"
    sed -i '/KF_NO_SUCH_/d' "$out/.config" ;;
*) echo "make[2]: *** No rule to make target '$target'.  Stop." >&2; exit 2 ;;
esac
exit 0
MAKE
chmod +x "$FAKE"
export KFLAVOUR_MAKE=$FAKE FAKE_LOG=$KF_TMP/make.log FAKE_PID=$KF_TMP/make.pid KFLAVOUR_NATIVE_ARCH=amd64
kf() { "$KFLAVOUR" -C "$TREE" "$@"; }

# --- bad input: exit 2, tree unchanged, make never run or no scratch left ---
fresh_upstream
rm -f "$FAKE_LOG"
expect_bad_new "needs --base-config" "upstream new without --base-config" tickless --arch amd64 --set CONFIG_HZ_100=y
[ ! -e "$FAKE_LOG" ] || fail "make ran without --base-config"
expect_bad_new "neither a file nor a defconfig target" "--base-config vmlinux (not a config target)" \
    tickless --base-config vmlinux
expect_bad_new "neither a file nor a defconfig target" "--base-config menuconfig (interactive)" \
    tickless --base-config menuconfig
printf 'CONFIG_HZ_100=y\nHZ_100 y\n' >"$KF_TMP/bad.config"
expect_bad_new "bad.config:2: not a Kconfig setting" "bad fragment line" \
    tickless --base-config tinyconfig --fragment "$KF_TMP/bad.config"
expect_bad_new "nope.config" "missing fragment" tickless --base-config tinyconfig --fragment "$KF_TMP/nope.config"
expect_bad_new "no kernel ARCH known for Debian arch 'vax'" "unknown arch" tickless --base-config tinyconfig --arch vax
rm -f "$FAKE_LOG"
expect_bad_new "--base-config nosuchconfig: Kconfig failed" "unknown defconfig target" \
    tickless --arch amd64 --base-config nosuchconfig --set CONFIG_HZ_100=y
grep -q "No rule to make target 'nosuchconfig'" "$KF_TMP/err" || { cat "$KF_TMP/err"; fail "make's output not shown"; }
no_scratch "unknown target"
fresh_upstream
rc=0; FAKE_MODE=drop kf new tickless --arch amd64 --base-config tinyconfig --set CONFIG_HZ_100=y \
    >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
[ "$rc" = 2 ] || { cat "$KF_TMP/err"; fail "dropped symbol: exit $rc, want 2"; }
grep -q "CONFIG_HZ_100: requested y, resolved (absent)" "$KF_TMP/err" || { cat "$KF_TMP/err"; fail "dropped symbol not named"; }
grep -q "depends on !NO_100HZ" "$KF_TMP/err" || fail "its depends on line is not shown"
expect_unchanged "dropped symbol"
no_scratch "dropped symbol"
pass "dropped symbol: exit 2 naming it and its dependency; tree unchanged"
FAKE_MODE=drop kf --dry-run new tickless --arch amd64 --base-config tinyconfig --set CONFIG_HZ_100=y --allow-dropped \
    >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "--allow-dropped"; }
grep -q "warning: requested option(s) did not survive" "$KF_TMP/err" || fail "--allow-dropped: no warning"
expect_unchanged "--allow-dropped --dry-run"
pass "--allow-dropped warns"

# SIGINT while make tinyconfig runs: make stopped, nothing written, no scratch dir.
fresh_upstream
rm -f "$FAKE_PID" "$FAKE_PID.finished"
FAKE_MODE=sleep "$KFLAVOUR" -C "$TREE" new tickless --arch amd64 --base-config tinyconfig --set CONFIG_HZ_100=y \
    >"$KF_TMP/out" 2>"$KF_TMP/err" &
kfpid=$!
for _ in $(seq 100); do [ -s "$FAKE_PID" ] && break; sleep 0.1; done
[ -s "$FAKE_PID" ] || fail "fake make did not start"
kill -INT "$kfpid"
rc=0; wait "$kfpid" || rc=$?
[ "$rc" = 130 ] || { cat "$KF_TMP/err"; fail "SIGINT: exit $rc, want 130"; }
sleep 0.3
kill -0 "$(cat "$FAKE_PID")" 2>/dev/null && fail "SIGINT: make still running"
[ -e "$FAKE_PID.finished" ] && fail "SIGINT: make ran to the end"
expect_unchanged "SIGINT"
no_scratch "SIGINT"
pass "SIGINT during make tinyconfig: exit 130, tree unchanged, no scratch dir"

# --- new with a defconfig target: argv, files ---
fresh_upstream
rm -f "$FAKE_LOG"
printf '# tickless\nCONFIG_HZ_100=y\n# CONFIG_HZ_250 is not set\nCONFIG_KF_NO_SUCH_SYMBOL=y\n' >"$KF_TMP/frag.config"
kf --dry-run new tickless --arch amd64 --base-config tinyconfig --fragment "$KF_TMP/frag.config" \
    --set CONFIG_HZ=100 >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "new --dry-run"; }
grep -q '^+++ b/kflavour/tickless/amd64.config' "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "--dry-run: no diff of the resolved config"; }
grep -q '^+++ b/kflavour/tickless.flavour' "$KF_TMP/out" || fail "--dry-run: no diff of the flavour file"
expect_unchanged "new --dry-run"
no_scratch "new --dry-run"
pass "new --dry-run: a diff, tree unchanged"

rm -f "$FAKE_LOG"
kf new tickless --arch amd64 --base-config tinyconfig --fragment "$KF_TMP/frag.config" --set CONFIG_HZ=100 \
    >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "new"; }
[ "$(wc -l <"$FAKE_LOG")" = 2 ] || { cat "$FAKE_LOG"; fail "want two make calls"; }
o=$(sed -n '1s/.* O=\([^ ]*\) .*/\1/p' "$FAKE_LOG")
[[ $o == "$TMPDIR"/kflavour-kconfig.* ]] || fail "O= is not a scratch dir: $o"
[ "$(sed -n 1p "$FAKE_LOG")" = "-s -C $TREE O=$o ARCH=x86_64 tinyconfig" ] || { cat "$FAKE_LOG"; fail "argv of the base step"; }
[ "$(sed -n 2p "$FAKE_LOG")" = "-s -C $TREE O=$o ARCH=x86_64 olddefconfig" ] || { cat "$FAKE_LOG"; fail "argv of olddefconfig"; }
grep -q "warning: CONFIG_KF_NO_SUCH_SYMBOL .*no Kconfig entry" "$KF_TMP/err" || { cat "$KF_TMP/err"; fail "unknown symbol not warned"; }
no_scratch "new"
pass "new: make tinyconfig then olddefconfig in one scratch O= dir, ARCH=x86_64 for amd64"

F=$TREE/kflavour
printf '%s\n' "Flavour: tickless" "Base-Config: tinyconfig" "Arches: amd64" "Fragment: tickless.config" >"$KF_TMP/want"
grep -v '^#' "$F/tickless.flavour" | diff "$KF_TMP/want" - || fail "kflavour/tickless.flavour"
grep -qx 'CONFIG_HZ_100=y' "$F/tickless.config" && grep -qx 'CONFIG_HZ=100' "$F/tickless.config" &&
    grep -qx '# CONFIG_HZ_250 is not set' "$F/tickless.config" || { cat "$F/tickless.config"; fail "kflavour/tickless.config"; }
for want in CONFIG_BASE_TINYCONFIG=y CONFIG_HZ_100=y CONFIG_HZ=100 '# CONFIG_HZ_250 is not set'; do
    grep -qx "$want" "$F/tickless/amd64.config" || { cat "$F/tickless/amd64.config"; fail "resolved config lacks $want"; }
done
[ "$(find "$TREE" -newer "$PRISTINE/Makefile" -type f | grep -v "^$F/" | wc -l)" = 0 ] || fail "files outside kflavour/ written"
diff "$PRISTINE/Makefile" "$TREE/Makefile" && diff "$PRISTINE/Kconfig" "$TREE/Kconfig" || fail "kernel files changed"
pass "new: kflavour/tickless.flavour, tickless.config and tickless/amd64.config written, nothing else"

# Again: nothing to do, make not run. Different settings: exit 2 without --force.
rm -f "$FAKE_LOG"
kf new tickless --arch amd64 --base-config tinyconfig --fragment "$KF_TMP/frag.config" --set CONFIG_HZ=100 \
    >"$KF_TMP/out" 2>&1 || { cat "$KF_TMP/out"; fail "new again"; }
grep -q "nothing to do" "$KF_TMP/out" || fail "new again: not 'nothing to do'"
[ ! -e "$FAKE_LOG" ] || fail "new again ran make"
rm -rf "$PRISTINE" && cp -a "$TREE" "$PRISTINE"
expect_bad_new "already exists with different settings" "existing flavour, other settings" \
    tickless --arch amd64 --base-config defconfig
kf new tickless --arch amd64 --base-config defconfig --force >/dev/null 2>&1 || fail "--force"
grep -qx 'Base-Config: defconfig' "$F/tickless.flavour" || fail "--force did not rewrite"
grep -qx 'CONFIG_BASE_DEFCONFIG=y' "$F/tickless/amd64.config" || fail "--force did not re-resolve"
pass "new again: nothing to do; other settings need --force"
# A flavour file kflavour cannot read as text is an error naming it, not a
# file to overwrite as if there were none.
printf 'Flavour: odd\n\0\n' >"$F/odd.flavour"
rm -rf "$PRISTINE" && cp -a "$TREE" "$PRISTINE"
expect_bad_new "odd\.flavour.*NUL" "existing flavour file that is not text" odd --arch amd64 --base-config tinyconfig
rm "$F/odd.flavour"

# --- list, export, check ---
kf new tickless --arch amd64 --base-config tinyconfig --fragment "$KF_TMP/frag.config" --set CONFIG_HZ=100 --force \
    >/dev/null 2>&1 || fail "new --force back"
kf new small --arch arm64,amd64 --base-config tinyconfig --no-resolve >/dev/null 2>&1 || fail "new --no-resolve"
[ ! -e "$F/small" ] || fail "--no-resolve resolved"
kf list >"$KF_TMP/out"
printf '%s\n' "kind: upstream" "amd64: small tickless" "arm64: small" | diff - "$KF_TMP/out" || fail "list"
kf --json list >"$KF_TMP/out"
python3 - "$KF_TMP/out" <<'PY' || fail "list --json"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["kind"] == "upstream", j
assert j["flavours"] == {"amd64": ["small", "tickless"], "arm64": ["small"]}, j
assert j["flavour_dir"] == "kflavour", j
assert j["upstream"]["tickless"]["configs"] == {"amd64": "kflavour/tickless/amd64.config"}, j
assert j["upstream"]["small"]["configs"] == {"arm64": None, "amd64": None}, j
assert j["upstream"]["tickless"]["base_config"] == "tinyconfig", j
PY
pass "list (text and --json): upstream, flavours per arch, resolved configs"
kf config export --arch amd64 --flavour tickless | cmp - "$F/tickless/amd64.config" || fail "config export"
kf config check --arch amd64 --flavour tickless "$F/tickless/amd64.config" >/dev/null || fail "config check of itself"
sed 's/^CONFIG_HZ=100$/CONFIG_HZ=250/' "$F/tickless/amd64.config" >"$KF_TMP/other.config"
rc=0; kf config check --arch amd64 --flavour tickless "$KF_TMP/other.config" >"$KF_TMP/out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "CONFIG_HZ .*100 .*250" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "config check: mismatch"; }
expect_error 2 "not resolved yet" "export of an unresolved flavour" -- kf config export --arch arm64 --flavour small
expect_error 2 "not for arch 'arm64'" "export of an arch the flavour lacks" -- kf config export --arch arm64 --flavour tickless
expect_error 2 "unknown flavour 'nope'" "export of an unknown flavour" -- kf config export --arch amd64 --flavour nope
pass "config export / check on the resolved config"

# --- config resolve from the stored flavour ---
rm -rf "$PRISTINE" && cp -a "$TREE" "$PRISTINE"
rm -f "$FAKE_LOG"
kf config resolve --arch amd64 --flavour tickless >"$KF_TMP/out" 2>&1 || { cat "$KF_TMP/out"; fail "resolve"; }
grep -q "unchanged" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "resolve: not unchanged"; }
[ "$(wc -l <"$FAKE_LOG")" = 2 ] || fail "resolve: want two make calls"
expect_unchanged "resolve of a resolved flavour"
expect_error 2 "did not survive Kconfig" "resolve, dropped" -- env FAKE_MODE=drop "$KFLAVOUR" -C "$TREE" config resolve \
    --arch amd64 --flavour tickless
expect_unchanged "resolve, dropped"
no_scratch "resolve, dropped"
KFLAVOUR_CROSS_COMPILE= kf config resolve --arch arm64 --flavour small --set CONFIG_HZ_100=y >"$KF_TMP/out" 2>&1 ||
    { cat "$KF_TMP/out"; fail "resolve small arm64"; }
grep -q "ARCH=arm64 olddefconfig" "$FAKE_LOG" || fail "resolve arm64: ARCH"
grep -qx CONFIG_HZ_100=y "$F/small.config" || fail "resolve --set: not added to the stored fragment"
grep -qx CONFIG_HZ_100=y "$F/small/arm64.config" || fail "resolve --set: not resolved"
pass "config resolve: from the stored flavour; --set is added to the fragment"

# --- a base config file: copied into the tree, one make call ---
printf 'CONFIG_FROM_FILE=y\nCONFIG_HZ_250=y\n' >"$KF_TMP/base.config"
rm -f "$FAKE_LOG"
kf new filebased --arch amd64 --base-config "$KF_TMP/base.config" --set CONFIG_HZ_100=y >/dev/null 2>&1 ||
    fail "new --base-config FILE"
[ "$(wc -l <"$FAKE_LOG")" = 1 ] && grep -q "ARCH=x86_64 olddefconfig$" "$FAKE_LOG" || { cat "$FAKE_LOG"; fail "FILE: argv"; }
cmp "$KF_TMP/base.config" "$F/filebased.base.config" || fail "base file not copied"
grep -qx 'Base-Config-File: filebased.base.config' "$F/filebased.flavour" || fail "Base-Config-File"
grep -qx CONFIG_FROM_FILE=y "$F/filebased/amd64.config" || fail "resolved from the file"
no_scratch "base file"
pass "--base-config FILE: copied to kflavour/filebased.base.config, olddefconfig only"

# A broken stored flavour file: bad input with file:line.
printf 'Flavour: broken\nBase-Config tinyconfig\n' >"$F/broken.flavour"
expect_error 2 "broken.flavour:2: expected 'Field: value'" "broken flavour file" -- kf config resolve --arch amd64 --flavour broken
expect_error 2 "broken.flavour:2" "list with a broken flavour file" -- kf list
rm "$F/broken.flavour"

# --- a tree kflavour can't write ---
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
    fresh_upstream
    rm -f "$FAKE_LOG"
    rc=0
    unshare -m --propagation private bash -c '
        mount --bind -o ro "$1" "$1" && exec "$2" -C "$1" new tickless --arch amd64 --base-config tinyconfig' \
        _ "$TREE" "$KFLAVOUR" >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
    [ "$rc" = 2 ] || { cat "$KF_TMP/err" >&2; fail "read-only mount: exit $rc, want 2"; }
    grep -q "^kflavour: error: $TREE: not writable: Read-only file system" "$KF_TMP/err" ||
        { cat "$KF_TMP/err" >&2; fail "read-only mount: error"; }
    [ ! -e "$FAKE_LOG" ] || fail "read-only tree: make ran before the check"
    expect_unchanged "read-only bind mount"
    pass "read-only tree: $(cat "$KF_TMP/err")"
elif [ "$(id -u)" != 0 ]; then
    fresh_upstream
    chmod a-w "$TREE"
    KF_CLEANUPS+=("chmod u+w '$TREE'")
    expect_bad_new "not writable: Permission denied" "read-only tree (chmod a-w)" tickless --arch amd64 --base-config tinyconfig
    chmod u+w "$TREE"
else
    echo "note: no way to make a read-only tree here"
fi
