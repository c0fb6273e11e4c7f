// A set of .deb files as kflavour verify sees them (control fields, and
// facts about every regular file), and the findings its checks produce.
#pragma once

#include "archive/binary_id.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// The four checks of `kflavour verify`, in the order the table shows them.
enum class Check { complete, installable, cpu, consistent };
inline constexpr Check all_checks[] = {Check::complete, Check::installable, Check::cpu, Check::consistent};
std::string_view check_name(Check check);

struct Finding {
    std::string package;  // the package at fault (or the one missing)
    Check check = Check::complete;
    std::string message;
};

// One regular file of a package's data archive.
struct MemberFacts {
    std::string path;  // absolute: "/usr/src/…"
    uint64_t size = 0;
    std::string md5;  // hex
    std::optional<ElfInfo> elf;
    std::optional<std::string> image_arch;  // kernel images (/boot/vmlinuz-*): the arch their header says, "" unknown
    std::optional<std::string> vermagic;    // kernel modules (.ko) with a .modinfo vermagic
};

struct DebPackage {
    std::filesystem::path file;
    std::string name, version, architecture, multi_arch;
    std::string depends, pre_depends, provides;  // field text, parsed by libapt-pkg where used
    std::string source, maintainer;              // Source (name only; empty: the package's name), Maintainer
    std::optional<std::string> md5sums;          // DEBIAN/md5sums, when the package has one
    std::string data_member;                     // the ar member: data.tar.zst, data.tar.xz, …
    std::vector<MemberFacts> files;
};

// Paths in the data archive that are kernel images or modules.
bool is_kernel_image_path(std::string_view path);  // /boot/vmlinuz-*, /boot/vmlinux-*
bool is_module_path(std::string_view path);        // *.ko under /lib/modules or /usr/lib/modules

}  // namespace kf
