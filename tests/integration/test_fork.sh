#!/usr/bin/env bash
# kflavour fork: one parentless commit of TAG's tree, no vendor history in
# the store, pushable where the shallow tag is not.
source "$(dirname "$0")/fork_lib.sh"

cd "$work"
"$KFLAVOUR" fork "$url" --tag v2 forked 2> fork.err
cat fork.err
expect_contains "fetch progress on stderr" "objects" "$(cat fork.err)"

cd forked
expect_eq "branch checked out" "v2-kflavour" "$(git symbolic-ref --short HEAD)"
expect_eq "exactly one commit on the branch" "1" "$(git rev-list --count HEAD)"
expect_eq "no parents" "" "$(git log -1 --format=%P)"
expect_eq "tree id is v2's tree id" "$(git -C "$vendor" rev-parse 'v2^{tree}')" "$(git rev-parse 'HEAD^{tree}')"
expect_eq "message names TAG and URL" "Forked from v2 of $url" "$(git log -1 --format=%s)"
expect_contains "message says how to graft" "kflavour graft" "$(git log -1 --format=%b)"
expect_contains "message gives the plain git replace" "git replace <this commit> 'v2^{commit}'" "$(git log -1 --format=%b)"
expect_eq "author from git config" "Fork Tester <fork@example.org>" "$(git log -1 --format='%an <%ae>')"
expect_eq "kflavour.upstream" "$url" "$(git config kflavour.upstream)"
expect_eq "kflavour.tag" "v2" "$(git config kflavour.tag)"
expect_eq "work tree is v2's tree, clean" "" "$(git status --porcelain)"
expect_eq "README as of v2" "$(git -C "$vendor" show v2:README)" "$(cat README)"
expect_eq "not shallow" "false" "$(git rev-parse --is-shallow-repository)"
expect_eq "no tags left" "" "$(git tag)"

echo "objects in the fork: $(object_types .)"
expect_eq "one commit object, no tag objects" "1 0" \
    "$(git cat-file --batch-all-objects --batch-check='%(objecttype)' | awk '$1 == "commit" {c++} $1 == "tag" {t++} END {print c + 0, t + 0}')"
for c in $(git -C "$vendor" rev-list --all); do
    if git cat-file -e "$c" 2>/dev/null; then fail "vendor commit $c is in the fork's object store"; fi
done
echo "ok: none of the $(git -C "$vendor" rev-list --all | wc -l) vendor commits is in the store"
git fsck --no-dangling --no-progress || fail "git fsck"
echo "ok: git fsck"

# Push: the fork branch goes to a fresh bare repository; the shallow tag does not.
cd "$work"
git init -q --bare pushed.git
echo "--- git push of the fork branch:"
git -C forked push ../pushed.git v2-kflavour 2>&1 || fail "push of the fork branch was refused"
expect_eq "the pushed branch is one commit" "1" "$(git -C pushed.git rev-list --count v2-kflavour)"
git clone -q --depth 1 --branch v2 "$url" shallow
echo "--- git push of the shallow v2 tag (from git clone --depth 1):"
if git -C shallow push ../pushed.git v2 > shallow-push.out 2>&1; then
    cat shallow-push.out
    fail "pushing the shallow tag was accepted"
fi
cat shallow-push.out
expect_contains "shallow tag refused" "shallow update not allowed" "$(cat shallow-push.out)"

# Quiet: nothing but the result; --json: the result as JSON.
"$KFLAVOUR" -q fork "$url" --tag v1 --branch mine --author "Ada <ada@example.org>" quiet > quiet.out 2> quiet.err
expect_eq "-q prints nothing" "" "$(cat quiet.out quiet.err)"
expect_eq "--branch" "mine" "$(git -C quiet symbolic-ref --short HEAD)"
expect_eq "--author" "Ada <ada@example.org>" "$(git -C quiet log -1 --format='%an <%ae>')"
expect_eq "committer from git config" "Fork Tester" "$(git -C quiet log -1 --format='%cn')"
# A relative local path is taken from where kflavour runs, not from DIR.
"$KFLAVOUR" -q fork vendor --tag v1 relative
expect_eq "relative path URL recorded absolute" "$work/vendor" "$(git -C relative config kflavour.upstream)"

# -C: DIR (default: named after the URL, like git clone) is relative to it.
mkdir sub
"$KFLAVOUR" --json -C sub fork "$url" --tag v1 2>/dev/null > json.out
cat json.out
expect_eq "default DIR under -C" "1" "$(git -C sub/vendor rev-list --count HEAD)"
expect_contains "--json names the commit" "\"commit\": \"$(git -C sub/vendor rev-parse HEAD)\"" "$(cat json.out)"
