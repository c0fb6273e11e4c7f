#!/bin/bash
# kflavour chroot + deps against Debian's real mirror (issue 4):
#  - chroot create bookworm --host arm64 (cached in $KF_E2E_CHROOT_CACHE), list;
#  - a tiny generated debhelper C package cross-built to arm64
#    * as root with kflavour's own runner (chroot run: unshare + chroot),
#    * as an unprivileged user with subuid/subgid ranges, with sbuild's
#      unshare mode on the same tarball;
#    the .deb is arm64 and its libc6 dependency is what the chroot has;
#  - deps fix --chroot on the focal fixture = the golden file;
#  - deps check --host arm64 names the packages bookworm lacks (dh-systemd);
#  - chroot create interrupted with SIGINT leaves no tarball; re-running works.
# Needs root, mmdebstrap, sbuild, uidmap, and Debian's mirror.
set -euo pipefail
: "${KFLAVOUR:?}" "${KF_TEST_DATA:?}" "${KF_SOURCE_DIR:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*  [$((SECONDS))s]"; }
[ "$(id -u)" = 0 ] || fail "needs root (CI runs as root)"

export XDG_CACHE_HOME=${KF_E2E_CHROOT_CACHE:-${KF_E2E_CACHE:-/var/cache/kflavour-e2e}}
mkdir -p "$XDG_CACHE_HOME"
chmod 755 "$XDG_CACHE_HOME"
W=$(mktemp -d /var/tmp/kf-e2e-chroot.XXXXXX)
chmod 755 "$W"
trap 'rm -rf "$W"' EXIT
export TMPDIR=$W/tmp
mkdir -p "$TMPDIR"
NAME=bookworm-amd64+arm64
CACHE=$XDG_CACHE_HOME/kflavour/chroots
TAR=$CACHE/$NAME.tar

# 1. create (cached across runs) and list.
"$KFLAVOUR" chroot create bookworm --host arm64
[ -s "$TAR" ] || fail "no tarball $TAR"
"$KFLAVOUR" chroot create bookworm --host arm64 | grep -q 'exists' || fail "re-create is not a no-op"
"$KFLAVOUR" chroot list | awk -v n="$NAME" '$1==n && $2=="bookworm" && $3=="amd64,arm64" {f=1} END {exit !f}' || fail "chroot list does not show $NAME"
"$KFLAVOUR" --json chroot list | python3 -c 'import json,sys; j=json.load(sys.stdin); assert any(c["name"]=="'$NAME'" for c in j["chroots"])'
pass "chroot create/list"

