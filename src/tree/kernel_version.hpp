// What a kernel tree says its version is: the top Makefile's fields and
// the localversion* files, read as kbuild reads them.
#pragma once
#include "base/error.hpp"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kf {

// The first VERSION, PATCHLEVEL, SUBLEVEL and EXTRAVERSION assignments of a
// kernel's top Makefile, as written (the ones present).
std::map<std::string, std::string> makefile_version_fields(std::string_view makefile);

// "6.1.192" from a kernel's top Makefile (VERSION, PATCHLEVEL, SUBLEVEL, EXTRAVERSION).
Result<std::string> kernel_version_from_makefile(std::string_view makefile);

// What the tree's localversion* files add to the release, as kbuild's
// setlocalversion does: their contents, trailing newlines cut, in name
// order, backup files (with '~') left out. The RT patch's localversion-rt
// ("-rt64") makes 6.1.192 a 6.1.192-rt64 kernel.
std::string localversion_suffix(std::vector<std::pair<std::string, std::string>> files);

}  // namespace kf
