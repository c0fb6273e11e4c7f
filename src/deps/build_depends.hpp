// Build-Depends of a control file (control.stub.in or debian/control), parsed
// with libapt-pkg (pkgTagSection, debListParser::ParseDepends), with the byte
// span of every relation so that edits keep the rest of the file as it is.
#pragma once

#include "deps/deps_fix.hpp"
#include "base/error.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kf::sys {

// The Build-Depends and Build-Depends-Arch fields of the first (source)
// paragraph of `text`. Build-Depends-Indep is not read: a cross build builds
// only the architecture-dependent packages. `file` is for messages. Each
// atom's `applies` says whether its arch list and restrictions select it for
// `host_arch` with no build profile active (libapt-pkg decides).
Result<std::vector<DepField>> parse_build_depends(const std::string& text, const std::string& file,
                                                  const std::string& host_arch = "amd64");

// The source paragraph's Build-Depends, Build-Depends-Arch and
// Build-Depends-Indep values (those present, in that order), as written.
Result<std::vector<std::pair<std::string, std::string>>> build_depends_fields(const std::string& text,
                                                                             const std::string& file);

}  // namespace kf::sys
