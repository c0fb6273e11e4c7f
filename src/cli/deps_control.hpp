// What `deps` and `build` share about a tree's Build-Depends: which file
// holds them, and the :native markings a cross build needs, judged by the
// apt lists inside a cached chroot.
#pragma once

#include "base/error.hpp"
#include "cli/app.hpp"
#include "deps/deps_fix.hpp"
#include "chroot/chroot.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kf::cli {

// Ubuntu: $DEBIAN/control.stub.in; Debian or any source package: debian/control.
Result<std::filesystem::path> control_file(const std::filesystem::path& tree);

// `text` (the content of `file`) as a build copy needs it, judged by the
// apt lists in `chroot` (extracted once): without the build-dependencies a
// later release retired (templates/retired-build-deps) that the chroot's
// archive lacks, each added to `dropped`; for a cross build, with the
// :native markings added. `text` itself when nothing changes.
Result<std::string> build_copy_control(const sys::Os& os, const std::filesystem::path& file, const std::string& text,
                                       const sys::ChrootInfo& chroot, bool cross, std::vector<RetiredDep>& dropped);

}  // namespace kf::cli
