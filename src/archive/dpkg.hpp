// libdpkg wrappers: Debian version syntax and ordering.
#pragma once

#include "base/error.hpp"

#include <string>
#include <string_view>

namespace kf::sys {

// Parse a Debian version with libdpkg; bad input with dpkg's reason otherwise.
Status check_version(std::string_view version);

// <0, 0, >0 as dpkg --compare-versions orders them. Both must be valid.
int compare_versions(std::string_view a, std::string_view b);

}  // namespace kf::sys
