#!/bin/bash
# The tree's own build-dependencies, installed for the build (issue 13, 1):
#  - a Debian source package whose Build-Depends (zlib1g-dev, bc) are not in
#    the chroot beforehand is cross-built to arm64: kflavour prepares a chroot
#    with them (apt-get build-dep --host-architecture=arm64) and builds there;
#    the program links the arm64 zlib and its build ran the build machine's bc;
#  - the second build finds the prepared chroot in the cache;
#  - a Build-Depends apt cannot satisfy stops the build before anything
#    compiles: exit 3, apt's own line naming the package, no packages;
#  - an unprivileged user with subuid ranges prepares a chroot of its own
#    (in a user namespace) and builds there.
# Needs root, mmdebstrap, uidmap and Debian's mirror.
set -euo pipefail
: "${KFLAVOUR:?}" "${KF_SOURCE_DIR:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*  [$((SECONDS))s]"; }
[ "$(id -u)" = 0 ] || fail "needs root (CI runs as root)"
source "$(dirname "$0")/kfhello.sh"  # make_pkg DIR

export XDG_CACHE_HOME=${KF_E2E_CHROOT_CACHE:-${KF_E2E_CACHE:-/var/cache/kflavour-e2e}}
export DEBFULLNAME="Kflavour Test" DEBEMAIL="test@example.com" SOURCE_DATE_EPOCH=1700000000
W=$(mktemp -d /var/tmp/kf-e2e-deps.XXXXXX)
chmod 755 "$W"
trap 'rm -rf "$W"' EXIT
export TMPDIR=$W/tmp KFLAVOUR_CCACHE_DIR=$W/ccache
mkdir -p "$TMPDIR"
BASE=bookworm-amd64+arm64
CACHE=$XDG_CACHE_HOME/kflavour/chroots
"$KFLAVOUR" -q chroot create bookworm --host arm64 >/dev/null

# kfhello, made to need zlib (linked: the host arch's) and bc (run at build
# time: the build machine's).
make_deps_pkg() {  # DIR [EXTRA-BUILD-DEPENDS]
    make_pkg "$1"
    local d=$1/kfhello-1.0
    sed -i "s/^Build-Depends: .*/Build-Depends: debhelper-compat (= 13), zlib1g-dev, bc${2:+, $2}/" "$d/debian/control"
    cat >"$d/kfhello.c" <<'C'
#include <stdio.h>
#include <zlib.h>
#include "answer.h"
int main(void) { printf("hello from kfhello, zlib %s, answer %d\n", zlibVersion(), ANSWER); return 0; }
C
    printf '%s\n' 'CC ?= cc' 'kfhello: kfhello.c answer.h' '	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ kfhello.c -lz' \
        'answer.h:' '	echo "#define ANSWER $$(echo 6*7 | bc)" >$@' \
        'install:' '	install -D -m 755 kfhello $(DESTDIR)/usr/bin/kfhello' 'clean:' '	rm -f kfhello answer.h' \
        >"$d/Makefile"
}

# The base chroot has neither: the build-dependencies really get installed.
status=$(tar -xOf "$CACHE/$BASE.tar" ./var/lib/dpkg/status)
! grep -qx "Package: zlib1g-dev" <<<"$status" || fail "$BASE already has zlib1g-dev"
! grep -qx "Package: bc" <<<"$status" || fail "$BASE already has bc"

make_deps_pkg "$W/pkg"
SRC=$W/pkg/kfhello-1.0
cp -a "$SRC" "$W/pristine"
# The prepared chroot's name, from the dry run; removed so this run makes it.
PREPARED=$("$KFLAVOUR" -C "$SRC" --dry-run build --host arm64 --chroot "$BASE" --out "$W/out" |
    sed -n 's/^# in chroot \([^ ]*\) .*/\1/p')
[[ $PREPARED == "$BASE-bd"* ]] || fail "dry run: no prepared chroot on top of $BASE ($PREPARED)"
"$KFLAVOUR" -q chroot remove "$PREPARED" 2>/dev/null || true

"$KFLAVOUR" -C "$SRC" build --host arm64 --chroot "$BASE" --out "$W/out" >"$W/first.txt" 2>&1 ||
    { cat "$W/first.txt"; fail "first build"; }
