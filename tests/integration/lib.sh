# Shared helpers for the integration tests: source it after `set -euo pipefail`.
# Needs KFLAVOUR (the binary) and KF_TEST_DATA (tests/data) from ctest.

: "${KFLAVOUR:?set KFLAVOUR to the kflavour binary}"
: "${KF_TEST_DATA:?set KF_TEST_DATA to tests/data}"

# A fixed maintainer and date, so outputs are reproducible.
export DEBFULLNAME="Kflavour Test" DEBEMAIL="test@example.com" SOURCE_DATE_EPOCH=1700000000
unset KFLAVOUR_FLAVOURS_DIR

KF_TMP=$(mktemp -d)
KF_CLEANUPS=()
kf_cleanup() {
    local c
    for c in "${KF_CLEANUPS[@]}"; do eval "$c" || true; done
    rm -rf "$KF_TMP"
}
trap kf_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# Copy a fixture to $KF_TMP/NAME (writable) and print its path.
copy_fixture() {
    local name=${2:-tree}
    cp -r "$KF_TEST_DATA/${1:-ubuntu-focal-5.4.0-200}" "$KF_TMP/$name"
    chmod -R u+w "$KF_TMP/$name"
    echo "$KF_TMP/$name"
}

# A working tree and its pristine twin: sets TREE and PRISTINE.
fresh_trees() {
    rm -rf "$KF_TMP/tree" "$KF_TMP/pristine"
    TREE=$(copy_fixture "${1:-ubuntu-focal-5.4.0-200}" tree)
    PRISTINE=$(copy_fixture "${1:-ubuntu-focal-5.4.0-200}" pristine)
}

# The tree is byte-for-byte its pristine twin (no stray temporaries either).
expect_unchanged() {
    diff -r "$PRISTINE" "$TREE" >"$KF_TMP/unchanged.diff" || {
        cat "$KF_TMP/unchanged.diff" >&2
        fail "$1: the tree changed"
    }
}

# expect_error CODE REGEX DESCRIPTION -- COMMAND...
# COMMAND exits with CODE and prints exactly one "kflavour: error:" line
# matching REGEX (extended regexp); stdout is kept in $KF_TMP/out.
expect_error() {
    local code=$1 regex=$2 what=$3
    shift 4
    local rc=0
    "$@" >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
    [ "$rc" = "$code" ] || { cat "$KF_TMP/err" >&2; fail "$what: exit $rc, want $code"; }
    local errors
    errors=$(grep -c '^kflavour: error: ' "$KF_TMP/err" || true)
    [ "$errors" = 1 ] || { cat "$KF_TMP/err" >&2; fail "$what: $errors error lines, want 1"; }
    grep -Eq "^kflavour: error: .*$regex" "$KF_TMP/err" || {
        cat "$KF_TMP/err" >&2
        fail "$what: error does not match /$regex/"
    }
    pass "$what: $(grep '^kflavour: error: ' "$KF_TMP/err")"
}

# Run `kflavour new` on $TREE expecting bad input (exit 2), the error naming
# REGEX, and the tree unchanged.
expect_bad_new() {
    local regex=$1 what=$2
    shift 2
    expect_error 2 "$regex" "$what" -- "$KFLAVOUR" -C "$TREE" new "$@"
    expect_unchanged "$what"
}

# The version of the changelog's top entry.
top_version() { sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$1"; }

# Point kflavour's scratch dirs at $KF_TMP/tmp, so a test can check that
# none is left behind (no_scratch WHAT).
use_scratch_dir() {
    export TMPDIR=$KF_TMP/tmp
    mkdir -p "$TMPDIR"
}
no_scratch() { [ -z "$(ls -A "$TMPDIR")" ] || { ls -la "$TMPDIR" >&2; fail "$1: scratch dir left in $TMPDIR"; }; }

# json_true FILE EXPR: the Python expression EXPR, with j the JSON document
# in FILE, is true (python3 is in .ci/packages; jq is not).
json_true() {
    python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
