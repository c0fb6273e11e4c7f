// Facts about the machine kflavour runs on.
#pragma once
#include <string>

namespace kf::sys {

// The native Debian arch: KFLAVOUR_NATIVE_ARCH when set (tests), else libdpkg's.
std::string native_arch();

}  // namespace kf::sys
