#!/bin/bash
# kflavour verify on real 6.1 kernel sets (issue 6): the arm64 set that the
# build e2e test leaves in ${KF_E2E_SETS:-$KF_E2E_CACHE/sets}/tickless-arm64
# passes against bookworm's arm64 index, both from the kflavour chroot
# bookworm-amd64+arm64 (--suite) and from this machine's apt lists
# (--packages); copies broken in one way each fail naming the cause: a
# package removed, a dependency bumped beyond bookworm, an x86-64 binary in
# the headers package, an Architecture: amd64 package mixed in, a truncated
# .deb (exit 2). The amd64 set, when present, passes for amd64.
# Needs root (the chroot tarball is root's), dpkg-deb, the sets.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SETS=${KF_E2E_SETS:-$KF_E2E_CACHE/sets}
ARM64=$SETS/tickless-arm64
[ -n "$(ls "$ARM64"/*.deb 2>/dev/null)" ] || fail "no arm64 set in $ARM64 (run the build e2e test first, or set KF_E2E_SETS)"
export XDG_CACHE_HOME=${KF_E2E_CHROOT_CACHE:-/var/cache/kflavour-e2e}

# This machine's bookworm lists for arm64 (main, updates, security).
host_lists=()
for f in /var/lib/apt/lists/*_dists_bookworm{,-updates,-security}_main_binary-arm64_Packages*; do
    [ -e "$f" ] && host_lists+=(--packages "$f")
done
((${#host_lists[@]})) || fail "no bookworm arm64 lists in /var/lib/apt/lists (dpkg --add-architecture arm64 && apt-get update)"

# run NAME [verify args…]: output in $KF_TMP/NAME.{out,err}, exit in $RC.
run() {
    local name=$1
    shift
    RC=0
    "$KFLAVOUR" verify "$@" >"$KF_TMP/$name.out" 2>"$KF_TMP/$name.err" || RC=$?
    OUT=$KF_TMP/$name.out
    ERR=$KF_TMP/$name.err
}
expect_pass() {
    [ "$RC" = 0 ] || { cat "$OUT" "$ERR" >&2; fail "$1: exit $RC, want 0"; }
    grep -q '^verify: ok: ' "$OUT" || { cat "$OUT" >&2; fail "$1: no ok line"; }
    pass "$1: $(tail -1 "$OUT")"
}
expect_fail() {  # WHAT REGEX
    [ "$RC" = 1 ] || { cat "$OUT" "$ERR" >&2; fail "$1: exit $RC, want 1"; }
    grep -Eq "$2" "$OUT" || { cat "$OUT" >&2; fail "$1: no problem matching /$2/"; }
    pass "$1: $(grep -E "$2" "$OUT" | head -1 | sed 's/^ *//')"
}

# The set's release, from its image package.
image=$(ls "$ARM64"/linux-image-*.deb | grep -v -- -dbg_ | head -1)
pkg=$(dpkg-deb -f "$image" Package)
REL=${pkg#linux-image-}
echo "arm64 set: $ARM64 (release $REL)"

run chroot "$ARM64" --suite bookworm --host arm64
expect_pass "arm64 set against bookworm (chroot lists)"
grep -q "chroot bookworm-" "$OUT" || fail "the index did not come from the chroot: $(head -1 "$OUT")"
cat "$OUT"
expect_no_scratch "verify --suite"

run lists "$ARM64" --suite bookworm --host arm64 "${host_lists[@]}"
expect_pass "arm64 set against bookworm (host lists)"

# copy NAME: a writable copy of the arm64 set's debs.
copy() {
    rm -rf "$KF_TMP/$1"
    mkdir -p "$KF_TMP/$1"
    cp "$ARM64"/*.deb "$KF_TMP/$1/"
    echo "$KF_TMP/$1"
}
# repack DEB EDIT: unpack with dpkg-deb -R, run EDIT (shell code, $R the root), rebuild in place.
repack() {
    local deb=$1 R=$KF_TMP/repack
    rm -rf "$R"
    dpkg-deb -R "$deb" "$R"
    eval "$2"
    dpkg-deb --root-owner-group --build "$R" "$deb" >/dev/null
    rm -rf "$R"
}

d=$(copy removed)
rm "$d"/linux-headers-*.deb
run removed "$d" --suite bookworm --host arm64 "${host_lists[@]}"
expect_fail "headers package removed" "linux-headers-$REL: complete: missing from the set"

d=$(copy newer-libc)
repack "$(ls "$d"/linux-image-"$REL"_*.deb)" '
    if grep -q "^Depends:" "$R/DEBIAN/control"; then sed -i "s/^Depends: /Depends: libc6 (>= 2.38), /" "$R/DEBIAN/control"
    else sed -i "/^Architecture:/a Depends: libc6 (>= 2.38)" "$R/DEBIAN/control"; fi'
run newer-libc "$d" --suite bookworm --host arm64 "${host_lists[@]}"
expect_fail "libc6 (>= 2.38) on bookworm" \
    "linux-image-$REL: installable: Depends: libc6 \(>= 2.38\) but bookworm has 2\.36-[^:]*: built against a newer libc6 than the target; build in a bookworm chroot"

d=$(copy x86-binary)
repack "$(ls "$d"/linux-headers-"$REL"_*.deb)" '
    mkdir -p "$R/usr/src/linux-headers-'"$REL"'/scripts/basic"
    cp /bin/true "$R/usr/src/linux-headers-'"$REL"'/scripts/basic/fixdep"
    (cd "$R" && find . -path ./DEBIAN -prune -o -type f -printf "%P\0" | sort -z | xargs -0 md5sum >DEBIAN/md5sums)'
run x86-binary "$d" --suite bookworm --host arm64 "${host_lists[@]}"
expect_fail "x86-64 fixdep in the arm64 headers" \
    "linux-headers-$REL: cpu: /usr/src/linux-headers-$REL/scripts/basic/fixdep: ELF for x86-64, not arm64"

d=$(copy amd64-mixed)
libc=$(ls "$d"/linux-libc-dev_*.deb)
repack "$libc" 'sed -i "s/^Architecture: arm64/Architecture: amd64/" "$R/DEBIAN/control"'
run amd64-mixed "$d" --suite bookworm --host arm64 "${host_lists[@]}"
expect_fail "Architecture: amd64 package in the arm64 set" "linux-libc-dev: cpu: Architecture: amd64 in a set for arm64"

d=$(copy truncated)
f=$(ls "$d"/linux-image-"$REL"_*.deb)
truncate -s $(($(stat -c %s "$f") / 2)) "$f"
run truncated "$d" --suite bookworm --host arm64 "${host_lists[@]}"
[ "$RC" = 2 ] || { cat "$OUT" "$ERR" >&2; fail "truncated .deb: exit $RC, want 2"; }
grep -Eq "^kflavour: error: .*linux-image-$REL.*\.deb: .*(truncated|corrupt)" "$ERR" || { cat "$ERR" >&2; fail "truncated .deb: message"; }
pass "truncated .deb: $(cat "$ERR")"

AMD64=$SETS/tickless-amd64
if [ -n "$(ls "$AMD64"/*.deb 2>/dev/null)" ]; then
    amd64_lists=()
    for f in /var/lib/apt/lists/*_dists_bookworm{,-updates,-security}_main_binary-amd64_Packages*; do
        [ -e "$f" ] && amd64_lists+=(--packages "$f")
    done
    run amd64 "$AMD64" --suite bookworm "${amd64_lists[@]}"
    expect_pass "amd64 set against bookworm"
else
    echo "note: no amd64 set in $AMD64; skipped"
fi
