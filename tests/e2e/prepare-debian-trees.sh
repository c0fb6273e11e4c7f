#!/bin/bash
# Debian's own kernel packaging, once, into $KF_E2E_CACHE/debian-trees/:
#   bookworm/debian/  the newest linux 6.1 upload (INI defines) whose
#                     .debian.tar.xz the mirror serves, from bookworm-security
#   trixie/debian/    the same for linux 6.12 (defines.toml), trixie and trixie-security
#   */VERSION         the Debian version it came from
# Only debian/ (about 2 MB each): `new` and `list` need no kernel source.
# Prints the directory.
set -euo pipefail
CACHE=${KF_E2E_CACHE:-/var/cache/kflavour-e2e}
OUT=$CACHE/debian-trees
if [ -s "$OUT/bookworm/VERSION" ] && [ -s "$OUT/trixie/VERSION" ]; then echo "$OUT"; exit 0; fi
mkdir -p "$CACHE"
exec 9>"$CACHE/.debian-trees-lock"
flock 9
if [ -s "$OUT/bookworm/VERSION" ] && [ -s "$OUT/trixie/VERSION" ]; then echo "$OUT"; exit 0; fi

tmp=$(mktemp -d "$CACHE/.debian-trees.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt with deb-src lists of its own: the machine's sources stay untouched.
mkdir -p "$tmp/lists/partial"
cat >"$tmp/sources.list" <<LIST
deb-src http://deb.debian.org/debian-security bookworm-security main
deb-src http://deb.debian.org/debian trixie main
deb-src http://deb.debian.org/debian-security trixie-security main
LIST
apt_opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$tmp/lists" -o Debug::NoLocking=1)
apt-get -q "${apt_opts[@]}" update >&2

fetch() {  # NAME UPSTREAM-PREFIX: the newest served linux <prefix>* into $tmp/NAME
    local name=$1 prefix=$2 v uri
    for v in $(apt-cache "${apt_opts[@]}" showsrc linux | sed -n "s/^Version: \\(${prefix//./\\.}[0-9]*-.*\\)/\\1/p" | sort -urV); do
        uri=$(apt-get "${apt_opts[@]}" --print-uris source "linux=$v" 2>/dev/null | grep -o "'[^']*\.debian\.tar\.xz'" | tr -d "'") || true
        [ -n "$uri" ] || continue
        if curl -fsSL --retry 2 -o "$tmp/$name.tar.xz" "$uri"; then
            mkdir -p "$tmp/$name"
            tar -C "$tmp/$name" -xJf "$tmp/$name.tar.xz"
            echo "$v" >"$tmp/$name/VERSION"
            return 0
        fi
        echo "prepare-debian-trees: $uri is not served; trying an earlier upload" >&2
    done
    echo "prepare-debian-trees: no linux $prefix* .debian.tar.xz could be fetched" >&2
    return 1
}
fetch bookworm 6.1.
fetch trixie 6.12.
[ -s "$tmp/bookworm/debian/config/defines" ] || { echo "prepare-debian-trees: bookworm's tree has no INI defines" >&2; exit 1; }
[ -s "$tmp/trixie/debian/config/defines.toml" ] || { echo "prepare-debian-trees: trixie's tree has no defines.toml" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
mv "$tmp/bookworm" "$tmp/trixie" "$OUT/"
echo "$OUT"
