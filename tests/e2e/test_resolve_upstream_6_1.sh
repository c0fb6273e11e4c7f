#!/bin/bash
# kflavour new / config resolve / list on an upstream tree (no debian/): the
# real 6.1 source as a symlink farm (its top-level entries linked into a temp
# dir, so kflavour/ lands there and the cached source stays pristine),
# tinyconfig + the tickless definition, cross arm64 and native amd64.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

T=$KF_TMP/upstream
mkdir -p "$T"
for f in "$LINUX"/* "$LINUX"/.[!.]*; do
    [ -e "$f" ] || continue
    case ${f##*/} in debian | debian.master | kflavour) continue ;; esac
    ln -s "$f" "$T/${f##*/}"
done
touch "$KF_TMP/start"
kflavour_files() { (cd "$T" && find kflavour -type f -print0 2>/dev/null | sort -z | xargs -0r sha256sum); }
secs() { echo $(( $(date +%s) - $1 )); }

# 1. tinyconfig + tickless on arm64: everything survives (arm64 has SMP=y).
t0=$(date +%s)
"$KFLAVOUR" -C "$T" new tickless --arch arm64 --base-config tinyconfig --def tickless 2>"$KF_TMP/err" ||
    { cat "$KF_TMP/err" >&2; fail "new tickless arm64"; }
cat "$KF_TMP/err"
echo "new tickless --arch arm64 --base-config tinyconfig: $(secs "$t0") s"
grep -q "warning: CONFIG_CONTEXT_TRACKING_FORCE .*no Kconfig entry" "$KF_TMP/err" ||
    fail "the 5.4 name CONTEXT_TRACKING_FORCE is not warned about"
expect_no_scratch "new"
C=$T/kflavour/tickless/arm64.config
[ -f "$C" ] || fail "no $C"
for want in CONFIG_NO_HZ_FULL=y CONFIG_HZ_100=y CONFIG_HZ=100 CONFIG_RCU_NOCB_CPU=y CONFIG_CONTEXT_TRACKING_USER=y; do
    grep -qx "$want" "$C" || fail "kflavour/tickless/arm64.config lacks $want"
done
grep -q '^# CONFIG_MODULES is not set' "$C" || fail "not a tinyconfig base (MODULES is on)"
grep -qx 'Base-Config: tinyconfig' "$T/kflavour/tickless.flavour" || fail "flavour file: Base-Config"
grep -qx 'Arches: arm64' "$T/kflavour/tickless.flavour" || fail "flavour file: Arches"
grep -qx 'CONFIG_NO_HZ_FULL=y' "$T/kflavour/tickless.config" || fail "stored fragment lacks NO_HZ_FULL"
pass "arm64 tinyconfig + tickless: NO_HZ_FULL HZ_100 HZ=100 RCU_NOCB_CPU CONTEXT_TRACKING_USER in kflavour/tickless/arm64.config"

# The kernel source is never written to: only kflavour/ is new in the farm.
[ -z "$(find "$LINUX" -newer "$KF_TMP/start" -print -quit)" ] || fail "the kernel source was written to"
[ ! -e "$LINUX/.config" ] && [ ! -e "$LINUX/include/config" ] || fail "the kernel source has build output"
[ "$(find "$T" -mindepth 1 -maxdepth 1 ! -type l)" = "$T/kflavour" ] || fail "files other than kflavour/ in the tree"
pass "kernel source untouched; only kflavour/ added"

# 2. list.
"$KFLAVOUR" -C "$T" list >"$KF_TMP/out"
printf '%s\n' "kind: upstream" "arm64: tickless" | diff - "$KF_TMP/out" || fail "list"
"$KFLAVOUR" -C "$T" --json list | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["kind"] == "upstream" and j["flavours"] == {"arm64": ["tickless"]}, j
assert j["upstream"]["tickless"]["configs"]["arm64"] == "kflavour/tickless/arm64.config", j' || fail "list --json"
pass "list: upstream, arm64: tickless"

# 3. config resolve from the stored flavour gives the same bytes.
kflavour_files >"$KF_TMP/before.sum"
t0=$(date +%s)
"$KFLAVOUR" -C "$T" config resolve --arch arm64 --flavour tickless >"$KF_TMP/out" 2>&1 || { cat "$KF_TMP/out"; fail "resolve"; }
echo "config resolve --arch arm64 --flavour tickless: $(secs "$t0") s"
grep -q "unchanged" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "re-resolve changed the config"; }
kflavour_files | diff "$KF_TMP/before.sum" - || fail "re-resolve changed kflavour/"
expect_no_scratch "resolve"
pass "config resolve from kflavour/tickless.flavour: same config (fixed point)"

# 4. amd64 (native): x86_64 tinyconfig has SMP off, so NO_HZ_FULL cannot
#    survive: exit 2 naming it and 'depends on SMP', nothing written.
t0=$(date +%s)
rc=0; "$KFLAVOUR" -C "$T" new tickless-pc --arch amd64 --base-config tinyconfig --def tickless \
    >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
echo "new tickless-pc --arch amd64 (dropped): $(secs "$t0") s"
cat "$KF_TMP/err"
[ "$rc" = 2 ] || fail "amd64 without SMP: exit $rc, want 2"
grep -q "CONFIG_NO_HZ_FULL: requested y, resolved (absent)" "$KF_TMP/err" || fail "NO_HZ_FULL not named as dropped"
grep -q "depends on SMP" "$KF_TMP/err" || fail "the SMP dependency is not named"
kflavour_files | diff "$KF_TMP/before.sum" - || fail "a failed new changed kflavour/"
[ ! -e "$T/kflavour/tickless-pc.flavour" ] || fail "a failed new wrote its flavour file"
expect_no_scratch "failed new"
pass "amd64 tinyconfig + tickless: exit 2, NO_HZ_FULL dropped, 'depends on SMP' shown, nothing written"

# ... with the prerequisite added it resolves, as a 64-bit config.
t0=$(date +%s)
"$KFLAVOUR" -C "$T" new tickless-pc --arch amd64 --base-config tinyconfig --def tickless --set CONFIG_SMP=y \
    2>"$KF_TMP/err" || { cat "$KF_TMP/err" >&2; fail "new tickless-pc with SMP=y"; }
echo "new tickless-pc --arch amd64 --set CONFIG_SMP=y: $(secs "$t0") s"
C=$T/kflavour/tickless-pc/amd64.config
for want in CONFIG_64BIT=y CONFIG_SMP=y CONFIG_NO_HZ_FULL=y CONFIG_HZ_100=y CONFIG_HZ=100 CONFIG_RCU_NOCB_CPU=y \
    CONFIG_CONTEXT_TRACKING_USER=y; do
    grep -qx "$want" "$C" || fail "kflavour/tickless-pc/amd64.config lacks $want"
done
expect_no_scratch "new amd64"
pass "amd64 tinyconfig + tickless + SMP=y: resolved, 64-bit (ARCH=x86_64)"
