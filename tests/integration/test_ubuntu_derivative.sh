#!/bin/bash
# Issue 13, section 2: a derivative tree (DEBIAN=debian.<variant>, whose
# annotations include the master file and use FLAVOUR_DEP), as Ubuntu ships
# its raspi, cloud and HWE kernels. list, config export and config import
# follow Ubuntu's own annotations tool (debian/scripts/misc/annotations of the
# focal packaging fixture, run here) byte for byte, and import never touches
# the included master file.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null && command -v fakeroot >/dev/null || {
    echo "skip: needs python3 and fakeroot"
    exit 77
}

# A derivative "deriv" of the focal packaging: debian.deriv is master's
# packaging with flavour deriv on arm64 and armhf, and annotations that
# include master's and override a few symbols.
derivative_tree() {
    rm -rf "$KF_TMP/tree"
    TREE=$(copy_fixture ubuntu-focal-5.4.0-200-packaging tree)
    mkdir "$TREE/scripts"
    local d=$TREE/debian.deriv
    cp -a "$TREE/debian.master" "$d"
    echo "DEBIAN=debian.deriv" >"$TREE/debian/debian.env"
    rm "$d"/control.d/vars.*
    cp "$TREE/debian.master/control.d/vars.generic" "$d/control.d/vars.deriv"
    for arch in arm64 armhf; do
        sed -i -e 's/^flavours.*/flavours\t= deriv/' -e 's/_generic\b/_deriv/g' "$d/rules.d/$arch.mk"
    done
    cat >"$d/config/annotations" <<'EOF'
# Menu: HEADER
# FORMAT: 4
# ARCH: arm64 armhf
# FLAVOUR: arm64-deriv armhf-deriv
# FLAVOUR_DEP: {'arm64-deriv': 'arm64-generic', 'armhf-deriv': 'armhf-generic'}

include "../../debian.master/config/annotations"

CONFIG_NO_HZ_IDLE                               policy<{'arm64': 'y', 'armhf': 'y'}>
CONFIG_NO_HZ_IDLE                               note<'deriv: idle ticks off'>


# ---- Annotations without notes ----

CONFIG_BCM2835_THERMAL                          policy<{'arm64': 'y', 'armhf': 'm'}>
CONFIG_HZ                                       policy<{'arm64': '100', 'armhf': '100'}>
CONFIG_HZ_100                                   policy<{'arm64': 'y', 'armhf': 'y'}>
CONFIG_HZ_250                                   policy<{'arm64': 'n', 'armhf': 'n'}>
EOF
    # Ubuntu's clean makes debian/control (printenv needs it).
    (cd "$TREE" && fakeroot debian/rules clean) >"$KF_TMP/clean.log" 2>&1 || {
        tail -20 "$KF_TMP/clean.log" >&2
        fail "debian/rules clean failed on the derivative"
    }
    rm -rf "$KF_TMP/pristine"
    cp -a "$TREE" "$KF_TMP/pristine"
    PRISTINE=$KF_TMP/pristine
}

ubuntu_annotations() { (cd "$TREE" && python3 debian/scripts/misc/annotations -f debian.deriv/config/annotations "$@"); }

derivative_tree
FILE=$TREE/debian.deriv/config/annotations

# list: the flavours Ubuntu's own rules build on each arch.
"$KFLAVOUR" -C "$TREE" list >"$KF_TMP/list"
grep -qx 'kind: ubuntu (debian.deriv)' "$KF_TMP/list" || fail "list: kind line: $(head -1 "$KF_TMP/list")"
for arch in arm64 armhf; do
    want=$(cd "$TREE" && debian/rules printenv arch=$arch 2>/dev/null | sed -n 's/^flavours *= *//p')
    got=$(sed -n "s/^$arch: //p" "$KF_TMP/list")
    [ "$got" = "$want" ] || fail "list $arch: '$got', Ubuntu's rules: '$want'"
done
pass "list: the derivative's flavours, as debian/rules printenv gives them"

