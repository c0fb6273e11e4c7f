#!/bin/bash
# kflavour list: the tree kind and flavours per arch, text and --json.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

fresh_trees
"$KFLAVOUR" -C "$TREE" list >"$KF_TMP/list.txt"
grep -qx 'kind: ubuntu (debian.master)' "$KF_TMP/list.txt" || fail "list: kind"
grep -qx 'amd64: generic lowlatency' "$KF_TMP/list.txt" || fail "list: amd64"
grep -qx 'armhf: generic generic-lpae' "$KF_TMP/list.txt" || fail "list: armhf"
grep -qx 'arm64: generic' "$KF_TMP/list.txt" || fail "list: arm64"
pass "list (text)"

"$KFLAVOUR" -C "$TREE" --json list >"$KF_TMP/list.json"
python3 - "$KF_TMP/list.json" <<'PY' || fail "list --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "ubuntu" and d["debian_dir"] == "debian.master", d
f = d["flavours"]
assert f["amd64"] == ["generic", "lowlatency"] and f["arm64"] == ["generic"], f
assert f["armhf"] == ["generic", "generic-lpae"] and f["s390x"] == ["generic"], f
PY
pass "list --json"
expect_unchanged "list"

# Other kinds of tree.
cp -a "$KF_TEST_DATA/debian-bookworm-6.1.187-1" "$KF_TMP/debian-tree"
"$KFLAVOUR" -C "$KF_TMP/debian-tree" --json list | python3 -c 'import json,sys; d=json.load(sys.stdin)
assert d["kind"]=="debian" and d["flavours"]["arm64"]==["arm64", "cloud-arm64"], d
assert d["debian"]["arches"]["amd64"]["featuresets"]["rt"]==["amd64"], d' || fail "list: debian tree"
mkdir -p "$KF_TMP/not-kernel/debian/config"
expect_error 2 "debian/ is not Debian's kernel packaging" "list on a debian/config/ without defines" -- \
    "$KFLAVOUR" -C "$KF_TMP/not-kernel" list
mkdir -p "$KF_TMP/upstream"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n' >"$KF_TMP/upstream/Makefile"
"$KFLAVOUR" -C "$KF_TMP/upstream" list >"$KF_TMP/up.txt"
grep -qx 'kind: upstream' "$KF_TMP/up.txt" || fail "list: upstream tree"
pass "list: debian and upstream trees"

# new on the upstream tree needs --base-config (tests/integration/test_resolve_upstream.sh has the rest).
expect_error 2 "upstream: an upstream tree .* needs --base-config" "new on an upstream tree without --base-config" -- \
    "$KFLAVOUR" -C "$KF_TMP/upstream" new tickless --def tickless
expect_error 2 "not a kernel tree" "list on a non-tree" -- "$KFLAVOUR" -C "$KF_TMP" list

# -v says that the config was not resolved.
"$KFLAVOUR" -C "$TREE" -v --dry-run new tickless --arch arm64 --def tickless --no-resolve >/dev/null 2>"$KF_TMP/err"
grep -q "not resolving the config (--no-resolve)" "$KF_TMP/err" || fail "-v --no-resolve message"
printf 'VERSION = 5\nPATCHLEVEL = 4\n' >"$TREE/Makefile"
# With kernel source, new resolves with Kconfig (issue 3): a Makefile without
# a Kconfig is not a kernel source tree, so nothing is written.
rc=0; "$KFLAVOUR" -C "$TREE" -v --dry-run new tickless --arch arm64 --def tickless >/dev/null 2>"$KF_TMP/err" || rc=$?
[ "$rc" = 2 ] && grep -q "not a kernel source tree" "$KF_TMP/err" || { cat "$KF_TMP/err"; fail "new resolves on a tree with source"; }
pass "-v resolve messages"
