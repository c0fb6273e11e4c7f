#include "base/host.hpp"

#define LIBDPKG_VOLATILE_API 1
extern "C" {
#include <dpkg/arch.h>
}

#include <cstdlib>

namespace kf::sys {

std::string native_arch() {
    if (const char* v = std::getenv("KFLAVOUR_NATIVE_ARCH"); v && *v) return v;
    const dpkg_arch* a = dpkg_arch_get(DPKG_ARCH_NATIVE);
    return a && a->name ? a->name : "";
}

}  // namespace kf::sys
