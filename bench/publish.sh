#!/bin/bash
# Times `kflavour publish` of one more set into a repository that already
# holds 10, 100 and 1,000 sets (target <= 2 s, excluding signing: the
# repository is --unsigned), to show how the time grows with the repository.
# The sets are synthetic amd64 kernel sets (image with a bzImage header,
# headers, libc-dev; a few KiB each) built here with dpkg-deb, one kernel
# version each; verify judges them by a small Packages file. Filling the
# repository is one publish per set, so the 1,000 step takes a while.
#   SIZES="10 100 1000" (default)   RUNS=N measured publishes per size (default 3)
#   KFLAVOUR=path/to/kflavour (default build/kflavour, built if missing)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=${SIZES:-10 100 1000}
runs=${RUNS:-3}
target_s=2
source "$root/bench/lib.sh"
kf=$(bench_kflavour)
command -v apt-ftparchive >/dev/null || { echo "bench: needs apt-ftparchive (apt-utils)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
printf 'Package: kmod\nVersion: 30\nArchitecture: amd64\n\n' >"$tmp/Packages"

# make_set N DIR: kernel 6.1.N-tickless (version 6.1.N-1) as three .debs in DIR.
make_set() {
    local n=$1 dir=$2 rel=6.1.$1-tickless ver=6.1.$1-1 r
    mkdir -p "$dir"
    for pkg in "linux-image-$rel" "linux-headers-$rel" linux-libc-dev; do
        r=$tmp/root/$pkg
        rm -rf "$r"
        mkdir -p "$r/DEBIAN"
        printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: bench <b@example.com>\nSource: linux-upstream\nDescription: bench\n' \
            "$pkg" "$ver" >"$r/DEBIAN/control"
        case $pkg in
        linux-image-*)
            mkdir -p "$r/boot"
            python3 -c '
import struct, sys
b = bytearray(4096); b[0x202:0x206] = b"HdrS"
struct.pack_into("<H", b, 0x206, 0x020f); struct.pack_into("<H", b, 0x236, 1)
open(sys.argv[1], "wb").write(bytes(b))' "$r/boot/vmlinuz-$rel" ;;
        linux-headers-*) mkdir -p "$r/usr/src/linux-headers-$rel" && echo "obj-m += x.o" >"$r/usr/src/linux-headers-$rel/Makefile" ;;
        *) mkdir -p "$r/usr/include/linux" && echo "#define N $n" >"$r/usr/include/linux/n.h" ;;
        esac
        dpkg-deb --root-owner-group -Zgzip --build "$r" "$dir/${pkg}_${ver}_amd64.deb" >/dev/null
    done
}
publish() { "$kf" -q publish "$1" --repo "$repo" --unsigned --suite bookworm --packages "$tmp/Packages" 2>/dev/null; }

have=0
next=100000   # the measured sets' numbers: never in the filled repository
echo "bench: publish one more set into a repository of N sets (unsigned; target <= ${target_s} s)"
for size in $sizes; do
    while [ "$have" -lt "$size" ]; do
        have=$((have + 1))
        make_set "$have" "$tmp/fill"
        publish "$tmp/fill"
        rm -rf "$tmp/fill"
    done
    times=()
    for _ in $(seq "$runs"); do
        next=$((next + 1))
        make_set "$next" "$tmp/one"
        t0=$(date +%s.%N)
        publish "$tmp/one"
        t1=$(date +%s.%N)
        times+=("$(echo "$t1 - $t0" | bc -l)")
        rm -rf "$tmp/one"
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    sets_now=$(grep -c '^Package: linux-image-6' "$repo/dists/bookworm/main/binary-amd64/Packages")
    printf '  %5d sets (%d in the index now): %s s per publish (median of %d: %s); ratio to target %.2f\n' \
        "$size" "$sets_now" "$median" "$runs" "${times[*]}" "$(echo "$median / $target_s" | bc -l)"
done
