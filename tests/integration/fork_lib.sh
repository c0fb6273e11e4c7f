# Shared by tests/integration/test_fork*.sh (sourced; not a test itself).
# A throw-away HOME with a git identity, a vendor repository made here and
# served over file://, and small assertions that say what failed.
set -euo pipefail

: "${KFLAVOUR:?path to the kflavour binary}"
: "${KF_TEST_DATA:?path to tests/data}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home
mkdir -p "$HOME"
git config --global user.name "Fork Tester"
git config --global user.email "fork@example.org"
git config --global init.defaultBranch master
git config --global advice.detachedHead false
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL KFLAVOUR_GIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() {  # expect_eq WHAT EXPECTED ACTUAL
    [[ $2 == "$3" ]] || fail "$1: expected '$2', got '$3'"
    echo "ok: $1"
}
expect_contains() {  # expect_contains WHAT NEEDLE HAYSTACK
    [[ $3 == *"$2"* ]] || fail "$1: '$2' not in: $3"
    echo "ok: $1"
}

# vendor: c1 README; c2 + the Ubuntu fixture (tag v1); c3 (annotated tag
# v2); c4 (tag v3, after v2). Dates are fixed so ids are the same each run.
make_vendor_repo() {
    local dir=$1 n=0
    git init -q "$dir"
    commit() {
        n=$((n + 1))
        git -C "$dir" add -A
        GIT_AUTHOR_DATE="@$((1600000000 + n)) +0000" GIT_COMMITTER_DATE="@$((1600000000 + n)) +0000" \
            git -C "$dir" commit -q -m "$1"
    }
    echo "vendor kernel" > "$dir/README"
    commit "vendor: initial import"
    cp -r "$KF_TEST_DATA/ubuntu-focal-5.4.0-200/." "$dir/"
    commit "vendor: Ubuntu packaging for focal 5.4.0-200"
    git -C "$dir" tag v1
    echo "fix" >> "$dir/README"
    commit "vendor: a fix"
    GIT_COMMITTER_DATE="@1600000100 +0000" git -C "$dir" tag -a -m "vendor release v2" v2
    echo "later" >> "$dir/README"
    commit "vendor: after v2"
    git -C "$dir" tag v3
}

vendor=$work/vendor
make_vendor_repo "$vendor"
url=file://$vendor

# "commit N, tag M, …" of every object in a repository's store.
object_types() {
    git -C "$1" cat-file --batch-all-objects --batch-check='%(objecttype)' | sort | uniq -c |
        awk '{printf "%s%s %d", sep, $2, $1; sep = ", "}'
}
