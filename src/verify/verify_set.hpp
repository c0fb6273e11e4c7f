// What `kflavour verify` does to a set, for verify itself and for publish,
// which refuses a set that fails it.
#pragma once

#include "base/error.hpp"
#include "verify/verify_report.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace kf::sys {

// Where the target release's package index comes from: the first given of
// packages (Packages files), chroot (a kflavour chroot's lists), suite (its
// kflavour chroot, else this machine's apt lists of it).
struct VerifyTarget {
    std::vector<std::string> packages;
    std::string chroot;
    std::string suite;
    std::string host;  // the CPU; empty: the set's kernel image's
    std::vector<std::string> dtbs;  // --dtb: device trees the image package must carry
    std::filesystem::path chroot_cache;  // Os's chroot_cache_dir
    std::string native_arch;             // Os's: names a suite's default chroot
};

// The .deb files of a directory, or the ones a .changes file lists.
Result<std::vector<std::filesystem::path>> debs_of_set(const std::filesystem::path& input);

// Reads the set, loads the index and runs every check. A set that fails a
// check is a report with findings, not an error. `progress` hears each
// package file as it is read.
using VerifyProgress = std::function<void(const std::string& line)>;
Result<VerifyReport> verify_set(const std::filesystem::path& input, const VerifyTarget& target,
                                const VerifyProgress& progress = {});

}  // namespace kf::sys
