#!/bin/bash
# Prepare the real data the e2e tests use, once, in a cache directory:
#   $KF_E2E_CACHE/linux-6.1/           the linux-source-6.1 tree (never modified by tests)
#   $KF_E2E_CACHE/configs/config.amd64 Debian's amd64 generic config (linux-config-6.1)
#   $KF_E2E_CACHE/configs/config.arm64 Debian's arm64 generic config (linux-config-6.1:arm64)
# Installs linux-source-6.1, linux-config-6.1, gcc-aarch64-linux-gnu, flex, bison
# (needs root; Debian bookworm mirrors). Prints the cache dir. Safe to run again:
# a complete cache is reused (stamp file).
set -euo pipefail
CACHE=${KF_E2E_CACHE:-/var/cache/kflavour-e2e}
STAMP=$CACHE/.ready-1
if [ -e "$STAMP" ]; then echo "$CACHE"; exit 0; fi
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if [ -e "$STAMP" ]; then echo "$CACHE"; exit 0; fi

pkgs=(linux-source-6.1 linux-config-6.1 gcc-aarch64-linux-gnu flex bison bc make gcc libc6-dev xz-utils)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || missing+=("$p")
done
native=$(dpkg --print-architecture)
if ((${#missing[@]})) || ! dpkg --print-foreign-architectures | grep -qx arm64; then
    [ "$native" = arm64 ] || dpkg --add-architecture arm64
    apt-get -q update >&2
fi
if ((${#missing[@]})); then
    apt-get -q install -y --no-install-recommends -o Dpkg::Lock::Timeout=600 "${missing[@]}" >&2
fi

tmp=$(mktemp -d "$CACHE/.prep.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xaf /usr/src/linux-source-6.1.tar.xz
src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -1)
rm -rf "$CACHE/linux-6.1"
mv "$src" "$CACHE/linux-6.1"

mkdir -p "$CACHE/configs"
xz -dc "/usr/src/linux-config-6.1/config.${native}_none_${native}.xz" >"$tmp/config.$native"
if [ "$native" != arm64 ]; then
    (cd "$tmp" && apt-get download linux-config-6.1:arm64 >&2)
    dpkg-deb -x "$tmp"/linux-config-6.1_*_arm64.deb "$tmp/arm64"
    xz -dc "$tmp/arm64/usr/src/linux-config-6.1/config.arm64_none_arm64.xz" >"$tmp/config.arm64"
fi
if [ "$native" != amd64 ]; then
    (cd "$tmp" && apt-get download linux-config-6.1:amd64 >&2)
    dpkg-deb -x "$tmp"/linux-config-6.1_*_amd64.deb "$tmp/amd64"
    xz -dc "$tmp/amd64/usr/src/linux-config-6.1/config.amd64_none_amd64.xz" >"$tmp/config.amd64"
fi
mv "$tmp/config.amd64" "$tmp/config.arm64" "$CACHE/configs/"
touch "$STAMP"
echo "$CACHE"
