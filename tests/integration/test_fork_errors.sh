#!/usr/bin/env bash
# kflavour fork: one clear `kflavour: error:` line and the right exit code
# for a missing tag, an unreachable URL, a non-empty DIR and a DIR that is
# already a different repository; --dry-run changes nothing.
source "$(dirname "$0")/fork_lib.sh"

cd "$work"
# expect_error WHAT EXIT MESSAGE kflavour-args…: runs kflavour, checks its
# exit code and that stderr has exactly one error line, the expected one.
expect_error() {
    local what=$1 want_rc=$2 want_msg=$3 rc
    shift 3
    set +e
    "$KFLAVOUR" "$@" > err.out 2> err.err
    rc=$?
    set -e
    echo "--- kflavour $*  (exit $rc)"
    cat err.err
    expect_eq "$what: exit code" "$want_rc" "$rc"
    expect_eq "$what: one error line" "1" "$(grep -c '^kflavour: error:' err.err)"
    expect_eq "$what: the message" "kflavour: error: $want_msg" "$(grep '^kflavour: error:' err.err)"
    expect_eq "$what: no git fatal: lines" "0" "$(grep -c '^fatal:' err.err || true)"
}

expect_error "missing tag" 2 "tag 'v9' not found at $url" fork "$url" --tag v9 out
[[ ! -e out ]] || fail "a failed fork left out/ behind"
echo "ok: nothing left behind"

expect_error "unreachable URL" 3 \
    "cannot fetch from file://$work/nowhere: '$work/nowhere' does not appear to be a git repository" \
    fork "file://$work/nowhere" --tag v2 out
[[ ! -e out ]] || fail "a failed fork left out/ behind"

mkdir full && echo "mine" > full/notes.txt
expect_error "non-empty DIR" 2 "full exists and is not empty" fork "$url" --tag v2 full
expect_eq "non-empty DIR untouched" "notes.txt" "$(ls -A full)"

git init -q other
expect_error "DIR is another repository" 2 "other is already a different git repository" fork "$url" --tag v2 other

"$KFLAVOUR" -q fork "$url" --tag v1 forked
expect_error "DIR is a fork of another tag" 2 \
    "forked is already a different git repository (a fork of v1 of $url)" fork "$url" --tag v2 forked
expect_contains "the same fork again is a no-op" "already a fork of v1" "$("$KFLAVOUR" fork "$url" --tag v1 forked 2>&1)"

expect_error "no --tag" 2 "fork: the option '--tag' is required but missing (see kflavour fork --help)" fork "$url" x
expect_error "bad --author" 2 "--author must look like 'Name <email>', not 'nobody'" \
    fork "$url" --tag v2 --author nobody x

# No identity at all: bad input, before anything is fetched.
git config --global --unset user.email
expect_error "no git identity" 2 \
    "no author for the fork commit: git's user.name and user.email are not set" fork "$url" --tag v2 anon
[[ ! -e anon ]] || fail "a failed fork left anon/ behind"
git config --global user.email "fork@example.org"

# Ctrl-C during the fetch: git stops, DIR is removed, exit 130. The fetch is
# a git that waits (KFLAVOUR_GIT), so the signal surely lands in it.
cat > slowgit <<SH
#!/usr/bin/env bash
if [[ \$1 == fetch ]]; then touch "$work/fetch-started"; sleep 30; fi
exec git "\$@"
SH
chmod +x slowgit
KFLAVOUR_GIT=$work/slowgit "$KFLAVOUR" -q fork "$url" --tag v2 interrupted 2> interrupted.err &
pid=$!
for _ in $(seq 100); do [[ -e fetch-started ]] && break; sleep 0.1; done
[[ -e fetch-started ]] || fail "the fetch did not start"
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
cat interrupted.err
expect_eq "interrupted fork exits 130" "130" "$rc"
expect_contains "and says so" "kflavour: error: interrupted (signal 2) during git fetch" "$(cat interrupted.err)"
[[ ! -e interrupted ]] || fail "an interrupted fork left interrupted/ behind"
echo "ok: nothing left behind"

# --dry-run: the plan, and nothing on disk.
"$KFLAVOUR" --dry-run fork "$url" --tag v2 planned > plan.out
cat plan.out
[[ ! -e planned ]] || fail "--dry-run created planned/"
expect_contains "dry run shows the fetch" \
    "git fetch --depth=1 --no-tags --no-write-fetch-head --progress $url +refs/tags/v2:refs/tags/v2" "$(cat plan.out)"
expect_contains "dry run shows the prune" "git prune --expire=now" "$(cat plan.out)"
