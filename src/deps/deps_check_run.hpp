// `deps check`: can a tree's Build-Depends be satisfied for a cross build,
// judged by a chroot's apt lists (or lists given as a directory), then by
// apt's resolver in that chroot.
#pragma once
#include "base/error.hpp"
#include "base/os.hpp"
#include "base/process.hpp"
#include "deps/control_file.hpp"
#include "deps/deps_check.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf::sys {

struct DepsCheckRequest {
    std::filesystem::path tree;  // whose debian/control is judged
    std::string host;
    ListsChoice lists;
};

struct DepsCheckOutcome {
    std::filesystem::path file;  // the control file judged
    std::string build;       // the build machine's arch
    std::string chroot;      // the chroot judged by, or empty
    std::string apt = "skipped";  // apt's verdict: ok, failed, skipped
    std::vector<DepProblem> problems;
    bool satisfiable() const;
    size_t fatal_count() const;
};

Result<DepsCheckOutcome> check_build_deps(ProcessRunner& runner, const Os& os, const DepsCheckRequest& req);

}  // namespace kf::sys
