#!/bin/bash
# --dry-run prints a unified diff of every file and writes nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

fresh_trees
"$KFLAVOUR" -C "$TREE" --dry-run new tickless --arch arm64 --def tickless --no-resolve >"$KF_TMP/plan.diff"
expect_unchanged "--dry-run"
for f in control.d/vars.tickless rules.d/arm64.mk config/annotations changelog; do
    grep -q "^+++ b/debian.master/$f\$" "$KF_TMP/plan.diff" || fail "dry-run diff lacks $f"
done
grep -q '^--- /dev/null$' "$KF_TMP/plan.diff" || fail "vars.tickless is not shown as a new file"
grep -qx '+build_image_tickless	= Image.gz' "$KF_TMP/plan.diff" || fail "diff lacks build_image_tickless"
pass "dry-run diff names the 4 files, tree unchanged"

# The diff is exactly what a real run does: it applies cleanly to the pristine tree.
(cd "$TREE" && patch -s -p1 <"$KF_TMP/plan.diff") || fail "the dry-run diff does not apply"
"$KFLAVOUR" -C "$PRISTINE" new tickless --arch arm64 --def tickless --no-resolve >/dev/null
diff -r "$PRISTINE" "$TREE" >/dev/null || fail "dry-run diff differs from what new writes"
pass "dry-run diff == real run"

# --dry-run on an up-to-date flavour prints nothing to apply.
fresh_trees
"$KFLAVOUR" -C "$TREE" new tickless --arch arm64 --def tickless --no-resolve >/dev/null
cp -r "$TREE" "$KF_TMP/after"
"$KFLAVOUR" -C "$TREE" --dry-run new tickless --arch arm64 --def tickless --no-resolve >"$KF_TMP/again.diff"
grep -q '^+++ ' "$KF_TMP/again.diff" && fail "dry-run of a no-op shows a diff"
diff -r "$KF_TMP/after" "$TREE" >/dev/null || fail "dry-run no-op changed the tree"
pass "dry-run of a no-op"

# --json with --dry-run: the files, nothing written.
fresh_trees
"$KFLAVOUR" -C "$TREE" --dry-run --json new tickless --arch arm64 --def tickless >"$KF_TMP/plan.json"
python3 - "$KF_TMP/plan.json" <<'PY' || fail "--json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["flavour"] == "tickless" and d["arches"] == ["arm64"] and d["dry_run"], d
assert sorted(d["files"]) == sorted(["debian.master/control.d/vars.tickless", "debian.master/rules.d/arm64.mk",
                                     "debian.master/config/annotations", "debian.master/changelog"]), d
PY
expect_unchanged "--dry-run --json"
pass "--json"
