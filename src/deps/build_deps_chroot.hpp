// Chroots prepared with a tree's build-dependencies (deps/build_deps), kept
// in the chroot cache next to the base they were made from: the second
// build of the same tree finds them and installs nothing.
#pragma once

#include "base/error.hpp"
#include "deps/build_deps.hpp"
#include "chroot/chroot.hpp"
#include "base/os.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <string>

namespace kf::sys {

struct PreparedChroot {
    std::string name;
    std::filesystem::path tarball;
    bool reused = false;  // it was in the cache
    double seconds = 0;
};

// The prepared chroot for spec on top of `base`: from the cache, else made
// now. When apt cannot install the build-dependencies, a failure naming
// each unmet package and its chain (apt's own lines), before anything
// compiles. Ctrl-C leaves no tarball behind.
Result<PreparedChroot> prepare_build_deps_chroot(ProcessRunner& runner, const Os& os,
                                                 const std::filesystem::path& cache, const ChrootInfo& base,
                                                 const BuildDepsSpec& spec, const ProcessRunner::OutputSink& log);

}  // namespace kf::sys
