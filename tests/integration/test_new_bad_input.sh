#!/bin/bash
# Issue 2's "Bad input" list: each gets exit 2, one "kflavour: error:" line
# naming the file (and line), and leaves the tree byte-for-byte unchanged.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# Fresh trees with the same damage done to both: mutate TREE, copy it to PRISTINE.
damaged() {
    fresh_trees
    (cd "$TREE" && "$@")
    rm -rf "$PRISTINE"
    cp -a "$TREE" "$PRISTINE"
}
undamaged() { damaged true; }
D=debian.master

# Flavour names that can't be part of a Debian package name.
undamaged
for name in Tick a_b ../x tick/less .x; do
    expect_bad_new "invalid flavour name '${name//./\\.}'" "name '$name'" "$name" --arch arm64 --def tickless
done
expect_bad_new "invalid flavour name '-x'" "name '-x'" --arch arm64 -- -x
expect_bad_new "invalid flavour name ''" "empty name" "" --arch arm64
expect_bad_new "missing NAME" "no name" --arch arm64
expect_bad_new "invalid flavour name 'Generic'" "bad --base name" tickless --base Generic

# Unknown base flavour and unknown arch name the file that says so.
expect_bad_new "$D/control.d/vars\.server: unknown base flavour 'server'" "unknown base" tickless --base server
expect_bad_new "$D/control.d/vars\.generic: unknown arch 'mips'" "unknown arch" tickless --arch mips
expect_bad_new "$D/control.d/vars\.generic: unknown arch 'i386'" "arch the base doesn't build" tickless --arch arm64 --arch i386
expect_bad_new "$D/control.d/vars\.lowlatency: unknown arch 'arm64'" "arch of another base" tickless --base lowlatency --arch arm64

# A base that has a vars file but isn't in rules.d/A.mk, or not in the annotations header.
damaged sed -i 's/^arch=.*/arch="amd64 arm64"/' $D/control.d/vars.lowlatency
expect_bad_new "$D/rules.d/arm64\.mk: unknown base flavour 'lowlatency' for arm64" "base missing in rules.d" \
    tickless --base lowlatency --arch arm64
damaged sed -i -e 's/^arch=.*/arch="amd64 arm64"/' $D/control.d/vars.lowlatency -e 's/^flavours\t= generic$/& lowlatency/' $D/rules.d/arm64.mk
expect_bad_new "$D/config/annotations: unknown base flavour: no arm64-lowlatency" "base missing in the header" \
    tickless --base lowlatency --arch arm64

# Tree layout.
damaged rm debian/debian.env
expect_bad_new "debian/debian\.env: missing debian/debian\.env" "missing debian/debian.env" tickless --arch arm64
damaged sh -c 'echo DEBIAN=debian.nope >debian/debian.env'
expect_bad_new "debian/debian\.env: DEBIAN=debian\.nope but there is no directory" "missing \$DEBIAN dir" tickless --arch arm64
damaged mv $D debian.moved
expect_bad_new "debian/debian\.env: DEBIAN=debian\.master but there is no directory" "moved \$DEBIAN dir" tickless --arch arm64

# Annotations (the errors come from the annotations engine).
A=$D/config/annotations
damaged sed -i 's/^CONFIG_AGP  .*/garbage line here/' $A
expect_bad_new "$A:12: " "annotations: malformed line" tickless --arch arm64
damaged sed -i "s/^\(CONFIG_AGP  .*\)'amd64': 'y'/\1'amd64': y/" $A
expect_bad_new "$A:12: .*polic" "annotations: bad policy literal" tickless --arch arm64
damaged sed -i 's/^# FORMAT: 4/# FORMAT: 5/' $A
expect_bad_new "$A:2: .*FORMAT" "annotations: unknown FORMAT" tickless --arch arm64
damaged sed -i '/^# FLAVOUR:/d' $A
expect_bad_new "$A(:[0-9]+)?: .*FLAVOUR" "annotations: header without FLAVOUR" tickless --arch arm64

# vars file with an unterminated quote (the base's, which new reads).
damaged sed -i 's/^supported="Generic"/supported="Generic/' $D/control.d/vars.generic
expect_bad_new "$D/control.d/vars\.generic:2: unterminated double quote" "vars: unterminated quote" tickless --arch arm64
# ... and an existing vars.NAME.
damaged sh -c "printf 'arch=\"arm64\nsupported=\"X\"\n' >$D/control.d/vars.tickless"
expect_bad_new "$D/control.d/vars\.tickless:1: unterminated double quote" "vars.NAME: unterminated quote" tickless --arch arm64

