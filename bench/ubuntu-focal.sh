#!/bin/bash
# The real Ubuntu path, end to end (issue: Ubuntu trees built for real):
# Ubuntu's focal kernel tree (tag Ubuntu-5.4.0-200.220) gets a tickless
# flavour for arm64 and amd64, then Ubuntu's own rules build it twice in a
# bookworm chroot (no Ubuntu mirror is reachable): cross for arm64 and
# native for amd64, both quick (--modules-from a real server's module list,
# since the full generic config takes hours on 2 cores). Each set is
# verified against bookworm; a cross set's headers build an external module
# on the target (qemu-user); the arm64 set is booted with qemu.
#
#   bench/ubuntu-focal.sh TREE
#
# TREE: an export of the focal tree (DEVELOPERS.md says how to get one); it is
# copied, never changed. Prints the stage times, the sets and the verdicts.
#   WORK=DIR (default /var/tmp/kflavour-focal)  JOBS=N  KFLAVOUR=path
#   ARCHES="arm64 amd64"  LIST_arm64=FILE  LIST_amd64=FILE
#   EXTMOD_CHROOT=NAME (default bookworm-<arch>-extmod, made when missing)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bench/lib.sh"
KFLAVOUR=$(bench_kflavour)
tree_in=${1:?usage: bench/ubuntu-focal.sh TREE}
[ -f "$tree_in/debian/debian.env" ] || { echo "bench: $tree_in is not an Ubuntu tree (no debian/debian.env)" >&2; exit 2; }
work=${WORK:-/var/tmp/kflavour-focal}
jobs=${JOBS:-$(nproc)}
arches=${ARCHES:-arm64 amd64}
LIST_arm64=${LIST_arm64:-$root/tests/data/modules/arm64-supermicro-g1smh.modules}
LIST_amd64=${LIST_amd64:-$root/tests/data/modules/amd64-dell-r440.modules}

mkdir -p "$work"
tree=$work/tree
rm -rf "$tree"
t0=$(date +%s)
cp -a --reflink=auto "$tree_in" "$tree"
arch_args=()
for a in $arches; do arch_args+=(--arch "$a"); done
"$KFLAVOUR" -C "$tree" new tickless "${arch_args[@]}" --def tickless
echo "bench: new took $(( $(date +%s) - t0 )) s" >&2

# manifest_line OUT: the stage seconds of a build, one line.
manifest_line() {
    python3 - "$1/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print("  stages: " + ", ".join(f"{k} {v:.0f} s" for k, v in m["stages"].items()))
print(f"  config: {m.get('config')}, version {m.get('package_version')}, suite {m.get('suite')}")
c = m.get("ccache") or {}
if c: print(f"  ccache: {c.get('hits')} hits, {c.get('misses')} misses")
PY
}

# extmod_check OUT ARCH: an external module built on the target (an emulated
# chroot) against the set's installed headers. verify's cpu check says the
# headers' fixdep, modpost and genksyms are the target's; this runs them.
extmod_check() {
    local out=$1 arch=$2 chroot=${EXTMOD_CHROOT:-bookworm-$2-extmod} hdr release
    hdr=$(cd "$out" && ls linux-headers-*-tickless_*_"$arch".deb)
    release=${hdr#linux-headers-}; release=${release%%_*}
    if ! "$KFLAVOUR" -q chroot list | grep -q "^$chroot\b"; then
        "$KFLAVOUR" -q chroot create bookworm --arch "$arch" --qemu --name "$chroot"
    fi
    "$KFLAVOUR" chroot run "$chroot" --bind "$out" -- bash -euo pipefail -c '
        out=$1 release=$2
        apt-get install -q -y --no-install-recommends "$out"/linux-headers-*_all.deb "$out"/linux-headers-"$release"_*.deb >/dev/null
        mkdir -p /tmp/hello && cd /tmp/hello
        printf "obj-m := hello.o\n" >Kbuild
        printf "%s\n" "#include <linux/module.h>" "static int __init hello_init(void) { return 0; }" \
            "module_init(hello_init);" "MODULE_LICENSE(\"GPL\");" >hello.c
        make -s -C /lib/modules/"$release"/build M=/tmp/hello modules
        echo "extmod: hello.ko built on $(dpkg --print-architecture) with the set'"'"'s headers: $(strings hello.ko | grep "^vermagic=")"' \
        _ "$out" "$release"
}

status=0
for arch in $arches; do
    list_var=LIST_$arch
    out=$work/out-$arch
    if [ "$arch" = "$(dpkg --print-architecture)" ]; then mode=(); else mode=(--host "$arch"); fi
    echo "bench: build tickless $arch ${mode[*]:-native}" >&2
    t=$(date +%s)
    "$KFLAVOUR" -C "$tree" build "${mode[@]}" --suite bookworm --flavour tickless --jobs "$jobs" \
        --modules-from "${!list_var}" --out "$out"
    echo "== tickless $arch (${mode[*]:-native}): $(( $(date +%s) - t )) s"
    manifest_line "$out"
    ( cd "$out" && ls -1 ./*.deb | sed 's|^\./|  |' )
    "$KFLAVOUR" verify "$out" --suite bookworm || status=1
    if [ ${#mode[@]} -gt 0 ]; then extmod_check "$out" "$arch" || status=1; fi
    if [ "$arch" = arm64 ]; then
        "$KFLAVOUR" boot "$out" --expect CONFIG_NO_HZ_FULL=y --cmdline nohz_full=1 || status=1
    fi
done
exit $status
