#!/bin/bash
# Debian's PREEMPT_RT series for Linux 6.1, once, into $KF_E2E_CACHE/rt-6.1/:
#   patches-rt/   debian/patches-rt of the `linux` source package (series + patches)
#   VERSION       the Debian version it came from
# From bookworm-security's deb-src: the version of the installed
# linux-source-6.1 first; when the mirror does not serve that one's
# .debian.tar.xz, the newest earlier 6.1 upload it does serve (the series is
# rebased on a stable release, so an earlier one is an older -rt: what
# kflavour's matching rule must then pick). Prints the directory.
set -euo pipefail
CACHE=${KF_E2E_CACHE:-/var/cache/kflavour-e2e}
OUT=$CACHE/rt-6.1
if [ -s "$OUT/VERSION" ]; then echo "$OUT"; exit 0; fi
mkdir -p "$CACHE"
exec 9>"$CACHE/.rt-lock"
flock 9
if [ -s "$OUT/VERSION" ]; then echo "$OUT"; exit 0; fi

tmp=$(mktemp -d "$CACHE/.rt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt with a deb-src list of its own: the machine's sources stay untouched.
mkdir -p "$tmp/lists/partial"
echo "deb-src http://deb.debian.org/debian-security bookworm-security main" >"$tmp/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$tmp/lists" -o Debug::NoLocking=1)
apt-get -q "${apt_opts[@]}" update >&2
want=$(dpkg-query -W -f='${Version}' linux-source-6.1)
versions=$(apt-cache "${apt_opts[@]}" showsrc linux | sed -n 's/^Version: //p' | sort -u |
    while read -r v; do dpkg --compare-versions "$v" le "$want" && echo "$v"; done | sort -rV)
got=
for v in $versions; do
    uri=$(apt-get "${apt_opts[@]}" --print-uris source "linux=$v" 2>/dev/null | grep -o "'[^']*\.debian\.tar\.xz'" | tr -d "'")
    [ -n "$uri" ] || continue
    if curl -fsSL --retry 2 -o "$tmp/debian.tar.xz" "$uri"; then got=$v; break; fi
    echo "prepare-rt-6.1: $uri is not served; trying an earlier upload" >&2
done
[ -n "$got" ] || { echo "prepare-rt-6.1: no linux <= $want .debian.tar.xz could be fetched" >&2; exit 1; }
tar -C "$tmp" -xJf "$tmp/debian.tar.xz" debian/patches-rt
[ -s "$tmp/debian/patches-rt/series" ] || { echo "prepare-rt-6.1: linux $got has no debian/patches-rt/series" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
mv "$tmp/debian/patches-rt" "$OUT/patches-rt"
echo "$got" >"$OUT/VERSION"
echo "$OUT"
