// `build`'s options as the user gave them, and the request they make with
// the tree's own facts: which options exclude each other, which belong to
// one tree kind, where the output goes. cli parses; this decides.
#pragma once

#include "base/error.hpp"
#include "base/os.hpp"
#include "base/process.hpp"
#include "base/report.hpp"
#include "build/build_plan.hpp"
#include "build/build_request.hpp"
#include "build/build_setup.hpp"
#include "tree/tree.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf::sys {

struct BuildOptions {
    std::vector<std::string> flavours;               // --flavour (repeatable)
    std::optional<int> jobs;                         // -j; default the CPU count (or the distcc farm's)
    bool full = false;                               // --full
    bool no_chroot = false;                          // --no-chroot
    bool chroot_named = false;                       // --chroot NAME
    bool ccache = true;                              // not --no-ccache
    bool distcc_off = false;                         // --no-distcc
    std::optional<std::string> distcc;               // --distcc HOSTS
    bool distcc_any = false;                         // --distcc-any
    std::string pkg_version;                         // --pkg-version (upstream)
    std::optional<std::string> featureset;           // --featureset (a Debian kernel flavour)
    std::optional<std::filesystem::path> modules_from;  // --modules-from, absolute
    std::optional<std::filesystem::path> out;        // --out, absolute
};

// The request for `tree` at `root`: the options checked against each other
// and the tree kind (bad input saying why), filled with the tree's facts
// (fill_upstream, fill_ubuntu, fill_debian_kernel, fill_quick, fill_distcc),
// and its output dir (default: ../kflavour-out/<label>).
Result<BuildRequest> make_build_request(ProcessRunner& runner, const Os& os, const Reporter& report, const Tree& tree,
                                        const std::filesystem::path& root, const BuildSelection& sel,
                                        const BuildOptions& opt);

}  // namespace kf::sys