# config export: byte for byte Ubuntu's --export, for each arch of the derivative.
for arch in arm64 armhf; do
    ubuntu_annotations --arch $arch --flavour deriv --export >"$KF_TMP/ubuntu-$arch.config"
    "$KFLAVOUR" -C "$TREE" config export --arch $arch --flavour deriv >"$KF_TMP/kf-$arch.config"
    cmp "$KF_TMP/ubuntu-$arch.config" "$KF_TMP/kf-$arch.config" || fail "config export $arch differs from Ubuntu's tool"
    grep -qx 'CONFIG_HZ=100' "$KF_TMP/kf-$arch.config" || fail "export $arch: the derivative's CONFIG_HZ override"
done
pass "config export: byte for byte Ubuntu's tool (arm64, armhf)"

# config import: an edited export, into the derivative, by each tool.
sed -e 's/^CONFIG_HZ=100$/CONFIG_HZ=300/' -e 's/^CONFIG_HZ_100=y/# CONFIG_HZ_100 is not set/' \
    -e 's/^# CONFIG_HZ_300 is not set/CONFIG_HZ_300=y/' -e 's/^CONFIG_NO_HZ_IDLE=y/# CONFIG_NO_HZ_IDLE is not set/' \
    -e 's/^# CONFIG_NO_HZ_FULL is not set/CONFIG_NO_HZ_FULL=y/' "$KF_TMP/ubuntu-arm64.config" >"$KF_TMP/edit.config"
cp "$FILE" "$KF_TMP/before"
ubuntu_annotations --arch arm64 --flavour deriv --import "$KF_TMP/edit.config" >/dev/null
cp "$FILE" "$KF_TMP/ubuntu-import"
cp "$KF_TMP/before" "$FILE"
"$KFLAVOUR" -C "$TREE" config import --arch arm64 --flavour deriv "$KF_TMP/edit.config" >/dev/null
cmp "$KF_TMP/ubuntu-import" "$FILE" || {
    diff "$KF_TMP/ubuntu-import" "$FILE" | head -20 >&2
    fail "config import differs from Ubuntu's tool"
}
[ "$(grep -c policy "$FILE")" -lt 20 ] || fail "config import wrote the included master entries"
diff -r "$PRISTINE/debian.master" "$TREE/debian.master" >/dev/null || fail "config import touched the included master files"
pass "config import: byte for byte Ubuntu's tool; only the derivative's own entries; master untouched"

# The round trip: importing the derivative's own export changes nothing
# (for both tools). On a fresh derivative: Ubuntu's tool writes a changed
# note as the bare `TODO: update note`, which it reads back quoted.
derivative_tree
"$KFLAVOUR" -C "$TREE" config export --arch armhf --flavour deriv >"$KF_TMP/armhf.config"
cp "$FILE" "$KF_TMP/before"
"$KFLAVOUR" -C "$TREE" config import --arch armhf --flavour deriv "$KF_TMP/armhf.config" >/dev/null
cp "$FILE" "$KF_TMP/kf-round"
cp "$KF_TMP/before" "$FILE"
ubuntu_annotations --arch armhf --flavour deriv --import "$KF_TMP/armhf.config" >/dev/null
cmp "$FILE" "$KF_TMP/kf-round" || fail "round trip: kflavour and Ubuntu's tool differ"
cmp "$FILE" "$KF_TMP/before" || fail "round trip: importing the export changed the file"
pass "config import of the derivative's own export: unchanged, as with Ubuntu's tool"

# Bad input: an include outside the tree, and one naming a missing file.
derivative_tree
sed -i 's|^include .*|include "../../../../etc/passwd"|' "$FILE"
cp "$FILE" "$PRISTINE/debian.deriv/config/annotations"
expect_error 2 'outside the tree' "include outside the tree" -- \
    "$KFLAVOUR" -C "$TREE" config import --arch arm64 --flavour deriv "$KF_TMP/edit.config"
expect_unchanged "include outside the tree"
expect_error 2 'outside the tree' "export with an include outside the tree" -- \
    "$KFLAVOUR" -C "$TREE" config export --arch arm64 --flavour deriv
derivative_tree
sed -i 's|^include .*|include "../../debian.master/config/annotations.missing"|' "$FILE"
cp "$FILE" "$PRISTINE/debian.deriv/config/annotations"
expect_error 2 'annotations.missing' "include of a missing file" -- \
    "$KFLAVOUR" -C "$TREE" config import --arch arm64 --flavour deriv "$KF_TMP/edit.config"
expect_unchanged "include of a missing file"
pass "bad includes (outside the tree, missing file): one clear error, tree unchanged"
