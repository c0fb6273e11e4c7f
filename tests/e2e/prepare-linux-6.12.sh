#!/bin/bash
# Debian trixie's linux-source-6.12, once, unpacked into $KF_E2E_CACHE/linux-6.12
# (never modified by tests: they take hard-link copies). The .deb comes from
# trixie's archive through apt with a sources list of its own (this machine's
# apt stays on bookworm). Prints the cache dir. Safe to run again (stamp file).
set -euo pipefail
CACHE=${KF_E2E_CACHE:-/var/cache/kflavour-e2e}
STAMP=$CACHE/.ready-6.12
if [ -e "$STAMP" ]; then echo "$CACHE"; exit 0; fi
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock-6.12"
flock 9
if [ -e "$STAMP" ]; then echo "$CACHE"; exit 0; fi

tmp=$(mktemp -d "$CACHE/.prep-6.12.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
echo "deb [arch=amd64] http://deb.debian.org/debian trixie main" >"$tmp/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache::Archives=$tmp/archives" -o Debug::NoLocking=1
    -o Dir::State::Status=/dev/null -o APT::Sandbox::User=root)
apt-get -q "${apt_opts[@]}" update >&2
(cd "$tmp" && apt-get -q "${apt_opts[@]}" download linux-source-6.12 >&2)
deb=$(ls "$tmp"/linux-source-6.12_*_all.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -C "$tmp" -x --wildcards '*/linux-source-6.12.tar.xz'
rm -f "$deb"
mkdir -p "$tmp/src"
tar -C "$tmp/src" -xaf "$(find "$tmp" -name linux-source-6.12.tar.xz | head -1)"
src=$(find "$tmp/src" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -1)
rm -rf "$CACHE/linux-6.12"
mv "$src" "$CACHE/linux-6.12"
touch "$STAMP"
echo "$CACHE"
