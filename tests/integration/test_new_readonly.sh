#!/bin/bash
# A tree kflavour can't write: exit 2, one error naming the file, nothing changed
# (no half-written files, no stray temporaries).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

tested=0
new_tickless() { expect_bad_new "$1" "$2" tickless --arch arm64 --def tickless --no-resolve; }

if [ "$(id -u)" = 0 ]; then
    # root ignores permissions: an immutable file or a read-only mount stops it.
    fresh_trees
    A=$TREE/debian.master/config/annotations
    if chattr +i "$A" 2>/dev/null; then
        KF_CLEANUPS+=("chattr -i '$A'")
        new_tickless "debian.master/config/annotations: not writable" "immutable annotations (chattr +i)"
        # config import gives the same class as new (it exited 3 before).
        "$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour generic | sed "s/^CONFIG_HZ=250/CONFIG_HZ=1000/" >"$KF_TMP/arm64.config"
        expect_error 2 "debian.master/config/annotations: not writable" "config import, immutable annotations" -- \
            "$KFLAVOUR" -C "$TREE" config import "$KF_TMP/arm64.config" --arch arm64 --flavour generic
        expect_unchanged "config import, immutable annotations"
        chattr -i "$A"
        C=$TREE/debian.master/control.d
        chattr +i "$C"
        KF_CLEANUPS+=("chattr -i '$C'")
        new_tickless "debian.master/control.d: not writable" "immutable control.d/ (chattr +i)"
        chattr -i "$C"
        tested=$((tested + 1))
    else
        echo "note: chattr +i does not work here"
    fi
    if unshare -m true 2>/dev/null; then
        fresh_trees
        rc=0
        unshare -m --propagation private bash -c '
            mount --bind -o ro "$1" "$1" && exec "$2" -C "$1" new tickless --arch arm64 --def tickless --no-resolve' \
            _ "$TREE" "$KFLAVOUR" >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
        [ "$rc" = 2 ] || { cat "$KF_TMP/err" >&2; fail "read-only mount: exit $rc, want 2"; }
        grep -q "^kflavour: error: $TREE/debian.master/.*: not writable: Read-only file system" "$KF_TMP/err" ||
            { cat "$KF_TMP/err" >&2; fail "read-only mount: error"; }
        expect_unchanged "read-only bind mount"
        pass "read-only bind mount: $(cat "$KF_TMP/err")"
        tested=$((tested + 1))
    else
        echo "note: unshare -m does not work here"
    fi
else
    fresh_trees
    chmod -R a-w "$TREE"
    KF_CLEANUPS+=("chmod -R u+w '$TREE'")
    new_tickless "not writable: Permission denied" "read-only files and dirs (chmod a-w)"
    tested=$((tested + 1))
fi

if [ "$tested" = 0 ]; then
    echo "SKIP: no way to make a read-only tree here (chattr +i and unshare -m both failed)"
fi
