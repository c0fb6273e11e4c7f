#!/bin/bash
# Re-running the same new is a no-op; an existing flavour needs --force.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

fresh_trees
D=$TREE/debian.master
new() { "$KFLAVOUR" -C "$TREE" new tickless --arch arm64 --def tickless --no-resolve "$@"; }
export_tickless() { "$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour tickless; }
new >/dev/null
cp -r "$TREE" "$KF_TMP/once"

# Same command again: nothing to do, exit 0, tree as after the first run.
new >"$KF_TMP/out"
grep -q "nothing to do" "$KF_TMP/out" || fail "re-run did not say nothing to do"
diff -r "$KF_TMP/once" "$TREE" >/dev/null || fail "re-run changed the tree"
pass "re-run is a no-op"

# Different settings without --force: exit 2 naming vars.tickless, tree unchanged.
PRISTINE=$KF_TMP/once
expect_bad_new "debian.master/control.d/vars.tickless: flavour 'tickless' already exists" "existing flavour, no --force" \
    tickless --arch arm64 --def tickless --set CONFIG_HZ_PERIODIC=y --no-resolve

# An existing flavour of the fixture (lowlatency on amd64) too.
expect_bad_new "vars.lowlatency: flavour 'lowlatency' already exists" "fixture's lowlatency, no --force" \
    lowlatency --arch amd64 --def lowlatency --set CONFIG_HZ_PERIODIC=y

# --force regenerates: the setting lands, our changelog entry is replaced, not stacked.
new --force --set CONFIG_HZ_PERIODIC=y >/dev/null
export_tickless >"$KF_TMP/export"
grep -qx 'CONFIG_HZ_PERIODIC=y' "$KF_TMP/export" ||
    fail "--force did not apply the new setting"
[ "$(top_version "$D/changelog")" = "5.4.0-200.220+tickless1" ] || fail "--force stacked a version: $(top_version "$D/changelog")"
[ "$(grep -c '^linux (5.4.0-200.220+tickless1)' "$D/changelog")" = 1 ] || fail "two tickless1 entries"
grep -q 'CONFIG_HZ_PERIODIC=y' "$D/changelog" || fail "the regenerated entry lacks the new setting"
pass "--force regenerates"

# Back to the definition alone: the dropped setting returns to the base's value.
new --force >/dev/null
export_tickless >"$KF_TMP/export"
grep -qx '# CONFIG_HZ_PERIODIC is not set' "$KF_TMP/export" ||
    fail "--force did not drop the old setting"
pass "--force drops settings no longer asked for"

# A second arch for the same flavour keeps the first in vars.tickless.
new --force --arch amd64 >/dev/null
[ "$(head -1 "$D/control.d/vars.tickless")" = 'arch="amd64 arm64"' ] || fail "vars arch: $(head -1 "$D/control.d/vars.tickless")"
grep -q '^# FLAVOUR: amd64-generic amd64-lowlatency amd64-tickless arm64-generic arm64-tickless ' "$D/config/annotations" ||
    fail "header after adding amd64"
pass "adding an arch"
