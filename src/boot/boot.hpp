// `kflavour boot`: install a kernel set with dpkg into a throw-away copy of a
// chroot of the target suite, then boot its kernel under qemu-system with a
// busybox initramfs and judge what the guest reports (boot/boot_check).
#pragma once

#include "boot/boot_check.hpp"
#include "boot/boot_plan.hpp"
#include "base/error.hpp"
#include "chroot/chroot.hpp"
#include "base/os.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kf::sys {

struct BootRequest {
    std::filesystem::path dir;  // the set's .debs
    std::string arch;           // empty: the images' arch
    std::string suite = "bookworm";
    std::string chroot;          // empty: SUITE-ARCH-…-essential with busybox-static, created on demand
    std::string sources_template;  // templates/ubuntu.sources, for creating Ubuntu chroots
    // What the images need from the archive besides the set
    // (boot_archive_depends): added to the boot chroot.
    std::vector<std::string> image_depends;
    std::vector<ConfigExpect> expects;
    std::string cmdline;
    int timeout_seconds = 120;
    std::string accel = "tcg";
    int memory_mib = 256;
};

struct BootResult {
    std::string arch;
    std::string chroot;
    bool chroot_created = false;
    double chroot_seconds = 0;   // finding or creating it
    double install_seconds = 0;  // extracting the copy and dpkg -i
    std::vector<InstalledPackage> installed;  // dpkg -l rows of the set's packages
    std::vector<std::string> not_installed;   // packages of the set dpkg could not configure
    std::vector<std::string> install_problems;  // and what dpkg said about them
    std::vector<DebFile> skipped;             // other arches
    std::string release;
    size_t initramfs_bytes = 0;
    size_t module_files = 0;
    std::vector<std::string> qemu_argv;
    double boot_seconds = 0;
    bool timed_out = false;
    bool realtime = false;  // judged as a real-time kernel (--expect CONFIG_PREEMPT_RT=y or its own config)
    std::string console;  // the guest's serial console, '\r' removed
    BootReport report;
    BootVerdict verdict;
};

// The .debs in `dir`, classified (boot/boot_plan); `arch` may be empty.
Result<DebSet> read_set(const std::filesystem::path& dir, const std::string& arch);

// The chroot spec boot creates on demand for (suite, arch).
// `image_depends`: what the set's images need from the archive (boot_archive_depends).
// `native_arch`: the machine's; any other arch's chroot runs through qemu-user.
ChrootSpec boot_chroot_spec(const std::string& suite, const std::string& arch, const std::string& native_arch,
                            const std::vector<std::string>& image_depends = {});
// What the set's images depend on that the set lacks (Ubuntu's: kmod,
// linux-base): it goes into the boot chroot, or dpkg leaves the image unconfigured.
Result<std::vector<std::string>> boot_archive_depends(const DebSet& set, const std::filesystem::path& dir);

// The qemu command run under `timeout` (so a hung guest is killed), in a
// process group of its own (so Ctrl-C stops it).
Command boot_command(const QemuSpec& qemu, int timeout_seconds);

using Progress = std::function<void(std::string_view stage)>;

// The whole run, as root or as a user with subuids (`os` says which, and
// what the machine's arch and chroot cache are). A failed boot check is a BootResult whose
// verdict did not pass; errors are bad input (no image in DIR), check failed
// (the image does not install) or failure. Scratch root, mounts and qemu are
// gone when it returns, also after SIGINT/SIGTERM (exit 128+signal).
// `progress` gets one line per stage, `console` the guest's output as it
// arrives (either may be null).
Result<BootResult> boot_set(ProcessRunner& runner, const Os& os, const BootRequest& request,
                            const Progress& progress, const ProcessRunner::OutputSink& console);

}  // namespace kf::sys
