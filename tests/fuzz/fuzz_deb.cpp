// The .deb reader (libapt-pkg's ar/tar readers behind kflavour's) and the
// Packages index reader: any bytes as a .deb, and as a Packages file.
#include "archive/deb_archive.hpp"
#include "archive/package_index.hpp"
#include "fuzz_check.hpp"

#include <fstream>
#include <unistd.h>

namespace {
std::string scratch(const char* name) {
    return "/dev/shm/kf-fuzz-" + std::to_string(::getpid()) + "-" + name;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string deb = scratch("x.deb"), packages = scratch("Packages");
    for (const auto& path : {deb, packages}) std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data), long(size));
    (void)kf::sys::read_deb(deb);
    (void)kf::sys::PackageIndex::load({packages}, "arm64");
    return 0;
}
