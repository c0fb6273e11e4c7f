#!/bin/bash
# Debian's whole bookworm linux source package, once, into
# $KF_E2E_CACHE/debian-source/: the upload prepare-debian-trees.sh found
# (its VERSION), fetched from the mirror (.dsc, .orig.tar.xz, .debian.tar.xz)
# and unpacked with dpkg-source -x (the patches applied, .pc kept):
#   linux/     the tree    VERSION   the Debian version
# About 1.4 GB unpacked. Prints the tree's directory.
set -euo pipefail
CACHE=${KF_E2E_CACHE:-/var/cache/kflavour-e2e}
OUT=$CACHE/debian-source
if [ -s "$OUT/VERSION" ] && [ -d "$OUT/linux/debian" ]; then echo "$OUT/linux"; exit 0; fi
TREES=$(bash "$(dirname "$0")/prepare-debian-trees.sh")
version=$(cat "$TREES/bookworm/VERSION")
mkdir -p "$CACHE"
exec 9>"$CACHE/.debian-source-lock"
flock 9
if [ -s "$OUT/VERSION" ] && [ -d "$OUT/linux/debian" ]; then echo "$OUT/linux"; exit 0; fi

tmp=$(mktemp -d "$CACHE/.debian-source.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial"
echo "deb-src http://deb.debian.org/debian-security bookworm-security main" >"$tmp/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$tmp/lists" -o Debug::NoLocking=1)
apt-get -q "${apt_opts[@]}" update >&2
apt-get "${apt_opts[@]}" --print-uris source "linux=$version" 2>/dev/null | sed -n "s/^'\\([^']*\\)'.*/\\1/p" >"$tmp/uris"
grep -q '\.dsc$' "$tmp/uris" || { echo "prepare-debian-source: apt knows no linux=$version source" >&2; exit 1; }
(cd "$tmp" && while read -r uri; do curl -fsSL --retry 2 -O "$uri"; done <uris)
# The archive's signature needs debian-keyring, which a build machine need not have.
(cd "$tmp" && dpkg-source --no-check -x linux_"${version#*:}".dsc linux >/dev/null)
echo "$version" >"$tmp/VERSION"
rm -rf "$OUT"
mkdir -p "$OUT"
mv "$tmp/linux" "$tmp/VERSION" "$OUT/"
echo "$OUT/linux"
