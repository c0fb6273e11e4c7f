#!/bin/bash
# Issue 13, section 2: Ubuntu's own machinery accepts what `new` writes.
# On copies of the whole focal packaging (Ubuntu's debian/rules, rules.d,
# scripts; no kernel source), after `new`: `fakeroot debian/rules clean`
# succeeds and regenerates debian/control with every package of each new
# flavour for exactly its arches, and `debian/rules printenv arch=A` lists it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v fakeroot >/dev/null && command -v dpkg-architecture >/dev/null || {
    echo "skip: needs fakeroot and dpkg-dev"
    exit 77
}
FIXTURE=ubuntu-focal-5.4.0-200-packaging
# The nine binary packages Ubuntu's control.d/flavour-control.stub makes of a flavour.
PACKAGES="linux-image-unsigned-5.4.0-200-F linux-modules-5.4.0-200-F linux-modules-extra-5.4.0-200-F
linux-headers-5.4.0-200-F linux-image-unsigned-5.4.0-200-F-dbgsym linux-tools-5.4.0-200-F
linux-cloud-tools-5.4.0-200-F linux-udebs-F linux-buildinfo-5.4.0-200-F"

# A fresh copy with the empty scripts/ Ubuntu's clean copies a file into.
ubuntu_tree() {
    rm -rf "$KF_TMP/tree"
    TREE=$(copy_fixture "$FIXTURE" tree)
    mkdir "$TREE/scripts"
}

rules_clean() {
    (cd "$TREE" && fakeroot debian/rules clean) >"$KF_TMP/clean.log" 2>&1 || {
        tail -20 "$KF_TMP/clean.log" >&2
        fail "$1: debian/rules clean failed"
    }
}

# expect_flavour F "ARCHES": every package of F in debian/control, each for exactly ARCHES.
expect_flavour() {
    local f=$1 arches=$2 pkg got
    for pkg in ${PACKAGES//F/$f}; do
        got=$(awk -v p="$pkg" '$1 == "Package:" { on = ($2 == p) } on && $1 == "Architecture:" { $1 = ""; print substr($0, 2); exit }' \
            "$TREE/debian/control")
        [ -n "$got" ] || fail "$f: debian/control has no $pkg"
        [ "$got" = "$arches" ] || fail "$f: $pkg is for '$got', want '$arches'"
    done
}

# expect_printenv A "FLAVOURS": debian/rules printenv arch=A lists exactly FLAVOURS.
expect_printenv() {
    local got
    got=$(cd "$TREE" && debian/rules printenv arch="$1" 2>/dev/null | sed -n 's/^flavours *= *//p')
    [ "$got" = "$2" ] || fail "printenv arch=$1: flavours = '$got', want '$2'"
}

# The fixture itself, as Ubuntu ships it.
ubuntu_tree
rules_clean "unchanged tree"
expect_flavour generic "amd64 armhf arm64 ppc64el s390x"
expect_printenv arm64 "generic"
pass "the fixture: clean regenerates debian/control, printenv lists generic"

# tickless for arm64.
ubuntu_tree
"$KFLAVOUR" -C "$TREE" new tickless --arch arm64 --def tickless >/dev/null
rules_clean "tickless arm64"
expect_flavour tickless "arm64"
expect_printenv arm64 "generic tickless"
expect_printenv amd64 "generic lowlatency"
pass "tickless arm64: nine packages for arm64 only; printenv lists it"

# A lowlatency-based flavour for amd64 (the tree already has Ubuntu's own
# lowlatency there, so a new name).
ubuntu_tree
"$KFLAVOUR" -C "$TREE" new lowlat --arch amd64 --def lowlatency >/dev/null
rules_clean "lowlat amd64"
expect_flavour lowlat "amd64"
expect_flavour lowlatency "amd64"
expect_printenv amd64 "generic lowlatency lowlat"
pass "lowlatency-based amd64 flavour: nine packages for amd64 only"

# Two new flavours on one arch, and one of them on a second arch.
ubuntu_tree
"$KFLAVOUR" -C "$TREE" new tickless --arch arm64 --arch amd64 --def tickless >/dev/null
"$KFLAVOUR" -C "$TREE" new rtlat --arch arm64 --def lowlatency >/dev/null
rules_clean "two flavours"
expect_flavour tickless "amd64 arm64"
expect_flavour rtlat "arm64"
expect_printenv arm64 "generic tickless rtlat"
expect_printenv amd64 "generic lowlatency tickless"
pass "two new flavours on arm64 (one also on amd64)"
