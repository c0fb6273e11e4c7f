#!/bin/bash
# config resolve / config check on a real 6.1 tree (Debian's linux-source-6.1
# and Debian's arm64 config, as an Ubuntu-layout tree), cross arm64.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TREE=$(make_tree)
ANN=$TREE/debian.master/config/annotations
cp "$ANN" "$KF_TMP/annotations.base"

# 1. new tickless on arm64, resolved by the kernel's Kconfig.
# `new` resolves by itself: the tree holds kernel source.
"$KFLAVOUR" -C "$TREE" new tickless --arch arm64 --def tickless 2>"$KF_TMP/err" || { cat "$KF_TMP/err" >&2; fail "new"; }
cat "$KF_TMP/err"
grep -q "warning: CONFIG_CONTEXT_TRACKING_FORCE .*no Kconfig entry" "$KF_TMP/err" ||
    fail "the 5.4 name CONTEXT_TRACKING_FORCE is not warned about"
expect_no_scratch "resolve"
"$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour tickless >"$KF_TMP/tickless.config"
for want in CONFIG_NO_HZ_FULL=y CONFIG_HZ_100=y CONFIG_HZ=100 CONFIG_RCU_NOCB_CPU=y CONFIG_CONTEXT_TRACKING_USER=y; do
    grep -qx "$want" "$KF_TMP/tickless.config" || fail "arm64-tickless lacks $want"
done
grep -q "CONFIG_HZ_250=y" "$KF_TMP/tickless.config" && fail "arm64-tickless still has HZ_250=y"
pass "arm64-tickless resolved: NO_HZ_FULL HZ_100 HZ=100 RCU_NOCB_CPU CONTEXT_TRACKING_USER"

# 2. The annotations changed only in the header and arm64-tickless keys.
python3 "$(dirname "$0")/annotations_scope.py" "$KF_TMP/annotations.base" "$ANN" arm64-tickless ||
    fail "the annotations changed outside arm64-tickless"
diff "$KF_TMP/annotations.base" "$ANN" | grep '^[<>] #' | grep -v 'FLAVOUR:' && fail "header changed beyond # FLAVOUR:"
pass "annotations diff: header and arm64-tickless keys only"

# 3. Fixed point: a fresh olddefconfig of the export passes config check.
mkdir -p "$KF_TMP/o"
cp "$KF_TMP/tickless.config" "$KF_TMP/o/.config"
make -s -C "$LINUX" O="$KF_TMP/o" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- olddefconfig
"$KFLAVOUR" -C "$TREE" config check --arch arm64 --flavour tickless "$KF_TMP/o/.config" ||
    fail "a fresh olddefconfig of the resolved config disagrees with the annotations"
pass "fixed point: config check passes on olddefconfig of the export"
# ... and config check catches a difference (exit 1).
sed -i 's/^CONFIG_HZ=100$/CONFIG_HZ=250/' "$KF_TMP/o/.config"
rc=0; "$KFLAVOUR" -C "$TREE" config check --arch arm64 --flavour tickless "$KF_TMP/o/.config" >"$KF_TMP/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$KF_TMP/out"; fail "config check: exit $rc, want 1"; }
grep -q "CONFIG_HZ .*100 .*250" "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "config check does not list CONFIG_HZ"; }
pass "config check: exit 1 listing the mismatch"

# 4. A fragment asking for a symbol whose dependency is off: exit 2, symbol
#    and dependency named, tree unchanged, no scratch dir.
snapshot "$TREE" >"$KF_TMP/before.sum"
printf 'CONFIG_DEBUG_KMEMLEAK_TEST=m\n' >"$KF_TMP/bad.config"
grep -q "CONFIG_DEBUG_KMEMLEAK=y" "$KF_TMP/tickless.config" && fail "test assumption: DEBUG_KMEMLEAK is on"
rc=0; "$KFLAVOUR" -C "$TREE" config resolve --arch arm64 --flavour tickless --fragment "$KF_TMP/bad.config" \
    >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
cat "$KF_TMP/err"
[ "$rc" = 2 ] || fail "dropped symbol: exit $rc, want 2"
grep -q "CONFIG_DEBUG_KMEMLEAK_TEST: requested m, resolved (absent)" "$KF_TMP/err" || fail "dropped symbol not named"
grep -q "depends on DEBUG_KMEMLEAK" "$KF_TMP/err" || fail "its dependency is not named"
snapshot "$TREE" | diff "$KF_TMP/before.sum" - || fail "a failed resolve changed the tree"
expect_no_scratch "failed resolve"
pass "dropped symbol: exit 2 naming it and 'depends on DEBUG_KMEMLEAK'; tree unchanged"

# ... --allow-dropped turns it into a warning.
"$KFLAVOUR" -C "$TREE" --dry-run config resolve --arch arm64 --flavour tickless --fragment "$KF_TMP/bad.config" \
    --allow-dropped >"$KF_TMP/out" 2>"$KF_TMP/err" || { cat "$KF_TMP/err"; fail "--allow-dropped failed"; }
grep -q "warning: requested option(s) did not survive" "$KF_TMP/err" || fail "--allow-dropped: no warning"
snapshot "$TREE" | diff "$KF_TMP/before.sum" - || fail "--dry-run changed the tree"
pass "--allow-dropped warns"

# 5. The kernel source is never modified.
[ -z "$(find "$LINUX" -maxdepth 1 -name '.config' -o -maxdepth 1 -name include -newer "$KF_TMP/annotations.base")" ] ||
    fail "the kernel source was written to"
pass "kernel source untouched"
