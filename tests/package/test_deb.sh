#!/bin/bash
# Package test: `dpkg-buildpackage -b` on a copy of the source tree must give an
# installable kflavour .deb with the binary, the data dirs, the man page and the
# bash completion.
#
# The copy holds the working tree's tracked and untracked-but-not-ignored files
# (so uncommitted work is tested too, but build dirs and junk are not).
# Exit 77 (skipped) when the packaging tools are missing, except under CI=true.
set -euo pipefail

src=${KF_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() {
    if [[ ${CI:-} == true ]]; then fail "$* (not skipped under CI=true)"; fi
    echo "SKIP: $*"
    exit 77
}

for tool in dpkg-buildpackage dh dpkg-deb dpkg-checkbuilddeps; do
    command -v "$tool" >/dev/null || skip "$tool not installed (apt-get install dpkg-dev debhelper)"
done
if ! (cd "$src" && dpkg-checkbuilddeps -Pnocheck) >/dev/null 2>&1; then
    skip "build dependencies missing: $(cd "$src" && dpkg-checkbuilddeps -Pnocheck 2>&1 | tail -n1)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kflavour-pkg.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"

# Copy the source.
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # Drop build dirs even when they are not ignored, and debhelper's output.
    git -C "$src" ls-files -z --cached --others --exclude-standard |
        grep -zvE '^(build[^/]*|obj-[^/]*)/|^debian/(\.debhelper/|kflavour/|tmp/|files$|debhelper-build-stamp$|.*\.substvars$|.*\.debhelper\.log$)' |
        tar -C "$src" --null -T - --ignore-failed-read -cf - 2>/dev/null |
        tar -C "$work/src" -xf -
else
    tar -C "$src" --exclude='./build*' --exclude='./obj-*' -cf - . | tar -C "$work/src" -xf -
fi
[[ -f $work/src/debian/control ]] || fail "copy of $src has no debian/control"

# Build (binary only). No tests (the unit tests have their own ctest entries),
# no optimisation and no debug info (-g doubles the compile of these
# template-heavy sources; this checks the packaging, not the code).
# KF_PKG_BUILD_OPTIONS="nocheck" builds the package exactly as released.
log=$work/build.log
start=$(date +%s)
if [[ -z ${KF_PKG_BUILD_OPTIONS+set} ]]; then export DEB_CXXFLAGS_STRIP=-g; fi
if ! (cd "$work/src" &&
      DEB_BUILD_OPTIONS="${KF_PKG_BUILD_OPTIONS:-nocheck noopt} parallel=${KF_PKG_JOBS:-2}" \
      DEB_BUILD_PROFILES=nocheck dpkg-buildpackage -b -us -uc) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    fail "dpkg-buildpackage -b failed (last lines above)"
fi
echo "dpkg-buildpackage -b: $(( $(date +%s) - start )) s"

shopt -s nullglob
debs=("$work"/kflavour_*.deb)
((${#debs[@]} == 1)) || fail "expected one kflavour_*.deb, found: ${debs[*]:-none}"
deb=${debs[0]}
echo "built ${deb##*/}"

# Contents.
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|; s|/$||' >"$work/contents"
need() { grep -qxF "$1" "$work/contents" || fail "${deb##*/} lacks $1"; }
need /usr/bin/kflavour
need /usr/share/kflavour/flavours
need /usr/share/kflavour/templates
need /usr/share/man/man1/kflavour.1.gz
need /usr/share/bash-completion/completions/kflavour
need /usr/share/doc/kflavour/copyright
need /usr/share/doc/kflavour/debian-trees.md  # the man page names the guides by these paths
need /usr/share/doc/kflavour/rt.md
# Every shipped data file of the source is in the package.
while IFS= read -r f; do
    need "/usr/share/kflavour/$f"
done < <(cd "$work/src" && find flavours templates -type f | sort)

# Control fields.
[[ $(dpkg-deb -f "$deb" Package) == kflavour ]] || fail "Package is not kflavour"
arch=$(dpkg-deb -f "$deb" Architecture)
[[ $arch == "$(dpkg --print-architecture)" ]] || fail "Architecture is $arch"
depends=$(dpkg-deb -f "$deb" Depends)
[[ $depends == *libc6* ]] || fail "Depends lacks shlibs (libc6): $depends"
version=$(dpkg-deb -f "$deb" Version)

# The packaged binary runs and agrees with the package version.
dpkg-deb -x "$deb" "$work/root"
out=$("$work/root/usr/bin/kflavour" --version) || fail "kflavour --version failed"
[[ $out == "kflavour ${version%%-*}" ]] || fail "--version says '$out', package is $version"
"$work/root/usr/bin/kflavour" --help >/dev/null || fail "kflavour --help failed"
echo "packaged binary: $out"

# The man page renders and the completion script parses.
if command -v man >/dev/null; then
    man -l "$work/root/usr/share/man/man1/kflavour.1.gz" 2>&1 >/dev/null | grep . && fail "man page warnings"
    man -l "$work/root/usr/share/man/man1/kflavour.1.gz" 2>/dev/null | grep -q 'kflavour' ||
        fail "man page does not render"
fi
bash -n "$work/root/usr/share/bash-completion/completions/kflavour" || fail "completion has syntax errors"
bash -c 'source "$1" && complete -p kflavour' _ "$work/root/usr/share/bash-completion/completions/kflavour" \
    >/dev/null || fail "completion does not register for kflavour"

# Installable here: apt resolves its Depends without error.
if command -v apt-get >/dev/null; then
    if ! apt-get install --simulate --no-install-recommends "$deb" >"$work/apt.log" 2>&1; then
        cat "$work/apt.log" >&2
        fail "apt-get install --simulate ${deb##*/} failed"
    fi
    grep -qE '^Inst kflavour |^kflavour is already the newest version' "$work/apt.log" ||
        { cat "$work/apt.log" >&2; fail "apt would not install kflavour"; }
    echo "apt-get install --simulate: ok"
fi

echo "PASS: ${deb##*/} ($version, $arch)"
