#!/bin/bash
# kflavour list and new on Debian's own kernel packaging (issue 16), both
# generations, from Debian's mirror (prepare-debian-trees.sh): bookworm's 6.1
# (INI defines) and trixie's 6.12 (defines.toml).
#   - list shows the kind, featuresets and flavours per arch;
#   - bad input (a malformed defines file, an unknown featureset, a name that
#     collides with Debian's, a debian/ that is not the kernel's) exits 2 and
#     leaves the tree byte-identical, as does --dry-run;
#   - SIGINT while the tree's gencontrol runs: exit 130, tree unchanged, no
#     scratch dir left;
#   - new tickless --arch amd64 --arch arm64: the tree's own
#     debian/rules debian/control-real regenerates debian/control, which then
#     lists linux-image-<abi>-tickless and linux-headers-<abi>-tickless for
#     both arches, the headers' compiler relation restricted to its arch; list
#     shows the flavour; a re-run has nothing to do;
#   - config export gives the flavour's merged config (Debian's order, from
#     rules.gen), config check agrees with it, config resolve runs the 6.1
#     source's Kconfig (linux-source-6.1, prepare-linux-6.1.sh) over it: the
#     tickless settings survive; a requested CONFIG_PREEMPT_RT=y is named as
#     dropped (exit 2);
#   - bookworm's rt featureset: the flavour's config is merged after
#     featureset-rt/config in rules.gen.
# Needs python3-jinja2, python3-dacite and kernel-wedge (.ci/packages).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TREES=$(bash "$KF_SOURCE_DIR/tests/e2e/prepare-debian-trees.sh")

tree_snapshot() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }

fresh() {  # GENERATION [NAME]: a copy of that generation's tree at $KF_TMP/NAME, path on stdout
    local dir=$KF_TMP/${2:-$1}
    rm -rf "$dir"
    mkdir -p "$dir"
    cp -a "$TREES/$1/debian" "$dir/"
    echo "$dir"
}

expect_bad() {  # WHAT TREE REGEX ARGS…: exit 2, the message, the tree unchanged
    local what=$1 tree=$2 regex=$3 before rc=0
    shift 3
    before=$(tree_snapshot "$tree")
    "$KFLAVOUR" -C "$tree" new "$@" >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
    [ "$rc" = 2 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail "$what: exit $rc, want 2"; }
    grep -Eq "$regex" "$KF_TMP/err" || { cat "$KF_TMP/err" >&2; fail "$what: error does not match /$regex/"; }
    [ "$(tree_snapshot "$tree")" = "$before" ] || fail "$what: the tree changed"
    pass "$what: exit 2, tree byte-identical: $(head -1 "$KF_TMP/err")"
}

# control_archs PACKAGE-REGEX CONTROL: the Architecture of the stanzas whose name matches.
control_archs() {
    awk -v RS= -v re="^Package: $1\$" '{ n = split($0, l, "\n"); hit = 0; arch = "";
        for (i = 1; i <= n; i++) { if (l[i] ~ re) hit = 1; if (l[i] ~ /^Architecture: /) arch = substr(l[i], 15) }
        if (hit) print arch }' "$2"
}