# Changelog whose top entry doesn't parse.
damaged sed -i '1s/.*/linux 5.4.0-200.220 focal; urgency=medium/' $D/changelog
expect_bad_new "$D/changelog:1: top entry header" "changelog: bad header" tickless --arch arm64 --def tickless
damaged sed -i '1s/.*/linux (5.4.0-200.220:x) focal; urgency=medium/' $D/changelog
expect_bad_new "$D/changelog:1: invalid Debian version" "changelog: bad version" tickless --arch arm64
damaged sed -i '0,/^ -- /{/^ -- /d}' $D/changelog
expect_bad_new "$D/changelog:[0-9]+: top entry has no ' -- " "changelog: top entry without trailer" tickless --arch arm64
damaged sh -c "printf 'linux (5.4.0-200.220) focal; urgency=medium\n\n  * x\n' >$D/changelog"
expect_bad_new "$D/changelog:1: top entry has no ' -- " "changelog: truncated" tickless --arch arm64
damaged sh -c ": >$D/changelog"
expect_bad_new "$D/changelog: empty changelog" "changelog: empty" tickless --arch arm64

# A version suffix that makes an invalid version.
undamaged
expect_bad_new "$D/changelog:1: invalid Debian version" "bad --version-suffix" tickless --arch arm64 --version-suffix 'a b'

# Fragments: a line that isn't CONFIG_X=v / # CONFIG_X is not set.
undamaged
printf 'CONFIG_HZ=100\nNO_HZ_FULL=y\n' >"$KF_TMP/bad.config"
expect_bad_new "bad\.config:2: " "--fragment: bad line" tickless --arch arm64 --fragment "$KF_TMP/bad.config"
printf 'CONFIG_HZ=100\n# CONFIG_NO_HZ_FULL is off\n' >"$KF_TMP/bad2.config"
expect_bad_new "bad2\.config:2: " "--fragment: bad not-set line" tickless --arch arm64 --fragment "$KF_TMP/bad2.config"
expect_bad_new "missing\.config: cannot read" "--fragment: missing file" tickless --arch arm64 --fragment "$KF_TMP/missing.config"
expect_bad_new "--set expects CONFIG_X=value" "--set: bad setting" tickless --arch arm64 --set NO_HZ_FULL
# ... also inside a definition.
mkdir -p "$KF_TMP/defs"
printf 'Flavour: broken\nFragment: broken.config\n' >"$KF_TMP/defs/broken.flavour"
printf 'CONFIG_HZ=100\n\nCONFIG_NO_HZ_FULL\n' >"$KF_TMP/defs/broken.config"
expect_bad_new "defs/broken\.config:3: " "definition: bad fragment line" tickless --arch arm64 --def "$KF_TMP/defs/broken.flavour"
KFLAVOUR_FLAVOURS_DIR=$KF_TMP/defs expect_bad_new "defs/broken\.config:3: " "definition by name via KFLAVOUR_FLAVOURS_DIR" \
    tickless --arch arm64 --def broken
printf 'Flavour: typo\nSuported: X\n' >"$KF_TMP/defs/typo.flavour"
expect_bad_new "defs/typo\.flavour: unknown field 'Suported'" "definition: unknown field" tickless --arch arm64 --def "$KF_TMP/defs/typo.flavour"
expect_bad_new "no flavour definition 'nope'" "definition: unknown name" tickless --arch arm64 --def nope

# No maintainer anywhere.
undamaged
(
    unset DEBFULLNAME DEBEMAIL
    export HOME=$KF_TMP/home XDG_CONFIG_HOME=$KF_TMP/home/.config GIT_CONFIG_NOSYSTEM=1
    mkdir -p "$HOME"
    if git config --get user.name >/dev/null || git config --get user.email >/dev/null; then
        echo "skip: no-maintainer case (a system git config sets user.name/email)"
    else
        expect_bad_new "no maintainer name" "no maintainer" tickless --arch arm64
        grep -q 'hint: set DEBFULLNAME and DEBEMAIL' "$KF_TMP/err" || fail "no hint for the maintainer"
    fi
)

# The changelog date: a $SOURCE_DATE_EPOCH that is no count of seconds.
undamaged
(
    export SOURCE_DATE_EPOCH=+170
    expect_bad_new "SOURCE_DATE_EPOCH is not a count of seconds since 1970: '\+170'" "SOURCE_DATE_EPOCH '+170'" \
        tickless --arch arm64 --def tickless
)
