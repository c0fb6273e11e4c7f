// `kflavour boot`, the planning half: which .debs form the set, the guest's
// /init, the qemu command line, and reading dpkg -l and ELF headers. Pure.
#pragma once

#include "boot/boot_check.hpp"
#include "base/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// How a Debian arch boots under qemu-system.
struct BootArch {
    std::string debian_arch;            // arm64
    std::string qemu;                   // qemu-system-aarch64 (the tool name; $KFLAVOUR_QEMU_SYSTEM_AARCH64)
    std::vector<std::string> machine;   // -M virt -cpu cortex-a57
    std::string console;                // ttyAMA0
    // How /init ends the VM: arm64 powers off through PSCI; x86 kernels
    // without ACPI cannot power off, but a reboot ends qemu (-no-reboot).
    std::string halt_applet;            // poweroff | reboot
    uint16_t elf_machine = 0;           // EM_AARCH64: busybox must be built for it
};
// amd64 and arm64; anything else is bad input.
Result<BootArch> boot_arch(const std::string& debian_arch);

// A .deb by its file name: PACKAGE_VERSION_ARCH.deb.
struct DebFile {
    std::string file;  // the name in DIR
    std::string package;
    std::string version;
    std::string arch;
};
std::optional<DebFile> parse_deb_filename(std::string_view name);

struct DebSet {
    std::string arch;              // the images' arch
    std::vector<DebFile> images;   // linux-image-* (not -dbg), installed first
    std::vector<DebFile> others;   // the rest of the set of that arch or all
    std::vector<DebFile> skipped;  // other arches (and debug images): not installed
};
// File names of DIR's .debs -> the set. No image, images of different arches,
// or --arch disagreeing with the images: bad input.
Result<DebSet> classify_debs(const std::vector<std::string>& filenames, const std::string& want_arch);

// The shell script run inside the chroot: dpkg -i the images (must work),
// then each other package on its own (one that is not installable is purged
// and named), then dpkg -l. `dir` is where the .debs are inside.
std::string install_script(const DebSet& set, const std::string& dir);
// Lines of its output that name a package that could not be installed.
inline constexpr std::string_view kNotInstalledMarker = "kflavour-boot: not installable: ";
std::vector<std::string> not_installed(std::string_view install_output);
// dpkg's complaints in that output (errors, unmet dependencies): the why.
std::vector<std::string> install_problems(std::string_view install_output);

// The release to boot, from the names in the root's /boot ("vmlinuz-6.1.192-tickless"):
// the one an image package of the set is named after (linux-image-<release>,
// linux-image-unsigned-<release>), else the only one. None: failure.
Result<std::string> installed_release(const std::vector<std::string>& boot_files, const DebSet& set);

struct InstalledPackage {
    std::string status;  // ii, iU, rc, …
    std::string name;
    std::string version;
    std::string arch;
};
// The package rows of `dpkg -l` output (status, name, version, arch).
std::vector<InstalledPackage> parse_dpkg_list(std::string_view text);

// The guest's /init, run by busybox sh: mounts /proc and /sys, prints
// kBootMarker lines (begin, release, cmdline, version (uname -v),
// realtime (/sys/kernel/realtime or "absent"), config-source, one config line
// per symbol, end), then ends the VM with `halt_applet -f`.
struct InitSpec {
    std::string release;               // /boot/config-<release> is the fallback config
    std::vector<std::string> symbols;  // CONFIG_X to report
    std::string halt_applet = "poweroff";
};
std::string init_script(const InitSpec& spec);

struct QemuSpec {
    std::string qemu;  // the binary to run
    BootArch arch;
    std::string kernel;
    std::string initrd;
    std::string cmdline;  // appended after console=… panic=-1
    std::string accel = "tcg";
    int memory_mib = 256;
};
// qemu -accel A -m M -nographic -no-reboot [machine] -kernel K -initrd I -append "…".
std::vector<std::string> qemu_argv(const QemuSpec& spec);

struct BootElf {
    uint16_t machine = 0;
    bool dynamic = false;  // has a PT_INTERP: needs a libc the initramfs lacks
};
// The header of a little-endian 64-bit ELF file; nullopt for anything else.
std::optional<BootElf> read_elf(std::string_view bytes);

}  // namespace kf
