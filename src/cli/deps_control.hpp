// What `deps` and `build` share about a tree's Build-Depends: which file
// holds them, and the :native markings a cross build needs, judged by the
// apt lists inside a cached chroot.
#pragma once

#include "base/error.hpp"
#include "cli/app.hpp"
#include "core/deps_fix.hpp"
#include "sys/chroot.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kf::cli {

// Ubuntu: $DEBIAN/control.stub.in; Debian or any source package: debian/control.
Result<std::filesystem::path> control_file(const std::filesystem::path& tree);

// `text` (the content of `file`) with the :native markings added, judged by
// the apt lists in `chroot` for its own arch; `text` itself when none is needed.
Result<std::string> native_marked_control(const std::filesystem::path& file, const std::string& text,
                                          const sys::ChrootInfo& chroot);

// `text` without the build-dependencies a later release retired
// (templates/retired-build-deps) that the chroot's archive lacks; each one
// left out is added to `dropped`.
Result<std::string> retired_dropped_control(const std::filesystem::path& file, const std::string& text,
                                            const sys::ChrootInfo& chroot, std::vector<RetiredDep>& dropped);

}  // namespace kf::cli
