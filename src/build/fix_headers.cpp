// The cross-build headers fix (bindeb-pkg's buildinfo hook): a script
// literal, kept apart from the plans that call it.
#include "build/build_plan.hpp"

#include "base/text.hpp"

namespace kf {
namespace {

// A file's ELF e_machine (empty for anything not ELF), in shell: the
// scripts run in a chroot that need not have `file`. For one file; a whole
// package goes through kForeignElvesFunction.
constexpr std::string_view kElfMachineFunction = R"SH(elf_machine() {
    [ "$(head -c4 "$1" | od -An -c | tr -d ' \n')" = '177ELF' ] || return 0
    local data b0 b1
    data=$(od -An -tu1 -j5 -N1 "$1" | tr -d ' ')
    read -r b0 b1 < <(od -An -tu1 -j18 -N2 "$1")
    if [ "$data" = 2 ]; then echo $((b0 * 256 + b1)); else echo $((b1 * 256 + b0)); fi
}
)SH";

constexpr std::string_view kForeignElvesFunction = R"SH(# The files under $1 that are ELF for another machine than $target_em,
# NUL-separated. One perl for all of them (perl-base is Essential, so in every
# chroot): elf_machine's forks per file took minutes on a headers package.
foreign_elves() {
    find "$1" -type f -print0 | xargs -r0 perl -e '
        my $want = shift;
        for my $f (@ARGV) {
            open(my $h, "<:raw", $f) or next;
            my $n = read($h, my $head, 20);
            close $h;
            next unless defined $n && $n == 20 && substr($head, 0, 4) eq "\x7fELF";
            my $em = unpack(ord(substr($head, 5, 1)) == 2 ? "n" : "v", substr($head, 18, 2));
            print "$f\0" if $em != $want;
        }' "$target_em"
}
)SH";

// The unpacked package's DEBIAN/md5sums, for its files as they are now.
constexpr std::string_view kRegenerateMd5sums =
    R"SH((cd "$tmp/pkg" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | LC_ALL=C sort -z | xargs -r0 md5sum >DEBIAN/md5sums)
)SH";

// The kernel's make for host programs that run on the target, in a clean
// environment (no MAKEFLAGS, O= or exported kbuild variables of a calling make).
std::string target_host_make(const BuildRequest& req, const std::string& objtree_quoted) {
    const std::string prefix = req.host.triplet + "-";
    return "env -i PATH=\"$PATH\" HOME=\"${HOME:-/root}\" LC_ALL=C.UTF-8 make -C " + objtree_quoted + " ARCH=" + req.host.karch +
           " CROSS_COMPILE=" + prefix + " HOSTCC=" + prefix + "gcc -j" + std::to_string(req.jobs);
}

}  // namespace

