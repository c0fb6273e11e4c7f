#!/bin/bash
# Issue 19: SIGINT, SIGTERM and SIGKILL at random moments of `new` and
# `config import`. Afterwards every file of the tree is its old or its new
# version; after SIGINT/SIGTERM no temporary is left; after SIGKILL one more
# clean run leaves no temporary and gives the expected result.
#   KF_INTERRUPT_RUNS   runs per command (default 160, so 320 in all)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RUNS=${KF_INTERRUPT_RUNS:-160}
D=debian.master

# A pristine tree, and the trees each command makes from it when left alone.
PRISTINE=$(copy_fixture ubuntu-focal-5.4.0-200 pristine)
NEW_ARGS=(new tickless --arch arm64 --arch amd64 --def tickless)
WANT_NEW=$(copy_fixture ubuntu-focal-5.4.0-200 want-new)
"$KFLAVOUR" -C "$WANT_NEW" "${NEW_ARGS[@]}" >/dev/null
"$KFLAVOUR" -C "$PRISTINE" config export --arch amd64 --flavour generic |
    sed -e 's/^CONFIG_HZ_250=y/# CONFIG_HZ_250 is not set/' -e 's/^# CONFIG_HZ_1000 is not set/CONFIG_HZ_1000=y/' \
        -e 's/^CONFIG_HZ=250/CONFIG_HZ=1000/' >"$KF_TMP/import.config"
IMPORT_ARGS=(config import "$KF_TMP/import.config" --arch amd64 --flavour generic)
WANT_IMPORT=$(copy_fixture ubuntu-focal-5.4.0-200 want-import)
"$KFLAVOUR" -C "$WANT_IMPORT" "${IMPORT_ARGS[@]}" >/dev/null
cmp -s "$PRISTINE/$D/config/annotations" "$WANT_IMPORT/$D/config/annotations" && fail "the import changes nothing"

TREE=$KF_TMP/tree
temps() { find "$TREE" -name '.*.kf-*' | sort; }

# Every file is the pristine one or the wanted one (created files: absent or wanted).
check_old_or_new() {
    local want=$1 what=$2 f rel
    while IFS= read -r f; do
        rel=${f#"$TREE"/}
        case $rel in */.*.kf-*) continue ;; esac
        if [ -e "$PRISTINE/$rel" ] && cmp -s "$f" "$PRISTINE/$rel"; then continue; fi
        if [ -e "$want/$rel" ] && cmp -s "$f" "$want/$rel"; then continue; fi
        fail "$what: $rel is neither old nor new"
    done < <(find "$TREE" -type f)
    while IFS= read -r f; do
        rel=${f#"$PRISTINE"/}
        [ -e "$TREE/$rel" ] || fail "$what: $rel vanished"
    done < <(find "$PRISTINE" -type f)
}

signals=(INT TERM KILL)
declare -A count=()
run_interrupted() {
    local want=$1 name=$2
    shift 2
    local i sig delay pid
    for ((i = 0; i < RUNS; i++)); do
        rm -rf "$TREE"
        cp -a "$PRISTINE" "$TREE"
        sig=${signals[RANDOM % 3]}
        delay=$(printf '0.%03d' $((RANDOM % 90)))
        "$KFLAVOUR" -C "$TREE" "$@" >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -s "$sig" "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        count[$name-$sig]=$((${count[$name-$sig]:-0} + 1))
        check_old_or_new "$want" "$name, SIG$sig after ${delay}s"
        if [ "$sig" != KILL ] && [ -n "$(temps)" ]; then
            fail "$name, SIG$sig after ${delay}s: temporaries left: $(temps)"
        fi
        if [ -n "$(temps)" ]; then
            count[$name-leftovers]=$((${count[$name-leftovers]:-0} + 1))
            # One more run clears them, whatever it then decides.
            "$KFLAVOUR" -C "$TREE" "$@" >/dev/null 2>&1 || true
            [ -z "$(temps)" ] || fail "$name: a clean run after SIGKILL left: $(temps)"
        fi
    done
}

run_interrupted "$WANT_NEW" new "${NEW_ARGS[@]}"
run_interrupted "$WANT_IMPORT" import "${IMPORT_ARGS[@]}"
for k in "${!count[@]}"; do echo "  $k: ${count[$k]}"; done | sort
pass "$((2 * RUNS)) interrupted runs of new and config import: every file old or new, no temporary left"

# A killed run's leftovers next to an unchanged file go with the next run too,
# even one that has nothing to change.
rm -rf "$TREE"
cp -a "$WANT_NEW" "$TREE"
dead=$(sh -c 'echo $$')  # a PID whose process has ended
echo partial >"$TREE/$D/config/.annotations.kf-$dead-AbC123"
ln "$TREE/$D/changelog" "$TREE/$D/.changelog.kf-$dead-XyZ789.orig"
"$KFLAVOUR" -C "$TREE" "${NEW_ARGS[@]}" >/dev/null
[ -z "$(temps)" ] || fail "a re-run with nothing to change left: $(temps)"
pass "a re-run with nothing to change removes a dead run's temporaries"
