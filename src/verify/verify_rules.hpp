// The pure rules of `kflavour verify`: which packages of a kernel build must
// come together (Ubuntu's and `make bindeb-pkg`'s naming), which CPU the
// set is for, and whether each package's files fit it. Installability needs
// libapt-pkg and libdpkg and lives in archive/package_index.
#pragma once

#include "archive/deb_set.hpp"

#include <set>
#include <string>
#include <vector>

namespace kf {

// A kernel release built into the set: "5.4.0-200-tickless" (Ubuntu naming:
// ABI "5.4.0-200", flavour "tickless") or "6.1.192-tickless" (upstream).
struct KernelRelease {
    std::string release;
    bool ubuntu = false;
    bool debian = false;  // Debian's own kernel packaging (the set has linux-kbuild-M.m)
    std::string abi;      // Ubuntu and Debian: the release without its flavour (5.4.0-200, 6.1.0-53)
};

// The releases the set's package names mention (image, modules, headers,
// tools, buildinfo packages), each once, in name order.
std::vector<KernelRelease> kernel_releases(const std::vector<DebPackage>& set);

// Missing companions of each release, and versions that disagree with the
// image's (a set is one build: every package has the image's version).
std::vector<Finding> check_complete(const std::vector<DebPackage>& set);

// The architecture the set is for when --host is not given: its kernel
// image package's, else the most common one that is not "all"; "" if none.
std::string native_arch_of(const std::vector<DebPackage>& set);

// Architecture fields other than `host` and "all"; ELF files (outside
// firmware) that do not run on `host`; kernel images for another CPU.
std::vector<Finding> check_cpu(const DebPackage& package, const std::string& host);

// The releases of the set's kernel images (from /boot/vmlinuz-REL).
std::set<std::string> image_releases(const std::vector<DebPackage>& set);

// The device trees the set's kernel image packages carry, as kbuild names
// them under the install directory: "broadcom/bcm2711-rpi-4-b.dtb" (from
// /usr/lib/linux-image-REL/…, /boot/dtbs/REL/… or
// /lib/firmware/REL/device-tree/…), sorted.
std::vector<std::string> device_trees(const std::vector<DebPackage>& set);

// `verify --dtb NAME`: each name ("bcm2711-rpi-4-b", "broadcom/bcm2711-rpi-4-b"
// or with ".dtb") must be one of `trees` (by path or file name); a missing
// one is a `complete` finding of the image package.
std::vector<Finding> check_device_trees(const std::vector<DebPackage>& set, const std::vector<std::string>& trees,
                                        const std::vector<std::string>& wanted);

// DEBIAN/md5sums against the files' md5, and module vermagic against the
// release the module is installed for and the set's images.
std::vector<Finding> check_consistent(const DebPackage& package, const std::set<std::string>& images);

}  // namespace kf
