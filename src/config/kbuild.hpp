// Running the kernel's own Kconfig, out of tree: the make command line, the
// scratch O= directory, the cross compiler, and cleanup on SIGINT.
#pragma once

#include "base/error.hpp"
#include "base/os.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kf::sys {

// How to build for a Debian arch on this machine.
struct KbuildTarget {
    std::string debian_arch;    // arm64
    std::string karch;          // arm64 (x86 for amd64)
    std::string cross_compile;  // "aarch64-linux-gnu-"; empty when native
};

// Kernel ARCH from the table, GNU triplet from dpkg-architecture (through
// `runner`), and a check that `<triplet>-gcc` is in PATH. $KFLAVOUR_CROSS_COMPILE
// overrides the prefix. Unknown arch: bad input; missing cross compiler:
// failure (exit 3) naming the Debian package to install.
Result<KbuildTarget> kbuild_target(ProcessRunner& runner, const Os& os, const std::string& debian_arch);

// `make -C SRC O=SCRATCH ARCH=… [CROSS_COMPILE=…] TARGET` (make is $KFLAVOUR_MAKE).
Command kconfig_command(const std::filesystem::path& source, const std::filesystem::path& scratch,
                        const KbuildTarget& target, const std::string& make_target);

struct KconfigRun {
    std::string config;     // the resolved .config
    double make_ms = 0;     // wall time of the make call
    std::string log;        // make's output
};

// Copy `input` (a .config, may be empty) to a fresh scratch dir, run make
// `make_target` there (olddefconfig, tinyconfig, …), return the .config.
// The scratch dir is always removed. A SIGINT/SIGTERM stops make's process
// group and is reported as an error with exit 130; make failing is a
// failure showing the tail of its output.
Result<KconfigRun> run_kconfig(ProcessRunner& runner, const std::filesystem::path& source, const KbuildTarget& target,
                               const std::string& input, const std::string& make_target = "olddefconfig");

// A defconfig target, then olddefconfig, in one scratch dir (upstream trees):
// `make base_target` (tinyconfig, defconfig, …) writes a .config, `edit`
// turns it into the input of `make olddefconfig`. Same cleanup and errors
// as run_kconfig; `base_config` is what the first step wrote; make_ms is
// the sum of both steps.
Result<KconfigRun> run_kconfig_from_target(ProcessRunner& runner, const std::filesystem::path& source,
                                           const KbuildTarget& target, const std::string& base_target,
                                           const std::function<std::string(const std::string&)>& edit,
                                           std::string* base_config = nullptr);

// A kernel source dir must be a directory with a top Makefile that has
// VERSION and PATCHLEVEL, and a Kconfig file.
Status check_kernel_source(const std::filesystem::path& source);

// Read a Kconfig file relative to `source`, nullopt when absent.
std::optional<std::string> read_source_file(const std::filesystem::path& source, const std::string& relative);

}  // namespace kf::sys
