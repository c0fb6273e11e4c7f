#!/bin/bash
# kflavour verify on synthetic .deb sets built here with dpkg-deb: the good
# set passes (table and --json); each broken copy fails with exit 1 naming
# the cause: a package removed, a dependency version bumped beyond the
# index, an x86-64 binary in the arm64 headers, an amd64 package mixed in,
# an amd64 kernel image, md5sums that lie, a module with the wrong vermagic.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/verify_lib.sh"

write_index "$KF_TMP/Packages"
stage_good_set
pack_all "$KF_TMP/good"

verify_set "$KF_TMP/good"
[ "$RC" = 0 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail "good set: exit $RC"; }
grep -q "verify: ok: 3 packages pass every check" "$KF_TMP/out" || { cat "$KF_TMP/out" >&2; fail "good set: no ok line"; }
grep -Eq "^linux-headers-$REL +$VER +arm64 +ok +ok +ok +ok$" "$KF_TMP/out" || { cat "$KF_TMP/out" >&2; fail "good set: table row"; }
pass "good set passes"

"$KFLAVOUR" --json verify "$KF_TMP/good" --suite bookworm --packages "$KF_TMP/Packages" >"$KF_TMP/json"
python3 - "$KF_TMP/json" <<'PY' || fail "--json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is True and r["host"] == "arm64" and r["findings"] == [], r
assert sorted(p["name"] for p in r["packages"]) == ["linux-headers-6.1.192-tickless", "linux-image-6.1.192-tickless", "linux-libc-dev"]
assert all(set(p["checks"].values()) == {"ok"} for p in r["packages"])
PY
pass "--json on the good set"

# A .changes file naming the debs works like the directory.
{
    echo "Format: 1.8"
    echo "Source: linux-upstream"
    echo "Files:"
    for d in "$KF_TMP"/good/*.deb; do echo " $(md5sum <"$d" | cut -d' ' -f1) $(stat -c %s "$d") kernel optional ${d##*/}"; done
} >"$KF_TMP/good/linux-upstream_${VER}_arm64.changes"
verify_set "$KF_TMP/good/linux-upstream_${VER}_arm64.changes"
[ "$RC" = 0 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail ".changes: exit $RC"; }
pass ".changes input"
# A .deb that is not the one the .changes recorded.
cp -r "$KF_TMP/good" "$KF_TMP/changed"
stage "linux-libc-dev" arm64 "Multi-Arch: same" "Provides: linux-kernel-headers" "Section: devel"
pack linux-libc-dev "$KF_TMP/changed"
expect_verify_fails ".deb replaced after the .changes" \
    "linux-libc-dev: consistent: linux-libc-dev_${VER}_arm64.deb: the .changes says (md5 [0-9a-f]+, the file has [0-9a-f]+|[0-9]+ bytes, the file has [0-9]+)" \
    "$KF_TMP/changed/linux-upstream_${VER}_arm64.changes"

# One package removed.
cp -r "$KF_TMP/good" "$KF_TMP/removed"
rm "$KF_TMP/removed/linux-headers-${REL}_"*.deb
expect_verify_fails "headers removed" "linux-headers-$REL: complete: missing from the set" "$KF_TMP/removed"
grep -Eq "^linux-headers-$REL +\(missing\) +FAIL" "$KF_TMP/out" || fail "headers removed: no (missing) row"

# A dependency version bumped beyond the index: what the build machine leaked.
stage "linux-headers-$REL" arm64 "Depends: libc6 (>= 2.38), libssl3 | libssl1.1, c-compiler (>= 12)"
pack_all "$KF_TMP/newer-libc"
expect_verify_fails "libc6 (>= 2.38)" \
    "linux-headers-$REL: installable: Depends: libc6 \(>= 2.38\) but bookworm has 2.36-9\+deb12u13: built against a newer libc6 than the target; build in a bookworm chroot" \
    "$KF_TMP/newer-libc"

# --json names the failed check per package, and every finding.
RC=0
"$KFLAVOUR" --json verify "$KF_TMP/newer-libc" --suite bookworm --packages "$KF_TMP/Packages" >"$KF_TMP/json" 2>/dev/null || RC=$?
[ "$RC" = 1 ] || fail "--json on a failing set: exit $RC"
python3 - "$KF_TMP/json" <<'PY' || fail "--json on a failing set"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is False, r
hdr = [p for p in r["packages"] if p["name"] == "linux-headers-6.1.192-tickless"][0]
assert hdr["checks"] == {"complete": "ok", "installable": "fail", "cpu": "ok", "consistent": "ok"}, hdr
assert [(f["package"], f["check"]) for f in r["findings"]] == [("linux-headers-6.1.192-tickless", "installable")], r["findings"]
assert "libc6 (>= 2.38) but bookworm has 2.36-9+deb12u13" in r["findings"][0]["message"]
PY
pass "--json on a failing set"

# A versioned dependency only a versioned Provides could meet, too new; and a package nobody has.
stage "linux-headers-$REL" arm64 "Depends: libc6 (>= 2.34), libssl3 | libssl1.1, c-compiler (>= 13), no-such-tool"
pack_all "$KF_TMP/provides"
expect_verify_fails "versioned provides too old" "installable: Depends: c-compiler \(>= 13\) but bookworm has c-compiler only as provided by gcc-12 \(= 12.2.0\)" "$KF_TMP/provides"
grep -q "no-such-tool but bookworm has no no-such-tool for arm64" "$KF_TMP/out" || fail "unknown package not named"

# An x86-64 binary in the arm64 headers package.
stage_good_set
cp "$X86_ELF" "$(root_of "linux-headers-$REL")/usr/src/linux-headers-$REL/scripts/basic/fixdep"
pack_all "$KF_TMP/x86-fixdep"
expect_verify_fails "x86-64 fixdep" "linux-headers-$REL: cpu: /usr/src/linux-headers-$REL/scripts/basic/fixdep: ELF for x86-64, not arm64" "$KF_TMP/x86-fixdep"

