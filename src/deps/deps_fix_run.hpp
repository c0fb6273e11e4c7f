// `deps fix`: the :native markings a cross build needs, added to a tree's
// Build-Depends (deps/deps_fix's rule), judged by the lists ListsChoice
// names; the file is written only when asked.
#pragma once

#include "base/edit_set.hpp"
#include "base/error.hpp"
#include "base/os.hpp"
#include "base/process.hpp"
#include "deps/control_file.hpp"
#include "deps/deps_fix.hpp"

#include <filesystem>
#include <string>

namespace kf::sys {

struct DepsFixRequest {
    std::filesystem::path tree;
    ListsChoice lists;
    std::string build_arch;  // whose lists answer (empty: the chroot's own)
    bool write = false;
};

struct DepsFixOutcome {
    std::filesystem::path file;  // the control file judged
    std::string metadata;        // which lists judged it
    DepsFixPlan plan;
    EditSet edits;  // the file's change (empty: nothing to fix)
    bool written = false;
};

Result<DepsFixOutcome> fix_build_deps(ProcessRunner& runner, const Os& os, const DepsFixRequest& request);

}  // namespace kf::sys