for gen in bookworm trixie; do
    step "$gen ($(cat "$TREES/$gen/VERSION")): list"
    T=$(fresh "$gen")
    "$KFLAVOUR" -C "$T" list >"$KF_TMP/list"
    grep -q '^kind: debian (linux ' "$KF_TMP/list" || { cat "$KF_TMP/list" >&2; fail "$gen: list names no Debian tree"; }
    grep -Eq '^amd64 none: amd64 cloud-amd64$' "$KF_TMP/list" || { cat "$KF_TMP/list" >&2; fail "$gen: amd64's flavours"; }
    grep -Eq '^arm64 rt: arm64$' "$KF_TMP/list" || fail "$gen: arm64's rt featureset"
    pass "$gen: list: $(head -1 "$KF_TMP/list"), $(grep -c ' none: ' "$KF_TMP/list") arches"

    step "$gen: bad input leaves the tree byte-identical"
    expect_bad "$gen unknown featureset" "$T" "unknown featureset 'nosuch'" tickless --arch amd64 --featureset nosuch --def tickless
    expect_bad "$gen colliding name" "$T" "collides" cloud-arm64 --arch amd64 --def tickless
    expect_bad "$gen unknown arch" "$T" "unknown arch" tickless --arch nosuch --def tickless
    B=$(fresh "$gen" "$gen-broken")
    if [ "$gen" = bookworm ]; then
        sed -i 's/^\[base\]$/[base/' "$B/debian/config/amd64/none/defines"
        expect_bad "$gen malformed INI" "$B" "defines:1: a section header without" tickless --arch amd64 --def tickless
    else
        echo '[[flavour]' >>"$B/debian/config/amd64/defines.toml"
        expect_bad "$gen malformed TOML" "$B" "defines.toml:[0-9]+: not valid TOML" tickless --arch amd64 --def tickless
    fi
    N=$(fresh "$gen" "$gen-notkernel")
    sed -i '1s/^linux /hello /' "$N/debian/changelog"
    expect_bad "$gen debian/ of another package" "$N" "not Debian's kernel packaging" tickless --arch amd64 --def tickless

    step "$gen: Ctrl-C while gencontrol runs"
    before=$(tree_snapshot "$T")
    rc=0
    timeout --preserve-status -s INT 3 "$KFLAVOUR" -C "$T" new tickless --arch amd64 --def tickless >"$KF_TMP/out" 2>"$KF_TMP/err" || rc=$?
    [ "$rc" = 130 ] || { cat "$KF_TMP/out" "$KF_TMP/err" >&2; fail "$gen: SIGINT after 3 s: exit $rc, want 130"; }
    [ "$(tree_snapshot "$T")" = "$before" ] || fail "$gen: SIGINT changed the tree"
    expect_no_scratch "$gen: SIGINT"
    pass "$gen: SIGINT during new: exit 130, tree byte-identical, no scratch dir: $(head -1 "$KF_TMP/err")"

    step "$gen: --dry-run"
    before=$(tree_snapshot "$T")
    "$KFLAVOUR" -C "$T" --dry-run new tickless --arch amd64 --arch arm64 --def tickless >"$KF_TMP/diff"
    grep -q '^+++ b/debian/control$' "$KF_TMP/diff" || fail "$gen: the dry run shows no debian/control change"
    grep -q '^+++ b/debian/config/amd64/config.tickless$' "$KF_TMP/diff" || fail "$gen: the dry run shows no fragment"
    [ "$(tree_snapshot "$T")" = "$before" ] || fail "$gen: --dry-run changed the tree"
    pass "$gen: --dry-run shows $(grep -c '^+++ ' "$KF_TMP/diff") files, tree byte-identical"

    step "$gen: new tickless --arch amd64 --arch arm64"
    start=$SECONDS
    "$KFLAVOUR" -C "$T" new tickless --arch amd64 --arch arm64 --def tickless
    for kind in image headers; do
        archs=$(control_archs "linux-$kind-[0-9].*-tickless" "$T/debian/control")
        [ "$archs" = "amd64 arm64" ] || { grep '^Package: .*tickless' "$T/debian/control" >&2; fail "$gen: linux-$kind-<abi>-tickless is for '$archs', want 'amd64 arm64'"; }
    done
    pass "$gen: debian/control lists $(grep -E '^Package: linux-image-[0-9].*-tickless$' "$T/debian/control" | cut -d' ' -f2) for amd64 arm64 ($((SECONDS - start)) s)"
    # One stanza for both arches: an arch's own relations must say so (amd64's
    # compiler package does not exist on arm64).
    awk -v RS= '$0 ~ "^Package: linux-headers-[0-9][^\n]*-tickless\n"' "$T/debian/control" >"$KF_TMP/headers"
    if grep -Eq 'linux-compiler-gcc-[0-9]+-x86($|,| \|)' "$KF_TMP/headers"; then
        cat "$KF_TMP/headers" >&2
        fail "$gen: the shared headers stanza depends on amd64's compiler package for every arch"
    fi
    head -1 "$T/debian/changelog" | grep -q 'a~tickless1) UNRELEASED;' || fail "$gen: changelog top: $(head -1 "$T/debian/changelog")"
    grep -q 'binary-arch_amd64_none_tickless' "$T/debian/rules.gen" || fail "$gen: rules.gen has no tickless target"
    "$KFLAVOUR" -C "$T" list >"$KF_TMP/list"
    grep -Eq '^amd64 none: .* tickless$' "$KF_TMP/list" && grep -Eq '^arm64 none: .* tickless$' "$KF_TMP/list" ||
        { cat "$KF_TMP/list" >&2; fail "$gen: list does not show the flavour"; }
    before=$(tree_snapshot "$T")
    "$KFLAVOUR" -C "$T" new tickless --arch amd64 --arch arm64 --def tickless | grep -q 'nothing to do' || fail "$gen: re-run did something"
    [ "$(tree_snapshot "$T")" = "$before" ] || fail "$gen: the no-op re-run changed the tree"
    pass "$gen: list shows tickless; the re-run has nothing to do"