# An Architecture: amd64 package in the arm64 set.
stage_good_set
sed -i 's/^Architecture: arm64/Architecture: amd64/' "$(root_of linux-libc-dev)/DEBIAN/control"
pack_all "$KF_TMP/amd64-mixed"
expect_verify_fails "amd64 package mixed in" "linux-libc-dev: cpu: Architecture: amd64 in a set for arm64" "$KF_TMP/amd64-mixed"

# An x86 kernel image in the arm64 image package.
stage_good_set
make_image "$(root_of "linux-image-$REL")/boot/vmlinuz-$REL" amd64
pack_all "$KF_TMP/x86-image"
expect_verify_fails "amd64 kernel image" "linux-image-$REL: cpu: /boot/vmlinuz-$REL: a kernel for amd64, not arm64" "$KF_TMP/x86-image"

# DEBIAN/md5sums that does not match the contents.
stage_good_set
pack_all "$KF_TMP/md5"
r=$(root_of linux-libc-dev)
echo "#define KF 2" >"$r/usr/include/linux/kf.h.new"
(cd "$r" && md5sum usr/include/linux/kf.h >DEBIAN/md5sums && mv usr/include/linux/kf.h.new usr/include/linux/kf.h)
dpkg-deb --root-owner-group --build "$r" "$KF_TMP/md5/linux-libc-dev_${VER}_arm64.deb" >/dev/null
expect_verify_fails "md5sums mismatch" "linux-libc-dev: consistent: /usr/include/linux/kf.h: md5sum differs from DEBIAN/md5sums" "$KF_TMP/md5"

# A module whose vermagic names another release.
stage_good_set
make_module "$(root_of "linux-image-$REL")/lib/modules/$REL/kernel/fs/foo.ko" "6.1.192-other"
pack_all "$KF_TMP/vermagic"
expect_verify_fails "vermagic mismatch" "linux-image-$REL: consistent: /lib/modules/$REL/kernel/fs/foo.ko: vermagic says 6.1.192-other, but it is installed for $REL" "$KF_TMP/vermagic"

# --host amd64 on the arm64 set: every arch-specific thing is wrong.
verify_set "$KF_TMP/good" --host amd64
[ "$RC" = 1 ] && grep -q "linux-image-$REL: cpu: Architecture: arm64 in a set for amd64" "$KF_TMP/out" || fail "--host amd64"
grep -q "foo.ko: ELF for AArch64, not amd64" "$KF_TMP/out" || fail "--host amd64: module not named"
pass "--host amd64 on an arm64 set"

# zstd packages: bookworm's dpkg (1.21.23) unpacks them, bullseye's (1.20.13) can't.
stage_good_set
KF_PACK_Z=zstd pack_all "$KF_TMP/zstd"
printf '\nPackage: dpkg\nVersion: 1.21.23\nArchitecture: arm64\n' >>"$KF_TMP/Packages"
verify_set "$KF_TMP/zstd"
[ "$RC" = 0 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail "zstd set against dpkg 1.21.23: exit $RC"; }
pass "zstd set, target dpkg 1.21.23: ok"
write_index "$KF_TMP/Packages"
printf '\nPackage: dpkg\nVersion: 1.20.13\nArchitecture: arm64\n' >>"$KF_TMP/Packages"
expect_verify_fails "zstd set, target dpkg 1.20.13" \
    "linux-image-$REL: installable: data.tar.zst: bookworm's dpkg 1.20.13 cannot unpack zstd \(Debian's dpkg can since 1.21.18\); build with --compress xz" \
    "$KF_TMP/zstd"
verify_set "$KF_TMP/good"
[ "$RC" = 0 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail "xz set against dpkg 1.20.13: exit $RC"; }
pass "xz set, target dpkg 1.20.13: ok"

# Device trees: listed from the image package; --dtb names one that must be there.
stage_good_set
img=$(root_of "linux-image-$REL")
mkdir -p "$img/usr/lib/linux-image-$REL/broadcom"
printf '\xd0\x0d\xfe\xed' >"$img/usr/lib/linux-image-$REL/broadcom/bcm2711-rpi-4-b.dtb"
pack_all "$KF_TMP/dtb"
write_index "$KF_TMP/Packages"
verify_set "$KF_TMP/dtb" --dtb bcm2711-rpi-4-b
[ "$RC" = 0 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail "--dtb bcm2711-rpi-4-b: exit $RC"; }
grep -A1 -x "device trees in the image package (1):" "$KF_TMP/out" | grep -qx "  broadcom/bcm2711-rpi-4-b.dtb" ||
    { cat "$KF_TMP/out"; fail "the device trees are not listed"; }
verify_set "$KF_TMP/dtb" --dtb bcm2711-rpi-4-b --dtb bcm2712-rpi-5-b
[ "$RC" = 1 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail "--dtb bcm2712-rpi-5-b: exit $RC, want 1"; }
grep -q "linux-image-$REL: complete: no device tree bcm2712-rpi-5-b.dtb (--dtb) in the image package; it carries 1" \
    "$KF_TMP/out" || { cat "$KF_TMP/out"; fail "the missing device tree is not named"; }
"$KFLAVOUR" --json verify "$KF_TMP/dtb" --suite bookworm --packages "$KF_TMP/Packages" >"$KF_TMP/json"
json_true "$KF_TMP/json" 'j["device_trees"] == ["broadcom/bcm2711-rpi-4-b.dtb"]' || fail "--json lacks device_trees"
pass "device trees listed (text and --json); --dtb of a missing one fails naming it"
