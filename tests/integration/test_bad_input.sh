#!/bin/bash
# Issue 19's bad-input suite: distinct bad inputs across every command and
# file kind. Each case expects its exit class (2 for bad input unless said),
# exactly one "kflavour: error:" line matching the case's pattern (file:line
# where a file is at fault), no crash, and the tree unchanged: the types,
# modes and bytes of every path (snapshot before and after).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

D=debian.master
A=$D/config/annotations
PRISTINE=$(copy_fixture ubuntu-focal-5.4.0-200 pristine)
TREE=$KF_TMP/tree
IN=$KF_TMP/in  # input files the cases hand to kflavour
mkdir -p "$IN"
CASES=0

snapshot() {
    (cd "$1" && find . -printf '%y %m %s %p -> %l\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r md5sum)
}

# fresh [CMD...]: TREE is a pristine copy, then CMD runs in it (the damage).
fresh() {
    chmod -R u+w "$TREE" 2>/dev/null || true
    rm -rf "$TREE"
    cp -a "$PRISTINE" "$TREE"
    if (($#)); then (cd "$TREE" && "$@"); fi
    return 0
}

# bad CODE REGEX DESCRIPTION -- ARGS...: kflavour -C TREE ARGS...
bad() {
    local code=$1 regex=$2 what=$3
    shift 4
    snapshot "$TREE" >"$KF_TMP/before"
    CASES=$((CASES + 1))
    expect_error "$code" "$regex" "#$CASES $what" -- timeout 60 "$KFLAVOUR" -C "$TREE" "$@"
    if [ "$(wc -c <"$KF_TMP/err")" -gt 4000 ]; then fail "#$CASES $what: $(wc -c <"$KF_TMP/err") bytes of error output"; fi
    snapshot "$TREE" >"$KF_TMP/after"
    cmp -s "$KF_TMP/before" "$KF_TMP/after" || {
        diff "$KF_TMP/before" "$KF_TMP/after" | head -20 >&2
        fail "#$CASES $what: the tree changed"
    }
}
new_bad() { bad 2 "$1" "new: $2" -- new "${@:3}"; }

long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }

# --- new: names and options ------------------------------------------------
fresh
new_bad "invalid flavour name 'Tick'" "uppercase name" Tick --arch arm64
new_bad "invalid flavour name 'a_b'" "underscore" a_b --arch arm64
new_bad "invalid flavour name '\.\./x'" "path in the name" ../x --arch arm64
new_bad "flavour name too long" "60-character name" "$(long 60)" --arch arm64
new_bad "invalid flavour name 'a\\\\x0ab'" "newline in the name" $'a\nb' --arch arm64
new_bad "invalid flavour name 'a b'" "blank in --base" tickless --base 'a b'
new_bad "unknown arch 'mips'" "unknown --arch" tickless --arch mips
new_bad "version-suffix too long" "60,000-character --version-suffix" tickless --arch arm64 --version-suffix "$(long 60000)"
new_bad "$D/changelog:1: invalid Debian version" "blank in --version-suffix" tickless --arch arm64 --version-suffix 'a b'
new_bad "$D/changelog:1: invalid Debian version" "newline in --version-suffix" tickless --arch arm64 --version-suffix $'x\ny'
new_bad "CONFIG_HZ: .*cannot be written to annotations" "'>' in a --set value" tickless --arch arm64 --set 'CONFIG_HZ="1>0"'
new_bad "control character" "newline in a --set value" tickless --arch arm64 --set $'CONFIG_HZ=1\nCONFIG_X=y'
new_bad "--set expects CONFIG_X=value" "--set without =" tickless --arch arm64 --set HZ
new_bad "--set expects CONFIG_X=value" "--set with an empty value" tickless --arch arm64 --set CONFIG_HZ=
new_bad "--set expects CONFIG_X=value" "--set with a bad symbol" tickless --arch arm64 --set CONFIG_X-Y=1
new_bad "value too long" "--set value of 5,000 bytes" tickless --arch arm64 --set "CONFIG_CMDLINE=\"$(long 5000)\""
new_bad "control character" "--set value with a control byte" tickless --arch arm64 --set $'CONFIG_CMDLINE="a\x01"'
new_bad "not a Kconfig value" "--set string with an inner quote" tickless --arch arm64 --set 'CONFIG_CMDLINE="a"b"'
new_bad "not a Kconfig value" "--set value 'yes'" tickless --arch arm64 --set CONFIG_HZ=yes
new_bad "not a Kconfig value" "--set unquoted string" tickless --arch arm64 --set 'CONFIG_CMDLINE=quiet splash'

# --- new: input files -------------------------------------------------------
mkfifo "$IN/fifo"
printf 'CONFIG_HZ=100\r\nCONFIG_NO_HZ_FULL=y\r\n' >"$IN/crlf.config"
head -c 2000 /dev/urandom >"$IN/garbage"
printf 'CONFIG_HZ=100\nNO_HZ_FULL=y\n' >"$IN/badline.config"
printf 'CONFIG_CMDLINE="a>b"\n' >"$IN/angle.config"
printf 'CONFIG_HZ=100\nCONFIG_X=\x00\n' >"$IN/nul.config"
printf 'CONFIG_HZ=%s\n' "$(long 40000 1)" >"$IN/longvalue.config"
new_bad "/tmp: cannot read: is a directory" "--fragment is a directory" tickless --arch arm64 --fragment /tmp
new_bad "/dev/zero: cannot read: not a regular file" "--fragment /dev/zero" tickless --arch arm64 --fragment /dev/zero
new_bad "fifo: cannot read: not a regular file" "--fragment is a FIFO" tickless --arch arm64 --fragment "$IN/fifo"
new_bad "missing\.config: cannot read: No such file" "--fragment missing" tickless --arch arm64 --fragment "$IN/missing.config"
new_bad "garbage:[0-9]+: " "--fragment of binary garbage" tickless --arch arm64 --fragment "$IN/garbage"
new_bad "crlf\.config:1: carriage return" "--fragment with CRLF" tickless --arch arm64 --fragment "$IN/crlf.config"
new_bad "badline\.config:2: not a Kconfig setting" "--fragment bad line" tickless --arch arm64 --fragment "$IN/badline.config"
new_bad "CONFIG_CMDLINE.*cannot be written to annotations" "--fragment value with '>'" tickless --arch arm64 --fragment "$IN/angle.config"
new_bad "nul\.config:2: binary data" "--fragment with a NUL byte" tickless --arch arm64 --fragment "$IN/nul.config"
new_bad "longvalue\.config:1: .*value too long" "--fragment value of 40,000 digits" tickless --arch arm64 --fragment "$IN/longvalue.config"
ln -s /dev/zero "$IN/zero.config"
new_bad "zero\.config: cannot read: not a regular file" "--fragment symlinked to /dev/zero" tickless --arch arm64 --fragment "$IN/zero.config"
ln -s loop2 "$IN/loop1"; ln -s loop1 "$IN/loop2"
new_bad "loop1: cannot read: Too many levels of symbolic links" "--fragment symlink loop" tickless --arch arm64 --fragment "$IN/loop1"

# --- new: flavour definitions ----------------------------------------------
mkdir -p "$IN/defs"
printf 'Flavour: typo\nSuported: X\n' >"$IN/defs/typo.flavour"
printf 'Flavour: angle\nFragment: angle.config\n' >"$IN/defs/angle.flavour"
printf 'CONFIG_HZ=100\n' >"$IN/defs/angle.config"
printf 'Flavour: badfrag\nFragment: bad.config\n' >"$IN/defs/badfrag.flavour"
printf 'CONFIG_HZ=100\n\nCONFIG_NO_HZ_FULL\n' >"$IN/defs/bad.config"
printf 'Flavour: crlf\r\nFragment: angle.config\r\n' >"$IN/defs/crlf.flavour"
mkdir "$IN/defs/dir.flavour"
new_bad "no flavour definition 'nope'" "--def unknown name" tickless --arch arm64 --def nope
new_bad "typo\.flavour: unknown field 'Suported'" "--def unknown field" tickless --arch arm64 --def "$IN/defs/typo.flavour"
new_bad "defs/bad\.config:3: " "--def fragment bad line" tickless --arch arm64 --def "$IN/defs/badfrag.flavour"
new_bad "crlf\.flavour:1: carriage return" "--def with CRLF" tickless --arch arm64 --def "$IN/defs/crlf.flavour"
new_bad "dir\.flavour" "--def is a directory" tickless --arch arm64 --def "$IN/defs/dir.flavour"

# --- new: damaged vendor files ---------------------------------------------
fresh sed -i 's/$/\r/' $A
new_bad "$A:1: carriage return" "annotations with CRLF" tickless --arch arm64
fresh sed -i 's/^CONFIG_AGP  .*/garbage line here/' $A
new_bad "$A:12: invalid line" "annotations garbage line" tickless --arch arm64
fresh sh -c "printf 'CONFIG_X\0 policy<{}>\n' >>$A"
new_bad "$A:[0-9]+: binary data" "annotations with a NUL byte" tickless --arch arm64
fresh sh -c "rm $A && mkdir $A"
new_bad "$A: cannot read: is a directory" "annotations is a directory" tickless --arch arm64
fresh sh -c "rm $A && ln -s /dev/zero $A"
new_bad "$A: cannot read: not a regular file" "annotations symlinked to /dev/zero" tickless --arch arm64
fresh sh -c "rm $A && mkfifo $A"
new_bad "$A: cannot read: not a regular file" "annotations is a FIFO" tickless --arch arm64
fresh sh -c "printf 'include \"/etc/passwd\"\n' >>$A"
new_bad "$A:[0-9]+: cannot read included file /etc/passwd: outside the tree" "include of /etc/passwd" tickless --arch arm64
fresh sh -c "printf 'include \"../../../../../../../../etc/passwd\"\n' >>$A"
new_bad "$A:[0-9]+: cannot read included file .*outside the tree" "include climbing out of the tree" tickless --arch arm64
fresh sh -c "printf 'include \"/dev/zero\"\n' >>$A"
new_bad "$A:[0-9]+: cannot read included file /dev/zero" "include of /dev/zero" tickless --arch arm64
fresh sh -c "printf 'include \"zero\"\n' >>$A && ln -s /dev/zero $D/config/zero"
new_bad "$A:[0-9]+: cannot read included file .*zero: (not a regular file|outside the tree)" "include of a symlink to /dev/zero" tickless --arch arm64
fresh sh -c "printf 'include \"nothere\"\n' >>$A"
new_bad "$A:[0-9]+: cannot read included file .*nothere" "include of a missing file" tickless --arch arm64
fresh sh -c "printf 'include \"annotations\"\n' >>$A"
new_bad "includes nested too deeply" "file that includes itself" tickless --arch arm64
fresh sed -i 's/^# FORMAT: 4/# FORMAT: 5/' $A
new_bad "$A:2: .*FORMAT" "annotations FORMAT 5" tickless --arch arm64
fresh sed -i '/^# ARCH:/d' $A
new_bad "$A:1: the header has no '# ARCH:'" "annotations without ARCH" tickless --arch arm64
fresh sed -i "s/^\(CONFIG_AGP  .*\)'amd64': 'y'/\1'amd64': y/" $A
new_bad "$A:12: .*polic" "annotations bad policy literal" tickless --arch arm64
{ printf 'CONFIG_LONG '; long 40000; echo; } >"$IN/long-annotation"
fresh sh -c "cat $IN/long-annotation >>$A"
new_bad "$A:[0-9]+: .*cut; 40012 bytes in all" "annotations 40,000-letter line" tickless --arch arm64
fresh sh -c "printf \"CONFIG_X policy<{'amd64': 'y'\n\" >>$A"
new_bad "$A:[0-9]+: " "annotations unclosed policy" tickless --arch arm64
# Found by the fuzzer: a note that swallowed the next line's policy, which
# kflavour read but could not read back once written.
fresh cp "$KF_TEST_DATA/fuzz-regressions/annotations-note-holding-a-policy" $A
new_bad "$A:25: a policy or note holds another 'policy<' or 'note<'" "fuzzer's note holding a policy" tickless --arch arm64
fresh sed -i 's/$/\r/' $D/control.d/vars.generic
new_bad "$D/control.d/vars\.generic:1: carriage return" "vars with CRLF" tickless --arch arm64
fresh sed -i 's/^supported="Generic"/supported="Generic/' $D/control.d/vars.generic
new_bad "$D/control.d/vars\.generic:2: unterminated double quote" "vars unterminated quote" tickless --arch arm64
fresh sh -c "rm $D/control.d/vars.generic && mkdir $D/control.d/vars.generic"
new_bad "$D/control.d/vars\.generic: " "vars is a directory" tickless --arch arm64
fresh sed -i '/^arch=/d' $D/control.d/vars.generic
new_bad "$D/control.d/vars\.generic: base flavour 'generic' has no arch" "vars without arch" tickless --arch arm64
fresh sed -i 's/$/\r/' $D/rules.d/arm64.mk
new_bad "$D/rules\.d/arm64\.mk:1: carriage return" "rules.d with CRLF" tickless --arch arm64
fresh sed -i '/^flavours/d' $D/rules.d/arm64.mk
new_bad "$D/rules\.d/arm64\.mk: no 'flavours =' assignment" "rules.d without flavours" tickless --arch arm64
fresh sh -c "rm $D/rules.d/arm64.mk && ln -s /dev/zero $D/rules.d/arm64.mk"
new_bad "$D/rules\.d/arm64\.mk: cannot read: not a regular file" "rules.d symlinked to /dev/zero" tickless --arch arm64
fresh sed -i 's/$/\r/' $D/changelog
new_bad "$D/changelog:1: carriage return" "changelog with CRLF" tickless --arch arm64
{ long 40000; echo; } >"$IN/long-line"
fresh sh -c "cat $IN/long-line $D/changelog >$D/c && mv $D/c $D/changelog"
new_bad "$D/changelog:1: top entry header doesn't parse.*cut" "changelog 40,000-letter first line" tickless --arch arm64
{ printf 'linux (5.4.0-200.220) '; long 40000; echo '; urgency=medium'; echo; } >"$IN/long-dist"
fresh sh -c "cat $IN/long-dist $D/changelog >$D/c && mv $D/c $D/changelog"
new_bad "$D/changelog:[0-9]+: top entry has no" "changelog 40,000-letter distribution" tickless --arch arm64
fresh sh -c ": >$D/changelog"
new_bad "$D/changelog: empty changelog" "changelog empty" tickless --arch arm64
fresh sed -i '1s/.*/linux 5.4.0-200.220 focal; urgency=medium/' $D/changelog
new_bad "$D/changelog:1: top entry header" "changelog bad header" tickless --arch arm64
fresh sh -c "printf '\0' >>$D/changelog"
new_bad "$D/changelog:[0-9]+: binary data" "changelog with a NUL byte" tickless --arch arm64
fresh rm debian/debian.env
new_bad "debian/debian\.env: missing" "no debian.env" tickless --arch arm64
fresh sh -c 'echo DEBIAN=../../../etc >debian/debian.env'
new_bad "debian/debian\.env: " "debian.env pointing out of the tree" tickless --arch arm64
fresh sh -c 'printf "DEBIAN=debian.master\r\n" >debian/debian.env'
new_bad "debian/debian\.env:1: carriage return" "debian.env with CRLF" tickless --arch arm64

# --- config -----------------------------------------------------------------
fresh
"$KFLAVOUR" -C "$TREE" config export --arch amd64 --flavour generic >"$IN/good.config"
: >"$IN/empty.config"
sed 's/$/\r/' "$IN/good.config" >"$IN/crlf-import.config"
{ cat "$IN/good.config"; echo 'CONFIG_CMDLINE="console=ttyS0 >x"'; } >"$IN/angle-import.config"
{ head -5 "$IN/good.config"; echo 'this is not a config line'; } >"$IN/junk.config"
{ cat "$IN/good.config"; printf 'CONFIG_CMDLINE="%s"\n' "$(long 5000)"; } >"$IN/long-import.config"
{ cat "$IN/good.config"; echo 'CONFIG_HZ=1000 # comment'; } >"$IN/trailing.config"
imp() { bad 2 "$1" "config import: $2" -- config import "$3" --arch "${4:-amd64}" --flavour "${5:-generic}"; }
imp "/tmp: cannot read: is a directory" "a directory" /tmp
imp "empty\.config: no CONFIG_ settings" "an empty file" "$IN/empty.config"
imp "garbage:[0-9]+: " "binary garbage" "$IN/garbage"
imp "crlf-import\.config:1: carriage return" "CRLF" "$IN/crlf-import.config"
imp "CONFIG_CMDLINE.*cannot be written to annotations" "a value with '>'" "$IN/angle-import.config"
imp "missing\.config: cannot read" "a missing file" "$IN/missing.config"
imp "/dev/zero: cannot read: not a regular file" "/dev/zero" /dev/zero
imp "junk\.config:6: not a \.config line" "a junk line" "$IN/junk.config"
imp "unknown arch 'mips'" "unknown --arch" "$IN/good.config" mips
imp "unknown flavour 'amd64-nope'" "unknown --flavour" "$IN/good.config" amd64 nope
imp "long-import\.config:[0-9]+: .*value too long" "a 5,000-byte value" "$IN/long-import.config"
imp "trailing\.config:[0-9]+: .*not a Kconfig value" "a value with a trailing comment" "$IN/trailing.config"
imp "nul\.config:2: binary data" "a NUL byte" "$IN/nul.config"
imp "fifo: cannot read: not a regular file" "a FIFO" "$IN/fifo"
bad 2 "unknown arch 'mips'" "config export: unknown arch" -- config export --arch mips --flavour generic
bad 2 "unknown flavour 'amd64-nope'" "config export: unknown flavour" -- config export --arch amd64 --flavour nope
bad 2 "unknown arch 'mips'" "config diff: unknown arch" -- config diff --arch mips generic lowlatency
bad 2 "garbage:[0-9]+: " "config check: binary garbage" -- config check "$IN/garbage" --arch amd64 --flavour generic
bad 2 "/tmp: cannot read: is a directory" "config check: a directory" -- config check /tmp --arch amd64 --flavour generic
fresh sed -i 's/$/\r/' $A
bad 2 "$A:1: carriage return" "config export: CRLF annotations" -- config export --arch amd64 --flavour generic
fresh chmod -R a-w "$TREE"
if [ "$(id -u)" = 0 ] && touch "$TREE/.probe" 2>/dev/null; then
    rm -f "$TREE/.probe"
    echo "skip: read-only tree cases (root writes through mode bits; see test_new_readonly.sh for chattr)"
else
    bad 2 "not writable" "config import: read-only tree" -- config import "$IN/good.config" --arch arm64 --flavour generic
    bad 2 "not writable" "new: read-only tree" -- new tickless --arch arm64
fi

# --- deps -------------------------------------------------------------------
C=$D/control.stub.in
fresh sed -i '0,/\[amd64[^]]*\]/s//[amd64 arm64/' $C
bad 2 "$C:[0-9]+: Build-Depends: '\[' without its '\]'" "deps fix: unclosed [arch list" -- deps fix
bad 2 "$C:[0-9]+: Build-Depends: '\[' without its '\]'" "deps check: unclosed [arch list" -- deps check --host arm64 --suite bookworm
fresh sed -i 's/debhelper (>= 9)/debhelper (>= 9/' $C
bad 2 "$C:[0-9]+: Build-Depends: '\(' without its '\)'" "deps fix: unclosed (version" -- deps fix
fresh sed -i '0,/<!stage1>/s//<!stage1/' $C
bad 2 "$C:[0-9]+: Build-Depends: '<' without its '>'" "deps fix: unclosed <restriction" -- deps fix
fresh sed -i 's/$/\r/' $C
bad 2 "$C:1: carriage return" "deps fix: CRLF control file" -- deps fix
# Found by the fuzzer: libapt-pkg threw std::length_error on this one.
fresh cp "$KF_TEST_DATA/fuzz-regressions/build-depends-unclosed-restriction" $C
bad 2 "$C:27: cannot parse Build-Depends near 'liblzma-dev <!sk\." "deps fix: fuzzer's unclosed restriction" -- deps fix
fresh
bad 2 "--host: unknown arch 'mips'" "deps check: --host mips" -- deps check --host mips --suite bookworm
bad 2 "invalid suite '\.\./\.\./x'" "deps check: --suite ../../x" -- deps check --host arm64 --suite ../../x
bad 2 "--host: unknown arch 'arm64 x'" "deps check: two words as --host" -- deps check --host 'arm64 x' --suite bookworm

# --- chroot, build, verify, boot --------------------------------------------
export XDG_CACHE_HOME=$KF_TMP/cache
bad 2 "invalid suite '\.\./\.\./x'" "chroot create: suite ../../x" -- chroot create ../../x
bad 2 "invalid suite 'Bookworm'" "chroot create: uppercase suite" -- chroot create Bookworm
bad 2 "--host: unknown arch 'mips'" "chroot create: --host mips" -- chroot create bookworm --host mips
bad 2 "bad chroot name 'a/b'" "chroot remove: name with a slash" -- chroot remove a/b
bad 2 "no chroot 'nothere'" "chroot remove: unknown name" -- chroot remove nothere
bad 2 "unknown arch 'vax'" "build: --host vax" -- build --host vax --dry-run
bad 2 "invalid suite '\.\./x'" "build: --suite ../x" -- build --suite ../x --dry-run
bad 2 "--compress" "build: --compress lzma" -- build --compress lzma --dry-run
bad 2 "--host .* --arch .*exclude" "build: --host with --arch" -- build --host arm64 --arch arm64 --dry-run
mkdir -p "$IN/set" "$IN/emptyset" "$IN/loopset"
head -c 3000 /dev/urandom >"$IN/set/linux-image-6.1.0_1_arm64.deb"
ln -s . "$IN/loopset/self"
ln -s loop-b "$IN/loopset/loop-a"; ln -s loop-a "$IN/loopset/loop-b"
printf 'Format: 1.8\nFiles:\n abc 12 kernel optional nothere.deb\n' >"$IN/bad.changes"
bad 2 "nothere: " "verify: missing set" -- verify "$IN/nothere" --host arm64
bad 2 "emptyset: no \.deb files" "verify: no .debs" -- verify "$IN/emptyset" --host arm64
bad 2 "--host: unknown arch 'mips'" "verify: --host mips" -- verify "$IN/set" --host mips
bad 2 "invalid suite '\.\./x'" "verify: --suite ../x" -- verify "$IN/set" --suite ../x
bad 2 "loopset: no \.deb files" "verify: symlink loops in the set dir" -- verify "$IN/loopset" --host arm64
bad 2 "linux-image-6\.1\.0_1_arm64\.deb: " "verify: a garbage .deb" -- verify "$IN/set" --host arm64 --packages /dev/null
bad 2 "nothere\.deb: cannot open" "verify: a .changes naming a missing file" -- verify "$IN/bad.changes" --host arm64
mkdir -p "$IN/longpkg/DEBIAN" "$IN/longset"
printf 'Package: linux-image-%s\nVersion: 1\nArchitecture: arm64\nMaintainer: x <x@example.com>\nDescription: x\n' \
    "$(long 100000)" >"$IN/longpkg/DEBIAN/control"
dpkg-deb --root-owner-group -Znone -b "$IN/longpkg" "$IN/longset/x.deb" >/dev/null
bad 2 "x\.deb: Package: 'linux-image-a+' \(cut; 100012 bytes in all\) is not a Debian package name" \
    "verify: a .deb whose Package is 100,000 characters" -- verify "$IN/longset" --host arm64 --packages /dev/null
bad 2 "bad --expect 'HZ'" "boot: --expect without =" -- boot "$IN/set" --expect HZ
bad 2 "invalid suite '\.\./x'" "boot: --suite ../x" -- boot "$IN/set" --suite ../x
bad 2 "nothere" "boot: missing set" -- boot "$IN/nothere"

# --- Debian's own kernel packaging (the defines of real trees) ---------------
fresh
new_bad "--featureset is for Debian's own kernel trees" "--featureset on an Ubuntu tree" tickless --arch arm64 --featureset rt
UBUNTU_TREE=$TREE
TREE=$KF_TMP/debian-tree
deb_fresh() {
    rm -rf "$TREE"
    cp -a "$KF_TEST_DATA/debian-bookworm-6.1.187-1" "$TREE"
    if (($#)); then (cd "$TREE" && "$@"); fi
    return 0
}
deb_fresh
new_bad "--rt-patch is for upstream kernel trees; this is a Debian tree" "Debian: --rt-patch" tickless --arch amd64 --rt-patch x
new_bad "--arch is required on a Debian tree" "Debian: no --arch" tickless
new_bad "unknown featureset 'nosuch' for amd64" "Debian: unknown featureset" tickless --arch amd64 --featureset nosuch
new_bad "flavour 'cloud-amd64' collides" "Debian: Debian's flavour name" cloud-amd64 --arch arm64
new_bad "flavour 'rt' collides" "Debian: the featureset's name" rt --arch amd64 --featureset rt
new_bad "unknown base flavour 'generic' for amd64" "Debian: Ubuntu's base name" tickless --arch amd64 --base generic
deb_fresh sed -i 's/^ cloud-amd64$/cloud-amd64 oops/' debian/config/amd64/none/defines
new_bad "amd64/none/defines:4: not a .key: value. line" "Debian: malformed INI defines" tickless --arch amd64
deb_fresh sed -i '1s/^linux /hello /' debian/changelog
new_bad "not Debian's kernel packaging: its changelog is for source package 'hello'" "Debian: another package's debian/" tickless --arch amd64
deb_fresh
bad 2 "config resolve on a Debian tree needs --source" "Debian: config resolve without --source" -- \
    config resolve --arch amd64 --flavour amd64
debuild_bad() { bad 2 "$1" "build: $2" -- --dry-run build --no-chroot --out "$KF_TMP/debout" "${@:3}"; }
debuild_bad "makes one flavour .*--flavour was given 2 times" "Debian: two flavours" --flavour amd64 --flavour cloud-amd64
debuild_bad "featureset none of amd64 has no flavour 'tickless' \(it has amd64, cloud-amd64\)" "Debian: unknown flavour" \
    --flavour tickless
debuild_bad "arch amd64 has no featureset 'nosuch' \(it has none, rt\)" "Debian: unknown featureset" --flavour amd64 --featureset nosuch
deb_fresh sed -i '1s/^linux /hello /' debian/changelog
debuild_bad "not Debian's kernel packaging: its changelog is for source package 'hello'" "Debian: --flavour on another package" \
    --flavour amd64
deb_fresh
debuild_bad "a whole Debian source package makes its configs inside its own build" "Debian: quick without --flavour" \
    --modules-from "$KF_TEST_DATA/modules/amd64-dell-r440.modules"
TREE=$UBUNTU_TREE
debuild_bad "--featureset picks the featureset of one --flavour of Debian's kernel packaging" "--featureset on an Ubuntu tree" \
    --featureset rt

# --- fork, graft, and the command line --------------------------------------
bad 2 "'-oops' is not a URL" "fork: URL that looks like an option" -- fork --tag v1 -- -oops "$IN/forked"
bad 2 "--tag needs a valid tag name" "fork: bad tag" -- fork https://example.invalid/x.git --tag 'a..b' "$IN/forked2"
bad 2 "unknown command 'frobnicate'" "unknown command" -- frobnicate
bad 2 "unrecognised option '--frob'" "unknown option" -- new tickless --frob
bad 2 "'config' needs a subcommand" "config without subcommand" -- config
bad 2 "unknown subcommand 'nope'" "unknown subcommand" -- deps nope

echo "$CASES cases"
((CASES >= 100)) || fail "only $CASES cases"
pass "$CASES bad inputs: one error line each, the right exit class, the tree unchanged"
