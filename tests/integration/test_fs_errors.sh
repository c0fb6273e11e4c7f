#!/bin/bash
# Filesystem errors that used to escape as exceptions (issue 18): each reaches
# the user as one `kflavour: error: PATH: reason` line with exit 3, and the
# tree is left as it was. The read-only places are a tmpfs mounted read-only
# in a mount namespace of the test's own (root, or unshare's user namespace),
# because root writes through mode bits.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RO=$KF_TMP/ro
mkdir -p "$RO"
ns=(unshare --mount)
[ "$(id -u)" = 0 ] || ns=(unshare --mount --map-root-user)
if ! "${ns[@]}" true 2>/dev/null; then echo "skip: no mount namespace here"; exit 77; fi
# in_ro CMD...: CMD with $RO a read-only tmpfs.
in_ro() { "${ns[@]}" sh -c 'mount -t tmpfs -o ro tmpfs "$0" && exec "$@"' "$RO" "$@"; }
TREE=$(copy_fixture)
before=$(cd "$TREE" && find . -type f -print0 | sort -z | xargs -0 md5sum)

expect_error 3 "$RO/out: cannot create the output directory: Read-only file system" "build: --out on a read-only mount" -- \
    in_ro "$KFLAVOUR" -C "$TREE" build --no-chroot --flavour generic --out "$RO/out"
expect_error 3 "$RO/chroots: cannot create the chroot cache: Read-only file system" "chroot create: cache on a read-only mount" -- \
    in_ro env KFLAVOUR_CHROOT_DIR="$RO/chroots" "$KFLAVOUR" chroot create bookworm
expect_error 3 "$RO/kflavour/chroots: cannot create the chroot cache: Read-only file system" \
    "build: XDG_CACHE_HOME on a read-only mount" -- \
    in_ro env XDG_CACHE_HOME="$RO" "$KFLAVOUR" -C "$TREE" build --flavour generic --suite bookworm --out "$KF_TMP/out"
after=$(cd "$TREE" && find . -type f -print0 | sort -z | xargs -0 md5sum)
[ "$before" = "$after" ] || fail "the tree changed"
[ ! -e "$KF_TMP/out/build.log" ] || fail "a build started"
pass "read-only output and cache dirs: one error line each, exit 3, the tree unchanged"
