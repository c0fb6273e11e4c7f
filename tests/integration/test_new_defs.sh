#!/bin/bash
# Definitions, fragments and --set together; default arches; the lowlatency definition.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

fresh_trees
D=$TREE/debian.master
printf '# later settings win\nCONFIG_HZ_1000=y\n# CONFIG_HZ_100 is not set\nCONFIG_HZ=1000\n' >"$KF_TMP/hz.config"
"$KFLAVOUR" -C "$TREE" new nohz --arch arm64 --def tickless --fragment "$KF_TMP/hz.config" --set CONFIG_HZ=300 \
    --set HZ_300=y --version-suffix nohz7 --no-resolve >/dev/null
"$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour nohz >"$KF_TMP/nohz.config"
for line in CONFIG_NO_HZ_FULL=y CONFIG_HZ_1000=y '# CONFIG_HZ_100 is not set' CONFIG_HZ=300 CONFIG_HZ_300=y; do
    grep -qx "$line" "$KF_TMP/nohz.config" || fail "nohz: want $line"
done
[ "$(top_version "$D/changelog")" = "5.4.0-200.220+nohz7" ] || fail "--version-suffix"
# Symbols noted by Ubuntu and changed without a note from the definition get Ubuntu's TODO marker.
grep -q '^CONFIG_HZ_300  *note<TODO: update note>' "$D/config/annotations" && fail "HZ_300 had no note, must not get TODO"
grep -q "^CONFIG_NO_HZ_IDLE  *note<'tickless flavour:" "$D/config/annotations" || fail "NO_HZ_IDLE note from the definition"
pass "definition + --fragment + --set, in that order"

# No --arch: every arch of the base (generic: amd64 armhf arm64 ppc64el s390x).
fresh_trees
D=$TREE/debian.master
"$KFLAVOUR" -C "$TREE" new ll --def lowlatency >/dev/null
[ "$(head -1 "$D/control.d/vars.ll")" = 'arch="amd64 armhf arm64 ppc64el s390x"' ] || fail "default arches: $(head -1 "$D/control.d/vars.ll")"
for a in amd64 armhf arm64 ppc64el s390x; do
    grep -q "^flavours.*[[:space:]]ll\$" "$D/rules.d/$a.mk" || fail "rules.d/$a.mk lacks ll"
    grep -q "^# FLAVOUR: .*$a-ll" "$D/config/annotations" || fail "header lacks $a-ll"
done
grep -q '[[:space:]]ll$' "$D/rules.d/i386.mk" && fail "i386 is not an arch of generic"
# The lowlatency definition gives what Ubuntu's amd64-lowlatency has, on arm64 too.
"$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour ll >"$KF_TMP/ll.config"
for line in CONFIG_PREEMPT=y '# CONFIG_PREEMPT_VOLUNTARY is not set' CONFIG_HZ_1000=y CONFIG_HZ=1000 CONFIG_LATENCYTOP=y; do
    grep -qx "$line" "$KF_TMP/ll.config" || fail "ll arm64: want $line"
done
"$KFLAVOUR" -C "$TREE" config export --arch amd64 --flavour ll >"$KF_TMP/ll-amd64.config"
"$KFLAVOUR" -C "$TREE" config export --arch amd64 --flavour lowlatency >"$KF_TMP/lowlatency-amd64.config"
for s in CONFIG_PREEMPT CONFIG_PREEMPT_VOLUNTARY CONFIG_HZ CONFIG_HZ_1000 CONFIG_HZ_250 CONFIG_IRQ_FORCED_THREADING_DEFAULT CONFIG_LATENCYTOP; do
    [ "$(grep -E "^(# )?$s[= ]" "$KF_TMP/ll-amd64.config")" = "$(grep -E "^(# )?$s[= ]" "$KF_TMP/lowlatency-amd64.config")" ] ||
        fail "amd64 ll and Ubuntu's lowlatency differ on $s"
done
pass "lowlatency definition, default arches"
