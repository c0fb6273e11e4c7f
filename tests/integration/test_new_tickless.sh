#!/bin/bash
# Acceptance of issue 2: the tickless flavour for arm64 on the focal fixture.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

fresh_trees
D=$TREE/debian.master
"$KFLAVOUR" -C "$TREE" new tickless --arch arm64 --def tickless --no-resolve >"$KF_TMP/out"
grep -q "added flavour tickless for arm64" "$KF_TMP/out" || fail "no summary line"

# vars.tickless: the base's fields, arch narrowed, supported/target from the definition.
[ "$(head -1 "$D/control.d/vars.tickless")" = 'arch="arm64"' ] || fail "vars.tickless arch: $(head -1 "$D/control.d/vars.tickless")"
grep -qx 'supported="Tickless"' "$D/control.d/vars.tickless" || fail "vars.tickless supported"
grep -q '^target="Geared toward latency-sensitive' "$D/control.d/vars.tickless" || fail "vars.tickless target"
grep -qx 'desc="=HUMAN= SMP"' "$D/control.d/vars.tickless" || fail "vars.tickless desc from the base"
pass "vars.tickless"

# rules.d/arm64.mk: listed, and its own image (the focal trap).
grep -qP '^flavours\t= generic tickless$' "$D/rules.d/arm64.mk" || fail "arm64.mk flavours"
grep -qP '^build_image_tickless\t= Image.gz$' "$D/rules.d/arm64.mk" || fail "arm64.mk build_image_tickless"
grep -qP '^kernel_file_tickless\t= arch/\$\(build_arch\)/boot/Image.gz$' "$D/rules.d/arm64.mk" || fail "arm64.mk kernel_file_tickless"
# Only those lines were added; other arches untouched.
[ "$(diff "$PRISTINE/debian.master/rules.d/arm64.mk" "$D/rules.d/arm64.mk" | grep -c '^[<>]')" = 4 ] || fail "arm64.mk: other lines changed (want 1 changed, 2 added)"
diff -q "$PRISTINE/debian.master/rules.d/amd64.mk" "$D/rules.d/amd64.mk" >/dev/null || fail "amd64.mk changed"
pass "rules.d/arm64.mk"

# Annotations header.
grep -q '^# FLAVOUR: .*arm64-generic arm64-tickless armhf-generic' "$D/config/annotations" || fail "annotations header"
grep -q "^CONFIG_NO_HZ_FULL  *note<'tickless flavour: full dynticks" "$D/config/annotations" || fail "NO_HZ_FULL note"
pass "annotations"

# The exported config (config export is the annotations engine's command).
"$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour tickless >"$KF_TMP/tickless.config"
grep -qx 'CONFIG_NO_HZ_FULL=y' "$KF_TMP/tickless.config" || fail "export: CONFIG_NO_HZ_FULL"
grep -qx 'CONFIG_HZ=100' "$KF_TMP/tickless.config" || fail "export: CONFIG_HZ"
grep -qx 'CONFIG_RCU_NOCB_CPU=y' "$KF_TMP/tickless.config" || fail "export: CONFIG_RCU_NOCB_CPU"
"$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour generic >"$KF_TMP/generic.config"
grep -qx 'CONFIG_HZ=250' "$KF_TMP/generic.config" || fail "export: generic lost CONFIG_HZ=250"
pass "config export"

# Changelog: a greater version, same dist, the maintainer and date given.
v=$(top_version "$D/changelog")
[ "$v" = "5.4.0-200.220+tickless1" ] || fail "top version $v"
dpkg --compare-versions "$v" gt 5.4.0-200.220 || fail "$v is not greater than 5.4.0-200.220"
[ "$(head -1 "$D/changelog")" = "linux (5.4.0-200.220+tickless1) focal; urgency=medium" ] || fail "changelog header"
grep -qx ' -- Kflavour Test <test@example.com>  Tue, 14 Nov 2023 22:13:20 +0000' "$D/changelog" || fail "changelog trailer"
if command -v dpkg-parsechangelog >/dev/null; then
    [ "$(dpkg-parsechangelog -l "$D/changelog" -S Version)" = "$v" ] || fail "dpkg-parsechangelog disagrees"
    [ "$(dpkg-parsechangelog -l "$D/changelog" -S Distribution)" = focal ] || fail "distribution"
fi
# The old changelog follows, byte for byte.
tail -c "$(stat -c %s "$PRISTINE/debian.master/changelog")" "$D/changelog" | cmp -s - "$PRISTINE/debian.master/changelog" || fail "old changelog not kept"
pass "changelog $v"

# Exactly four files differ from the pristine tree.
changed=$( (diff -rq "$PRISTINE" "$TREE" || true) | wc -l)
[ "$changed" = 4 ] || { diff -rq "$PRISTINE" "$TREE"; fail "$changed files differ, want 4"; }

# list shows it.
"$KFLAVOUR" -C "$TREE" --json list >"$KF_TMP/list.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["flavours"]["arm64"]==["generic","tickless"], d' "$KF_TMP/list.json" || fail "list --json"
pass "list"