done

step "bookworm: config export, check, resolve"
T=$KF_TMP/bookworm
"$KFLAVOUR" -C "$T" config export --arch amd64 --flavour tickless >"$KF_TMP/merged"
grep -qx 'CONFIG_NO_HZ_FULL=y' "$KF_TMP/merged" && grep -qx '# CONFIG_HZ_250 is not set' "$KF_TMP/merged" ||
    fail "config export: the tickless settings are not in the merged config"
grep -qx 'CONFIG_HZ_250=y' <("$KFLAVOUR" -C "$T" config export --arch amd64 --flavour amd64) ||
    fail "config export of Debian's amd64 flavour lacks its HZ_250"
"$KFLAVOUR" -C "$T" config check --arch amd64 --flavour tickless "$KF_TMP/merged" >/dev/null
pass "config export: $(wc -l <"$KF_TMP/merged") settings, tickless's after Debian's; config check agrees"
"$KFLAVOUR" -C "$T" config resolve --arch amd64 --flavour tickless --source "$LINUX" >"$KF_TMP/resolve" 2>&1 ||
    { cat "$KF_TMP/resolve" >&2; fail "config resolve of tickless failed"; }
pass "config resolve: $(tail -1 "$KF_TMP/resolve" | cut -c1-120)"
rc=0
"$KFLAVOUR" -C "$T" config resolve --arch amd64 --flavour tickless --source "$LINUX" --set CONFIG_PREEMPT_RT=y \
    >"$KF_TMP/resolve" 2>&1 || rc=$?
[ "$rc" = 2 ] || { cat "$KF_TMP/resolve" >&2; fail "config resolve with PREEMPT_RT: exit $rc, want 2"; }
grep -q 'CONFIG_PREEMPT_RT: requested y' "$KF_TMP/resolve" || { cat "$KF_TMP/resolve" >&2; fail "PREEMPT_RT not named"; }
pass "config resolve names the dropped CONFIG_PREEMPT_RT (exit 2)"

step "bookworm: the rt featureset"
T=$KF_TMP/bookworm
"$KFLAVOUR" -C "$T" new tickless --arch amd64 --featureset rt --def tickless
[ "$(control_archs 'linux-image-[0-9].*-rt-tickless' "$T/debian/control")" = amd64 ] || fail "no linux-image-<abi>-rt-tickless for amd64"
grep -Eq "KCONFIG='[^']*featureset-rt/config[^']*amd64/rt/config\.tickless'" "$T/debian/rules.gen" ||
    fail "rules.gen does not merge the rt tickless fragment after featureset-rt/config"
head -1 "$T/debian/changelog" | grep -q 'a~tickless1+rt.tickless1) UNRELEASED;' || fail "changelog top: $(head -1 "$T/debian/changelog")"
pass "bookworm: rt-tickless for amd64, its fragment after featureset-rt/config; one kflavour changelog entry"

step "trixie: the rt featureset (defines.toml)"
T=$KF_TMP/trixie
"$KFLAVOUR" -C "$T" new tickless --arch arm64 --featureset rt --def tickless
[ "$(control_archs 'linux-image-[0-9].*-rt-tickless' "$T/debian/control")" = arm64 ] || fail "trixie: no linux-image-<abi>-rt-tickless for arm64"
grep -Eq "KCONFIG='[^']*arm64/config\.tickless debian/config/featureset-rt/config'" "$T/debian/rules.gen" ||
    fail "trixie: rules.gen does not merge the arch's tickless fragment, then featureset-rt/config"
[ "$(grep -c "^name = \"tickless\"" "$T/debian/config/arm64/defines.toml")" = 2 ] ||
    fail "trixie: want one [[flavour]] and one [[featureset.flavour]] named tickless"
"$KFLAVOUR" -C "$T" list | grep -qx 'arm64 rt: arm64 tickless' || fail "trixie: list does not show rt tickless"
head -1 "$T/debian/changelog" | grep -q 'a~tickless1+rt.tickless1) UNRELEASED;' || fail "trixie: changelog top: $(head -1 "$T/debian/changelog")"
pass "trixie: rt-tickless for arm64, the arch's fragment before featureset-rt/config"
expect_no_scratch "debian trees"
