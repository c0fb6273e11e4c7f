// Chroots prepared with a tree's build-dependencies (core/build_deps), kept
// in the chroot cache next to the base they were made from: the second
// build of the same tree finds them and installs nothing.
#pragma once

#include "base/error.hpp"
#include "core/build_deps.hpp"
#include "sys/chroot.hpp"
#include "sys/process.hpp"

#include <filesystem>
#include <string>

namespace kf::sys {

struct PreparedChroot {
    std::string name;
    std::filesystem::path tarball;
    bool reused = false;  // it was in the cache
    double seconds = 0;
};

// The command preparing it, as root or in a user namespace with the
// subuid/subgid ranges (unshare --map-auto): extract the base into `root`,
// put the control file at /tmp/kflavour-build-deps/debian/control, run the
// script inside (with /proc and /dev), and pack the result into `partial`
// (exit 100 when packing fails).
Command prepare_command(const std::filesystem::path& base_tarball, const std::filesystem::path& root,
                        const std::filesystem::path& control_file, const std::string& script,
                        const std::filesystem::path& partial, bool unprivileged);

// The prepared chroot for spec on top of `base`: from the cache, else made
// now. When apt cannot install the build-dependencies, a failure naming
// each unmet package and its chain (apt's own lines), before anything
// compiles. Ctrl-C leaves no tarball behind.
Result<PreparedChroot> prepare_build_deps_chroot(ProcessRunner& runner, const std::filesystem::path& cache,
                                                 const ChrootInfo& base, const BuildDepsSpec& spec,
                                                 const ProcessRunner::OutputSink& log);

}  // namespace kf::sys