grep -q "installing the tree's build-dependencies" "$W/first.txt" || { cat "$W/first.txt"; fail "first build prepared nothing"; }
first=$(sed -n "s/^  build-deps *\([0-9:]*\)  $PREPARED (prepared)$/\1/p" "$W/first.txt")
[ -n "$first" ] || { cat "$W/first.txt"; fail "first build: no '(prepared)' line for $PREPARED"; }
[ -s "$CACHE/$PREPARED.tar" ] || fail "no $PREPARED.tar in the cache"
deb=$W/out/kfhello_1.0_arm64.deb
[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || fail "kfhello is not arm64"
dpkg-deb -f "$deb" Depends | grep -q 'zlib1g' || fail "kfhello does not depend on zlib1g: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/kfhello >"$W/kfhello.bin"
readelf -d "$W/kfhello.bin" | grep -q 'NEEDED.*libz.so' || fail "kfhello does not link libz"
readelf -h "$W/kfhello.bin" | grep -q 'Machine:.*AArch64' || fail "kfhello is not aarch64"
grep -a -q 'answer %d' "$W/kfhello.bin" || fail "kfhello lacks its text"
diff -r "$W/pristine" "$SRC" >/dev/null || fail "the build changed the source tree"
pass "first build: build-deps installed into $PREPARED in $first; arm64 kfhello links libz"

"$KFLAVOUR" -C "$SRC" build --host arm64 --chroot "$BASE" --out "$W/out2" >"$W/second.txt" 2>&1 ||
    { cat "$W/second.txt"; fail "second build"; }
grep -q "^  build-deps .* $PREPARED (cached)$" "$W/second.txt" || { cat "$W/second.txt"; fail "second build did not reuse $PREPARED"; }
! grep -q "installing the tree's build-dependencies" "$W/second.txt" || fail "second build installed again"
grep -q "^Setting up zlib1g-dev" "$W/out2/build.log" && fail "second build's log shows zlib1g-dev being installed"
deps2=$(sed -n 's/^  deps *\([0-9:]*\)$/\1/p' "$W/second.txt")
pass "second build: $PREPARED from the cache (deps stage ${deps2:-?}, first preparation $first)"

# Unsatisfiable: apt's line names the package; nothing compiled.
make_deps_pkg "$W/bad" "kflavour-no-such-package (>= 1)"
rc=0
"$KFLAVOUR" -C "$W/bad/kfhello-1.0" build --host arm64 --chroot "$BASE" --out "$W/bad-out" >"$W/bad.txt" 2>&1 || rc=$?
[ "$rc" = 3 ] || { cat "$W/bad.txt"; fail "unsatisfiable build-deps: exit $rc, want 3"; }
[ "$(grep -c '^kflavour: error: ' "$W/bad.txt")" = 1 ] || { cat "$W/bad.txt"; fail "want one error line"; }
grep -q "kflavour-no-such-package" "$W/bad.txt" || { cat "$W/bad.txt"; fail "the error does not name the package"; }
! ls "$W/bad-out"/*.deb >/dev/null 2>&1 || fail "packages were built"
[ ! -e "$W/bad-out/build.log" ] || fail "the build ran (build.log exists)"
ls "$CACHE"/.*partial* >/dev/null 2>&1 && fail "a partial chroot was left in the cache"
pass "unsatisfiable Build-Depends: exit 3 before compiling: $(grep -m1 'kflavour-no-such-package' "$W/bad.txt" | tr -s ' ')"

# An unprivileged user with subuid ranges and a chroot cache of its own.
U=kfbuild
source "$(dirname "$0")/user.sh"
test_user "$U"
UW=$W/user
mkdir -p "$UW/cache/kflavour/chroots" "$UW/tmp"
ln "$CACHE/$BASE.tar" "$UW/cache/kflavour/chroots/$BASE.tar" 2>/dev/null || cp "$CACHE/$BASE.tar" "$UW/cache/kflavour/chroots/"
cp "$CACHE/$BASE.json" "$UW/cache/kflavour/chroots/"
make_deps_pkg "$UW"
chown -R "$U:" "$UW"
chown root: "$UW/cache/kflavour/chroots/$BASE.tar"
runuser -u "$U" -- env HOME="$(getent passwd $U | cut -d: -f6)" TMPDIR="$UW/tmp" XDG_CACHE_HOME="$UW/cache" \
    KFLAVOUR_CCACHE_DIR="$UW/ccache" "$KFLAVOUR" -C "$UW/kfhello-1.0" build --host arm64 --chroot "$BASE" \
    --out "$UW/out" >"$W/user.txt" 2>&1 || { cat "$W/user.txt"; fail "unprivileged build"; }
grep -q "^  build-deps .* $BASE-bd[0-9a-f]* (prepared)$" "$W/user.txt" || { cat "$W/user.txt"; fail "the user prepared no chroot"; }
deb=$UW/out/kfhello_1.0_arm64.deb
[ -f "$deb" ] && dpkg-deb -f "$deb" Depends | grep -q zlib1g || fail "unprivileged build: no arm64 kfhello with zlib1g"
[ "$(stat -c %U "$UW/cache/kflavour/chroots/$PREPARED.tar")" = "$U" ] || fail "the prepared chroot is not the user's"
[ -z "$(ls -A "$UW/tmp")" ] || fail "the unprivileged run left scratch files: $(ls -A "$UW/tmp")"
pass "as $U (user namespace): prepared its own $PREPARED and cross-built kfhello"