# 2. A tiny debhelper C package, generated here.
source "$(dirname "$0")/kfhello.sh"  # make_pkg DIR
check_deb() {  # DEB WHO
    [ -f "$1" ] || fail "$2: no $1"
    [ "$(dpkg-deb -f "$1" Architecture)" = arm64 ] || fail "$2: not arm64"
    dpkg-deb --fsys-tarfile "$1" | tar -xO ./usr/bin/kfhello >"$W/kfhello.bin"
    readelf -h "$W/kfhello.bin" | grep -q 'Machine:.*AArch64' || fail "$2: binary not aarch64"
    local dep want
    dep=$(dpkg-deb -f "$1" Depends | grep -o 'libc6 (>= [^)]*)') || fail "$2: no libc6 dependency"
    want=$(tar -xOf "$TAR" ./var/lib/dpkg/status | awk '/^Package: libc6$/{p=1} p && !d && /^Version:/{print $2; d=1}')
    local v=${dep#libc6 (>= }
    dpkg --compare-versions "${v%)}" le "$want" || fail "$2: $dep is newer than the chroot's libc6 $want"
    echo "  $2: $(basename "$1"): Architecture arm64, Depends $dep (chroot libc6 $want)"
}

# KF_E2E_SKIP_BUILDS=1 skips the two cross builds (quick iteration on the rest).
if [ -z "${KF_E2E_SKIP_BUILDS:-}" ]; then
# 2a. As root: kflavour's own runner.
mkdir -p "$W/root"
make_pkg "$W/root"
"$KFLAVOUR" chroot run "$NAME" --bind "$W/root" -- sh -ec "
    cd '$W/root/kfhello-1.0'
    # what sbuild adds for a cross build: the host-arch libc development files
    apt-get -q -y --no-install-recommends -a arm64 build-dep . >/dev/null
    apt-get -q -y --no-install-recommends install libc6-dev:arm64 >/dev/null
    dpkg-buildpackage -aarm64 -b -uc -us >/dev/null 2>&1 || { dpkg-buildpackage -aarm64 -b -uc -us 2>&1 | tail -20; exit 1; }
" >"$W/root.log" 2>&1 || { tail -30 "$W/root.log"; fail "root cross build failed"; }
check_deb "$W/root/kfhello_1.0_arm64.deb" root
pass "cross build as root (kflavour chroot run)"

# 2b. As an unprivileged user with subuid/subgid ranges: sbuild --chroot-mode=unshare.
U=kfbuild
source "$(dirname "$0")/user.sh"
test_user "$U"
mkdir -p "$W/user"
make_pkg "$W/user"
chown -R "$U:" "$W/user"
(cd "$W/user" && runuser -u "$U" -- env HOME="$(getent passwd $U | cut -d: -f6)" TMPDIR=/tmp \
    sbuild --chroot-mode=unshare --chroot="$TAR" --host=arm64 -d bookworm --no-run-lintian \
    --no-run-autopkgtest --no-run-piuparts --no-apt-upgrade --no-apt-distupgrade kfhello_1.0.dsc) \
    >"$W/user.log" 2>&1 || { tail -40 "$W/user.log"; fail "unprivileged sbuild cross build failed"; }
check_deb "$W/user/kfhello_1.0_arm64.deb" "$U"
pass "cross build as $U (sbuild unshare on kflavour's tarball)"
else
    mkdir -p "$W/root" && make_pkg "$W/root"
fi

# 3. deps fix with the chroot's lists = the golden file.
T=$W/tree
cp -r "$KF_TEST_DATA/ubuntu-focal-5.4.0-200" "$T"
"$KFLAVOUR" -q -C "$T" deps fix --chroot "$NAME" --write 2>"$W/fix.err"
cmp "$T/debian.master/control.stub.in" "$KF_TEST_DATA/expected/deps-fix/control.stub.in.bookworm" ||
    { diff -u "$KF_TEST_DATA/expected/deps-fix/control.stub.in.bookworm" "$T/debian.master/control.stub.in"; fail "deps fix --chroot differs from the golden file"; }
"$KFLAVOUR" -q -C "$T" deps fix --suite bookworm --write 2>/dev/null  # --suite finds the same chroot
pass "deps fix --chroot (golden)"

# 4. deps check names what bookworm lacks, exit 1.
set +e
"$KFLAVOUR" -C "$KF_TEST_DATA/ubuntu-focal-5.4.0-200" deps check --host arm64 --chroot "$NAME" >"$W/check.out" 2>"$W/check.err"
rc=$?
set -e
cat "$W/check.out"
[ $rc = 1 ] || { cat "$W/check.err"; fail "deps check: exit $rc, want 1"; }
grep -q '^control.stub.in:8: dh-systemd: missing: dh-systemd is not in the suite' "$W/check.out" || fail "dh-systemd not reported"
# libunwind8-dev is only virtual in bookworm (libunwind-dev provides it): not a problem.
grep -q 'libunwind8-dev' "$W/check.out" && fail "libunwind8-dev (provided by libunwind-dev) reported"
# A satisfiable set passes, with apt's resolver agreeing.
"$KFLAVOUR" -C "$W/root/kfhello-1.0" deps check --host arm64 --chroot "$NAME" | grep -q 'apt agrees' || fail "deps check on kfhello"
pass "deps check"

# 5. SIGINT during create: no tarball; a re-run succeeds.
S=kf-e2e-sigint
"$KFLAVOUR" chroot remove "$S" >/dev/null 2>&1 || true
"$KFLAVOUR" chroot create bookworm --variant=essential --name "$S" >"$W/sigint.log" 2>&1 &
pid=$!
# Interrupt once mmdebstrap itself is at work (a warm mirror cache makes the
# whole create take only seconds, so don't wait long after that).
for _ in $(seq 1 200); do
    ls "$CACHE"/."$S".partial-* >/dev/null 2>&1 && pgrep -f "mmdebstrap.*$S" >/dev/null && break
    sleep 0.1
done
sleep 1
kill -INT "$pid" || { cat "$W/sigint.log"; fail "create finished before it could be interrupted"; }
set +e
wait "$pid"
rc=$?
set -e
[ $rc = 130 ] || { cat "$W/sigint.log"; fail "interrupted create: exit $rc, want 130"; }
[ ! -e "$CACHE/$S.tar" ] || fail "interrupted create left $S.tar"
ls "$CACHE"/."$S".partial-* >/dev/null 2>&1 && fail "interrupted create left a partial file"
pgrep -f "mmdebstrap.*$S" && fail "mmdebstrap still running"
"$KFLAVOUR" chroot create bookworm --variant=essential --name "$S" >/dev/null || fail "re-run after SIGINT failed"
[ -s "$CACHE/$S.tar" ] || fail "re-run wrote no tarball"
"$KFLAVOUR" chroot remove "$S"
[ ! -e "$CACHE/$S.tar" ] || fail "chroot remove left the tarball"
pass "SIGINT during create"
# 6. Ubuntu's archive keyring from Debian trixie (package ubuntu-keyring;
#    ubuntu-archive-keyring is its transition package): downloaded with apt
#    from trixie, then focal's sources and mmdebstrap argv use it, and the
#    keyring check passes. (No Ubuntu mirror is needed for that.)
KR=$W/keyring
mkdir -p "$KR/lists/partial" "$KR/cache/archives/partial"
echo "deb http://deb.debian.org/debian trixie main" >"$KR/sources.list"
chown -R _apt "$KR" 2>/dev/null || true
apt_trixie=(-q -o Dir::Etc::SourceList="$KR/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::State::Lists="$KR/lists" -o Dir::Cache="$KR/cache" -o APT::Architecture=amd64)
apt-get "${apt_trixie[@]}" update >"$W/trixie.log" 2>&1 || { cat "$W/trixie.log"; fail "apt-get update (trixie)"; }
(cd "$KR" && apt-get "${apt_trixie[@]}" download ubuntu-keyring >>"$W/trixie.log" 2>&1) || { cat "$W/trixie.log"; fail "apt-get download ubuntu-keyring"; }
dpkg-deb -x "$KR"/ubuntu-keyring_*.deb "$KR/root"
KEYRING=$KR/root/usr/share/keyrings/ubuntu-archive-keyring.gpg
[ -s "$KEYRING" ] || fail "ubuntu-keyring has no ubuntu-archive-keyring.gpg"
"$KFLAVOUR" --dry-run chroot create focal --host arm64 --keyring "$KEYRING" >"$W/focal.dry" 2>"$W/focal.err"
! grep -q "keyring" "$W/focal.err" || { cat "$W/focal.err"; fail "the real keyring was not accepted"; }
grep -qx "Signed-By: $KEYRING" "$W/focal.dry" || { cat "$W/focal.dry"; fail "focal sources: Signed-By"; }
grep -q -- "--keyring=$KEYRING" "$W/focal.dry" || fail "focal mmdebstrap argv: --keyring"
grep -q "URIs: http://ports.ubuntu.com/ubuntu-ports" "$W/focal.dry" || fail "focal arm64: no ports stanza"
"$KFLAVOUR" --dry-run chroot create focal --host arm64 --keyring "$KR/none.gpg" 2>&1 >/dev/null | grep -q "does not exist" ||
    fail "a missing keyring is not reported"
pass "focal chroot argv with Ubuntu's keyring from trixie's ubuntu-keyring ($(basename "$KR"/ubuntu-keyring_*.deb))"

# 7. Rootless: deps check (with apt's resolver), chroot shell and chroot
#    update as an unprivileged user with subuid ranges and a cache of its own.
U=kfbuild
source "$(dirname "$0")/user.sh"
test_user "$U"
UC=$W/user-cache/kflavour/chroots
mkdir -p "$UC" "$W/user-tmp"
# A hard link shares root's file (read-only for the user); update renames a
# new tarball over the link in the user's own directory.
ln "$TAR" "$UC/$NAME.tar" 2>/dev/null || cp "$TAR" "$UC/$NAME.tar"
cp "$CACHE/$NAME.json" "$UC/"
chown "$U:" "$W/user-cache" "$W/user-cache/kflavour" "$UC" "$UC/$NAME.json" "$W/user-tmp"
as_user() {
    runuser -u "$U" -- env HOME="$(getent passwd "$U" | cut -d: -f6)" TMPDIR="$W/user-tmp" \
        XDG_CACHE_HOME="$W/user-cache" "$KFLAVOUR" "$@"
}
set +e
as_user -C "$KF_TEST_DATA/ubuntu-focal-5.4.0-200" deps check --host arm64 --chroot "$NAME" >"$W/ucheck.out" 2>"$W/ucheck.err"
rc=$?
set -e
[ $rc = 1 ] || { cat "$W/ucheck.out" "$W/ucheck.err"; fail "unprivileged deps check: exit $rc, want 1"; }
grep -q '^control.stub.in:8: dh-systemd: missing' "$W/ucheck.out" || fail "unprivileged deps check: dh-systemd not reported"
as_user -C "$W/root/kfhello-1.0" deps check --host arm64 --chroot "$NAME" | grep -q 'apt agrees' ||
    fail "unprivileged deps check did not run apt's resolver"
out=$(printf 'id -u\necho kf-shell-$((6*7))\nexit\n' | as_user chroot shell "$NAME" 2>&1) || { echo "$out"; fail "unprivileged chroot shell"; }
grep -qx 'kf-shell-42' <<<"$out" && grep -qx '0' <<<"$out" || { echo "$out"; fail "unprivileged chroot shell: no root shell output"; }
inode=$(stat -c %i "$TAR")
as_user chroot update "$NAME" >"$W/uupdate.log" 2>&1 || { cat "$W/uupdate.log"; fail "unprivileged chroot update"; }
[ "$(stat -c %U "$UC/$NAME.tar")" = "$U" ] || fail "the updated tarball is not the user's"
[ "$(stat -c %i "$TAR")" = "$inode" ] || fail "root's tarball was changed"
tar -tf "$UC/$NAME.tar" ./usr/bin/apt-get >/dev/null || fail "the updated tarball is not a chroot"
ls "$UC"/.*partial* >/dev/null 2>&1 && fail "update left a partial file"
[ -z "$(ls -A "$W/user-tmp")" ] || fail "the user's runs left scratch files: $(ls -A "$W/user-tmp")"
pass "as $U (user namespace): deps check with apt's resolver, chroot shell, chroot update (atomic, the user's own)"

[ -z "$(ls -A "$TMPDIR")" ] || { ls -la "$TMPDIR"; fail "scratch dirs left in TMPDIR"; }
echo "e2e chroot: ${SECONDS}s"