std::string fix_headers_script(const BuildRequest& req, const std::filesystem::path& objtree) {
    const std::string obj = shell_quote(objtree.string());
    // A clean environment: the hook runs under bindeb-pkg's make, whose
    // MAKEFLAGS (O=, HOSTCC=, …) and exported kbuild variables would make
    // this make rebuild the objtree's own scripts_basic for the target.
    const std::string make = target_host_make(req, obj);
    return R"SH(#!/bin/bash
# Called by dpkg-buildpackage (--hook-buildinfo) in a cross build, after the
# binary packages are made and before .buildinfo/.changes record them.
# Linux before 6.12 ships build-machine binaries (scripts/basic/fixdep,
# scripts/mod/modpost, ...) in a cross-built linux-headers package: rebuild
# them for the target with the kernel's external-module machinery (as 6.12's
# scripts/package/install-extmod-build does) and repack the package. A
# package with no build-machine ELF (6.12 and later) is left as it is.
set -euo pipefail
objtree=)SH" + obj + R"SH(
target_machine=)SH" + req.host.debian + R"SH(
target_em=)SH" + std::to_string(req.host.elf_machine) + R"SH(
shopt -s nullglob
debs=("$objtree"/../linux-headers-*_*.deb)
if [ ${#debs[@]} -ne 1 ]; then echo "kflavour: fix-headers: expected one linux-headers package, found ${#debs[@]}" >&2; exit 1; fi
deb=${debs[0]}
tmp=$(mktemp -d "$objtree/../fix-headers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -R "$deb" "$tmp/pkg"
hdr=$(echo "$tmp"/pkg/usr/src/linux-headers-*)
)SH" + std::string(kForeignElvesFunction) + R"SH(# Linux 6.12 and later build them for the target themselves: nothing to redo.
foreign=$(foreign_elves "$hdr" | LC_ALL=C sort -z | tr '\0' '\n' | sed -n 1p)
foreign=${foreign#"$hdr"/}
if [ -z "$foreign" ]; then
    echo "kflavour: the host programs of ${deb##*/} are already built for $target_machine: nothing to rebuild"
    exit 0
fi
(cd "$hdr" && find . | LC_ALL=C sort) >"$tmp/before"
echo "kflavour: rebuilding the host programs of ${deb##*/} for $target_machine ($foreign is not)"
# Pass 1: scripts/ as its Makefile lists it (kallsyms, sorttable, ...).
printf 'subdir-y := scripts\n' >"$hdr/Kbuild"
)SH" + make + R"SH( M="$hdr" scripts/
# Pass 2: what the top Makefile builds itself: fixdep and modpost.
cat >"$hdr/scripts/Kbuild" <<'KBUILD'
subdir-y := basic
hostprogs-always-y := mod/modpost mod/mk_elfconfig
mod/modpost-objs := $(addprefix mod/, modpost.o file2alias.o sumversion.o)
KBUILD
)SH" + make + R"SH( M="$hdr" scripts/
rm -f "$hdr/Kbuild" "$hdr/scripts/Kbuild"
# Keep the package's file list: drop the objects and .cmd files the passes added.
(cd "$hdr" && find . | LC_ALL=C sort) >"$tmp/after"
LC_ALL=C comm -13 "$tmp/before" "$tmp/after" | sort -r | (cd "$hdr" && while IFS= read -r f; do rm -rf -- "$f"; done)
# What is still built for the build machine (kconfig's conf, dtc, their
# objects) is never run by an external module build: leave it out.
while IFS= read -r -d '' f; do
    echo "kflavour: leaving out ${f#"$hdr"/} (built for the build machine; external module builds don't run it)"
    rm -f -- "$f"
done < <(foreign_elves "$hdr" | LC_ALL=C sort -z)
)SH" + std::string(kRegenerateMd5sums) + R"SH(# The compressor builddeb used (bindeb-pkg's KDEB_COMPRESS), not dpkg-deb's default.
dpkg-deb --root-owner-group ${KDEB_COMPRESS:+-Z"$KDEB_COMPRESS"} --build "$tmp/pkg" "$deb"
)SH";
}

std::string ubuntu_fix_headers_script(const BuildRequest& req, const std::filesystem::path& src, const std::string& flavour) {
    const std::string source = shell_quote(src.string());
    const std::string obj = shell_quote((src / "debian" / "build" / ("build-" + flavour)).string());
    const std::string make = target_host_make(req, obj);
    return R"SH(#!/bin/bash
# Run after Ubuntu's binary targets in a cross build. Ubuntu's rules build
# linux-headers-<abi>-<flavour>'s scripts/ (fixdep, modpost, genksyms, ...)
# with the build machine's compiler. Rebuild them for the target with the
# kernel's external-module machinery, from the build copy's own sources and
# the flavour's objtree, and repack the package in place.
set -euo pipefail
src=)SH" + source + R"SH(
objtree=)SH" + obj + R"SH(
flavour=)SH" + shell_quote(flavour) + R"SH(
target_machine=)SH" + req.host.debian + R"SH(
target_em=)SH" + std::to_string(req.host.elf_machine) + R"SH(
shopt -s nullglob
debs=()
for f in "$src"/../linux-headers-*_)SH" + req.host.debian + R"SH(.deb; do
    # linux-headers-<X.Y.Z>-<abi>-<flavour>_: not another flavour ending in -<flavour>.
    [[ ${f##*/} =~ ^linux-headers-[0-9]+\.[0-9]+\.[0-9]+-[0-9]+-${flavour}_ ]] && debs+=("$f")
done
if [ ${#debs[@]} -ne 1 ]; then echo "kflavour: fix-headers: expected one linux-headers package of $flavour, found ${#debs[@]}" >&2; exit 1; fi
deb=${debs[0]}
tmp=$(mktemp -d "$src/../fix-headers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
)SH" + std::string(kElfMachineFunction) + std::string(kForeignElvesFunction) + R"SH(dpkg-deb -R "$deb" "$tmp/pkg"
hdr=$(echo "$tmp"/pkg/usr/src/linux-headers-*)
echo "kflavour: rebuilding the host programs of ${deb##*/} for $target_machine"
# The package's scripts/ sources are symlinks into the arch-all headers
# package: build from a copy of the tree's own. modpost includes kernel
# headers by a relative path.
ext=$tmp/ext
mkdir -p "$ext"
cp -a "$src/scripts" "$ext/scripts"
ln -s "$src/include" "$ext/include"
# Pass 1: scripts/ as its Makefile lists them (kallsyms, sign-file, genksyms, selinux, ...).
printf 'subdir-y := scripts\n' >"$ext/Kbuild"
)SH" + make + R"SH( M="$ext" scripts/
# Pass 2: what the top Makefile builds itself, fixdep and modpost. modpost's
# generated headers come from the objtree (made with the target compiler);
# the machine modpost runs on is now the target, so HOST_ELF* = KERNEL_ELF*.
sed -e '/HOST_ELF/d' "$objtree/scripts/mod/elfconfig.h" >"$ext/scripts/mod/elfconfig.h"
sed -n -e 's/^#define KERNEL_\(ELF[A-Z]*\) /#define HOST_\1 /p' "$objtree/scripts/mod/elfconfig.h" >>"$ext/scripts/mod/elfconfig.h"
cp "$objtree/scripts/mod/devicetable-offsets.h" "$ext/scripts/mod/"
printf 'subdir-y := basic mod\n' >"$ext/scripts/Kbuild"
{
    # Both spellings: hostprogs-y/always before Linux 5.10, hostprogs/always-y after.
    echo 'hostprogs-y := modpost mk_elfconfig'
    echo 'hostprogs := $(hostprogs-y)'
    echo 'always := $(hostprogs-y)'
    echo 'always-y := $(hostprogs-y)'
    grep -E '^modpost-objs[[:space:]]*[:+]?=' "$ext/scripts/mod/Makefile"
} >"$ext/scripts/mod/Kbuild"
)SH" + make + R"SH( M="$ext" scripts/
# Swap each build-machine ELF of the package for its rebuild. What has none
# (kconfig's conf, dtc, their objects) is never run by an external module
# build: leave it out.
while IFS= read -r -d '' f; do
    rel=${f#"$hdr"/}
    if [ -f "$ext/$rel" ] && [ "$(elf_machine "$ext/$rel")" = "$target_em" ]; then
        cp -- "$ext/$rel" "$f"
        echo "kflavour: rebuilt $rel for $target_machine"
    else
        echo "kflavour: leaving out $rel (built for the build machine; external module builds don't run it)"
        rm -f -- "$f"
    fi
done < <(foreign_elves "$hdr" | LC_ALL=C sort -z)
)SH" + std::string(kRegenerateMd5sums) + R"SH(# dpkg-deb picks the compressor the way dh_builddeb's did: same environment.
dpkg-deb --root-owner-group --build "$tmp/pkg" "$deb"
)SH";
}

}  // namespace kf
