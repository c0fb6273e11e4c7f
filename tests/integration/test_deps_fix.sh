#!/bin/bash
# kflavour deps fix on the focal fixture with bookworm's real Multi-Arch
# metadata (tests/data/apt-lists-bookworm): golden file, diff without
# --write, byte-for-byte elsewhere, idempotent, bad input.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

LISTS=$KF_TEST_DATA/apt-lists-bookworm
GOLDEN=$KF_TEST_DATA/expected/deps-fix/control.stub.in.bookworm
T=$(copy_fixture)
STUB=$T/debian.master/control.stub.in
orig=$(sha256sum <"$STUB")

# Without --write: a unified diff, file untouched.
"$KFLAVOUR" -C "$T" deps fix --apt-lists "$LISTS" --build-arch amd64 >"$KF_TMP/diff" 2>"$KF_TMP/err"
[ "$(sha256sum <"$STUB")" = "$orig" ] || fail "deps fix without --write changed the file"
grep -qx -- '+ libssl-dev:native <!stage1>,' "$KF_TMP/diff" || fail "no libssl-dev:native twin in the diff"
grep -q 'dh-systemd: not in the apt lists' "$KF_TMP/err" || fail "dh-systemd (not in bookworm) not reported"
(cd "$T" && patch -p1 --dry-run -s <"$KF_TMP/diff") || fail "the diff does not apply"
pass "diff without --write"

# --dry-run --write changes nothing either.
"$KFLAVOUR" -q --dry-run -C "$T" deps fix --write --apt-lists "$LISTS" --build-arch amd64 >/dev/null 2>&1
[ "$(sha256sum <"$STUB")" = "$orig" ] || fail "--dry-run --write changed the file"

# --write: exactly the golden file.
"$KFLAVOUR" -q -C "$T" deps fix --write --apt-lists "$LISTS" --build-arch amd64 2>/dev/null
cmp "$STUB" "$GOLDEN" || { diff -u "$GOLDEN" "$STUB" >&2; fail "fixed file differs from the golden file"; }
# Only insertions: removing the added text gives the original back.
diff "$KF_TEST_DATA/ubuntu-focal-5.4.0-200/debian.master/control.stub.in" "$STUB" | grep '^<' | grep -v -- 'makedumpfile\|default-jdk-headless' && fail "lines other than the marked ones changed"
pass "--write gives the golden file"

# Idempotent: a second run has nothing to do.
out=$("$KFLAVOUR" -C "$T" deps fix --apt-lists "$LISTS" --build-arch amd64 2>/dev/null)
[ -z "$out" ] || { echo "$out" >&2; fail "second run wants changes"; }
pass "idempotent"

# JSON decisions.
"$KFLAVOUR" --json -C "$T" deps fix --apt-lists "$LISTS" --build-arch amd64 2>/dev/null >"$KF_TMP/json"
python3 - "$KF_TMP/json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
d = {x["package"] + ("" if x["action"] != "keep" else ""): x for x in j["decisions"]}
assert d["flex"]["reason"] == "Multi-Arch: foreign", d["flex"]
assert d["dh-systemd"]["action"] == "unknown", d["dh-systemd"]
PY
pass "json output"

# Bad input: no metadata source; a broken Build-Depends names file and line.
set +e
"$KFLAVOUR" -C "$T" deps fix 2>"$KF_TMP/err"; rc=$?
[ $rc -eq 2 ] || fail "no metadata source: exit $rc, want 2"
grep -q -- '--apt-lists' "$KF_TMP/err" || fail "no hint about --apt-lists"
sed -i "s/^ bc <!stage1>,/ bc <!stage1> junk,/" "$STUB"
"$KFLAVOUR" -C "$T" deps fix --apt-lists "$LISTS" 2>"$KF_TMP/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "broken Build-Depends: exit $rc, want 2"
grep -q 'control.stub.in:3[0-9]' "$KF_TMP/err" || { cat "$KF_TMP/err" >&2; fail "no file:line in the error"; }
pass "bad input"
