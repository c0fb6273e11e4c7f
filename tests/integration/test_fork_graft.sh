#!/usr/bin/env bash
# kflavour graft: the vendor history shows below the fork commit through a
# refs/replace/ ref; graft --undo takes it away; `kflavour new` works in the
# forked tree.
source "$(dirname "$0")/fork_lib.sh"

cd "$work"
"$KFLAVOUR" -q fork "$url" --tag v2 forked
cd forked
fork_commit=$(git rev-parse HEAD)
vendor_log=$(git -C "$vendor" log --format=%s v2)

# A commit of our own on top, on a side branch: the history goes below the fork.
git checkout -q -b local
echo "ours" > OURS
git add OURS
git commit -q -m "local: our change"
git checkout -q v2-kflavour

"$KFLAVOUR" graft 2> graft.err
cat graft.err
echo "--- git log --oneline after graft:"
git log --oneline
expect_eq "git log shows v2's history in place of the fork commit" "$vendor_log" "$(git log --format=%s)"
expect_eq "git log of the local branch: our commit, then the vendor history" \
    "local: our change"$'\n'"$vendor_log" "$(git log --format=%s local)"
expect_eq "the commit after v2 is not in it" "" "$(git log --format=%s | grep 'after v2' || true)"
echo "--- git replace --list:"
git replace --list
expect_eq "git replace --list shows the fork commit" "$fork_commit" "$(git replace --list)"
expect_eq "replaced by v2's commit" "$(git -C "$vendor" rev-parse 'v2^{commit}')" \
    "$(git rev-parse "refs/replace/$fork_commit")"
expect_eq "without replacements the branch is still one commit" "1" "$(git --no-replace-objects rev-list --count HEAD)"
expect_contains "graft again: nothing to do" "already grafted" "$("$KFLAVOUR" graft 2>&1)"

"$KFLAVOUR" graft --undo
echo "--- git log --oneline after graft --undo:"
git log --oneline
expect_eq "graft --undo restores the single commit" "1" "$(git rev-list --count HEAD)"
expect_eq "its subject" "Forked from v2 of $url" "$(git log --format=%s)"
expect_eq "no replacements" "" "$(git replace --list)"
expect_contains "undo again: nothing to undo" "no graft to undo" "$("$KFLAVOUR" graft --undo 2>&1)"

# --from: the history from another place (a mirror); the tag comes from the
# fork's config / commit message.
git clone -q --mirror "$vendor" "$work/mirror.git"
"$KFLAVOUR" -q graft --from ../mirror.git
expect_eq "graft --from a mirror (a relative path)" "$vendor_log" "$(git log --format=%s)"
"$KFLAVOUR" -q graft --undo

# Not a fork: a clear error, exit 2.
set +e
"$KFLAVOUR" -C "$vendor" graft > notfork.out 2>&1
rc=$?
set -e
cat notfork.out
expect_eq "graft outside a fork exits 2" "2" "$rc"
expect_contains "and says why" "kflavour: error: HEAD does not come from \`kflavour fork\`" "$(cat notfork.out)"

# `kflavour new` works in the forked tree (the vendor repo carries the Ubuntu fixture).
cd "$work"
set +e
"$KFLAVOUR" -C forked new tickless --arch arm64 --def tickless --no-resolve > new.out 2>&1
rc=$?
set -e
cat new.out
expect_eq "kflavour new in the forked tree exits 0" "0" "$rc"
[[ -f forked/debian.master/control.d/vars.tickless ]] || fail "debian.master/control.d/vars.tickless was not written"
echo "ok: debian.master/control.d/vars.tickless exists"
