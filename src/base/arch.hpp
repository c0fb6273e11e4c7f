// The architectures kflavour knows, in one table: the names Debian, the
// kernel (make ARCH, arch/ dir), the GNU toolchain and qemu give each, and its
// ELF identity. Build plans, Kconfig runs, verify's CPU checks, boot, binfmt
// hints and .deb identification all read it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

struct ArchRow {
    std::string_view debian;   // arm64, amd64
    std::string_view karch;    // make ARCH=: arm64, x86_64 (so tinyconfig stays 64-bit)
    std::string_view srcarch;  // the kernel's arch/ dir, Kconfig's SRCARCH: arm64, x86
    std::string_view qemu;     // qemu-user's binfmt name, qemu-system-*'s suffix: aarch64, x86_64
    // kflavour builds and verifies kernels for it. The other rows are arches
    // whose Kconfig and annotations kflavour reads, but builds no kernel for.
    bool builds;
    std::string_view triplet;  // aarch64-linux-gnu
    uint16_t elf_machine;      // ELF e_machine: 183 aarch64, 62 x86-64
    bool elf_is64;
    std::string_view elf_name;  // as readelf says it: AArch64, x86-64
    // The 32-bit ABIs this arch's kernel also runs, whose compat vDSO
    // images `make vdso_install` puts beside the native one.
    std::vector<uint16_t> compat_vdso_machines;
};

// The row of a Debian arch name; nullptr for one kflavour does not know.
const ArchRow* arch_row(std::string_view debian_arch);
// The row of an arch kflavour builds whose ELF identity this is; nullptr for
// another machine.
const ArchRow* arch_of_elf(uint16_t machine, bool is64);
// The Debian names of the rows, sorted and comma-separated: all, or only the
// arches kflavour builds (for messages that list them).
std::string known_arches_list();
std::string built_arches_list();

// A row's names as strings a request owns and argv concatenates
// (BuildRequest::host); not a second table: arch_names copies arch_row's.
struct ArchNames {
    std::string debian;   // arm64, amd64
    std::string karch;    // make ARCH=: arm64, x86_64 (so tinyconfig stays 64-bit)
    std::string triplet;  // aarch64-linux-gnu
    int elf_machine = 0;  // ELF e_machine: 183 aarch64, 62 x86-64
};
// nullopt for an arch kflavour does not build.
std::optional<ArchNames> arch_names(std::string_view debian_arch);

}  // namespace kf
