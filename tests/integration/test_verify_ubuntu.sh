#!/bin/bash
# kflavour verify on a synthetic set in Ubuntu's naming (V = 5.4.0-200,
# flavour tickless): complete with image-unsigned, modules, flavour headers
# and the arch-all linux-headers-V; linux-tools-V-F without linux-tools-V
# (a build that forgot binary-perarch) fails both "complete" and
# "installable", naming linux-tools-V.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/verify_lib.sh"

write_index "$KF_TMP/Packages"
ABI=5.4.0-200
REL=$ABI-tickless
VER=5.4.0-200.220+tickless1
rm -rf "$KF_TMP/root"
stage "linux-image-unsigned-$REL" arm64 "Depends: kmod, linux-modules-$REL (= $VER)"
mkdir -p "$(root_of "linux-image-unsigned-$REL")/boot"
make_image "$(root_of "linux-image-unsigned-$REL")/boot/vmlinuz-$REL" arm64
stage "linux-modules-$REL" arm64
mkdir -p "$(root_of "linux-modules-$REL")/lib/modules/$REL/kernel"
make_module "$(root_of "linux-modules-$REL")/lib/modules/$REL/kernel/foo.ko" "$REL"
stage "linux-headers-$REL" arm64 "Depends: linux-headers-$ABI, libc6 (>= 2.34)"
mkdir -p "$(root_of "linux-headers-$REL")/usr/src/linux-headers-$REL/scripts/basic"
cp "$ARM64_ELF" "$(root_of "linux-headers-$REL")/usr/src/linux-headers-$REL/scripts/basic/fixdep"
stage "linux-headers-$ABI" all
mkdir -p "$(root_of "linux-headers-$ABI")/usr/src/linux-headers-$ABI"
echo "# Makefile" >"$(root_of "linux-headers-$ABI")/usr/src/linux-headers-$ABI/Makefile"
pack_all "$KF_TMP/ubuntu"

verify_set "$KF_TMP/ubuntu"
[ "$RC" = 0 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail "Ubuntu set: exit $RC"; }
grep -q "verify: ok: 4 packages pass every check" "$KF_TMP/out" || { cat "$KF_TMP/out" >&2; fail "Ubuntu set: no ok line"; }
pass "Ubuntu-named set passes"

stage "linux-tools-$REL" arm64 "Depends: linux-tools-$ABI"
mkdir -p "$(root_of "linux-tools-$REL")/usr/lib/linux-tools/$REL"
cp "$ARM64_ELF" "$(root_of "linux-tools-$REL")/usr/lib/linux-tools/$REL/perf"
pack_all "$KF_TMP/no-perarch"
expect_verify_fails "tools without binary-perarch" "linux-tools-$ABI: complete: missing from the set: linux-tools-$REL depends on it \(binary-perarch\)" "$KF_TMP/no-perarch"
grep -q "linux-tools-$REL: installable: Depends: linux-tools-$ABI but bookworm has no linux-tools-$ABI for arm64" "$KF_TMP/out" ||
    { cat "$KF_TMP/out" >&2; fail "tools without binary-perarch: installable"; }

rm "$KF_TMP/no-perarch/linux-modules-"*.deb
expect_verify_fails "modules removed" "linux-modules-$REL: complete: missing from the set: the image of $REL depends on it" "$KF_TMP/no-perarch"
grep -q "linux-image-unsigned-$REL: installable: Depends: linux-modules-$REL (= $VER) but bookworm has no" "$KF_TMP/out" ||
    { cat "$KF_TMP/out" >&2; fail "modules removed: installable"; }
