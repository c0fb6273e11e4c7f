#!/usr/bin/env bash
# kflavour config export|import|diff on temporary copies of the focal fixture.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EXPECTED=$KF_TEST_DATA/expected
ANN=debian.master/config/annotations
fresh_trees

# Export: Ubuntu's bytes for every flavour of the header.
for af in amd64-generic amd64-lowlatency arm64-generic armhf-generic armhf-generic-lpae \
          i386-generic i386-lowlatency ppc64el-generic s390x-generic; do
    "$KFLAVOUR" -C "$TREE" config export --arch "${af%%-*}" --flavour "${af#*-}" >"$KF_TMP/export"
    cmp "$KF_TMP/export" "$EXPECTED/export/$af.config" || fail "export $af differs from Ubuntu's"
done
[ "$(wc -l <"$EXPECTED/export/arm64-generic.config")" = 9592 ] || fail "arm64-generic export is not 9,592 lines"
pass "export matches for all 9 flavours"

"$KFLAVOUR" -C "$TREE" --json config export --arch arm64 --flavour generic >"$KF_TMP/export.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["config"]["CONFIG_HZ"]=="250", d["config"]["CONFIG_HZ"]; assert "CONFIG_NO_HZ_FULL" in d["config"]' "$KF_TMP/export.json" \
    || fail "--json export"
pass "--json export"

# Importing the unchanged export rewrites nothing.
"$KFLAVOUR" -C "$TREE" config export --arch armhf --flavour generic-lpae >"$KF_TMP/lpae.config"
"$KFLAVOUR" -C "$TREE" config import --arch armhf --flavour generic-lpae "$KF_TMP/lpae.config" >/dev/null
expect_unchanged "re-import of an unchanged export"
pass "re-import is a no-op"

# --dry-run import: a diff on stdout, nothing written.
"$KFLAVOUR" -C "$TREE" --dry-run config import --arch arm64 --flavour generic \
    "$EXPECTED/import-arm64-generic.config" >"$KF_TMP/dry.diff"
grep -q "^+CONFIG_NO_HZ_FULL .*'arm64': 'y'" "$KF_TMP/dry.diff" || fail "dry-run diff lacks the NO_HZ_FULL change"
grep -q "^+CONFIG_NO_HZ_IDLE .*note<TODO: update note>" "$KF_TMP/dry.diff" || fail "dry-run diff lacks the TODO note"
expect_unchanged "--dry-run import"
pass "--dry-run import prints a diff and writes nothing"

# Import: Ubuntu's bytes.
for af in arm64-generic amd64-lowlatency; do
    fresh_trees
    "$KFLAVOUR" -C "$TREE" config import --arch "${af%%-*}" --flavour "${af#*-}" "$EXPECTED/import-$af.config" >/dev/null
    cmp "$TREE/$ANN" "$EXPECTED/import-$af.annotations" || fail "import $af differs from Ubuntu's"
done
pass "import matches Ubuntu's tool"

# Diff between two flavours of an arch.
fresh_trees
"$KFLAVOUR" -C "$TREE" config diff --arch amd64 generic lowlatency >"$KF_TMP/diff"
grep -Eq '^CONFIG_HZ +250 +1000$' "$KF_TMP/diff" || fail "config diff lacks CONFIG_HZ 250 1000"
grep -q '^CONFIG_HZ_1000 ' "$KF_TMP/diff" || fail "config diff lacks CONFIG_HZ_1000"
! grep -q '^CONFIG_64BIT ' "$KF_TMP/diff" || fail "config diff lists an equal symbol"
pass "config diff"

# Bad input: one error line naming the file (and line), exit 2, tree unchanged.
expect_error 2 "annotations: unknown flavour 'arm64-nope'" "unknown flavour" -- \
    "$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour nope
expect_error 2 "unknown arch 'mips'" "unknown arch" -- \
    "$KFLAVOUR" -C "$TREE" config export --arch mips --flavour generic
expect_error 2 "missing.config: cannot read" "missing import file" -- \
    "$KFLAVOUR" -C "$TREE" config import --arch arm64 --flavour generic "$KF_TMP/missing.config"
expect_error 2 "the option '--arch' is required" "missing --arch" -- \
    "$KFLAVOUR" -C "$TREE" config export --flavour generic
expect_unchanged "bad config commands"

sed -i '20s/.*/CONFIG_BROKEN = y/' "$TREE/$ANN"
cp "$TREE/$ANN" "$PRISTINE/$ANN"
expect_error 2 "annotations:20: invalid line: 'CONFIG_BROKEN = y'" "malformed line" -- \
    "$KFLAVOUR" -C "$TREE" config import --arch arm64 --flavour generic "$KF_TMP/lpae.config"
sed -i "20s/.*/CONFIG_BROKEN policy<{'arm64': y}>/" "$TREE/$ANN"
cp "$TREE/$ANN" "$PRISTINE/$ANN"
expect_error 2 "annotations:20: bad policy literal for CONFIG_BROKEN" "bad policy literal" -- \
    "$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour generic
expect_unchanged "malformed annotations"
pass "bad input is rejected with file:line and the tree unchanged"
