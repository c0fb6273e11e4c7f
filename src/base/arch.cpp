#include "base/arch.hpp"

#include <algorithm>

namespace kf {
namespace {

// ELF e_machine values (elf.h), spelled out so no system header is needed.
constexpr uint16_t em_386 = 3, em_mips = 8, em_ppc = 20, em_ppc64 = 21, em_s390 = 22, em_arm = 40, em_x86_64 = 62,
                   em_aarch64 = 183, em_riscv = 243, em_loongarch = 258;
constexpr bool builds = true, reads = false;

// Rows that build come first: arch_of_elf takes the first row of a machine.
const std::vector<ArchRow>& table() {
    static const std::vector<ArchRow> rows = {
        // debian, make ARCH, arch/ dir, qemu, builds, triplet, ELF machine, 64-bit, readelf's name, compat vDSOs
        // amd64's compat vDSOs: i386 and x32.
        {"amd64", "x86_64", "x86", "x86_64", builds, "x86_64-linux-gnu", em_x86_64, true, "x86-64", {em_386, em_x86_64}},
        {"arm64", "arm64", "arm64", "aarch64", builds, "aarch64-linux-gnu", em_aarch64, true, "AArch64", {em_arm}},
        {"i386", "i386", "x86", "i386", builds, "i686-linux-gnu", em_386, false, "Intel 80386", {}},
        {"armhf", "arm", "arm", "arm", builds, "arm-linux-gnueabihf", em_arm, false, "ARM", {}},
        {"riscv64", "riscv", "riscv", "riscv64", builds, "riscv64-linux-gnu", em_riscv, true, "RISC-V", {}},
        {"ppc64el", "powerpc", "powerpc", "ppc64le", builds, "powerpc64le-linux-gnu", em_ppc64, true, "PowerPC64", {}},
        {"s390x", "s390", "s390", "s390x", builds, "s390x-linux-gnu", em_s390, true, "IBM S/390", {}},
        {"armel", "arm", "arm", "arm", reads, "arm-linux-gnueabi", em_arm, false, "ARM", {}},
        {"ppc64", "powerpc", "powerpc", "ppc64", reads, "powerpc64-linux-gnu", em_ppc64, true, "PowerPC64", {}},
        {"powerpc", "powerpc", "powerpc", "ppc", reads, "powerpc-linux-gnu", em_ppc, false, "PowerPC", {}},
        {"mips64el", "mips", "mips", "mips64el", reads, "mips64el-linux-gnuabi64", em_mips, true, "MIPS R3000", {}},
        {"mipsel", "mips", "mips", "mipsel", reads, "mipsel-linux-gnu", em_mips, false, "MIPS R3000", {}},
        {"loong64", "loongarch", "loongarch", "loongarch64", reads, "loongarch64-linux-gnu", em_loongarch, true,
         "LoongArch", {}},
    };
    return rows;
}

std::string sorted_list(bool only_built) {
    std::vector<std::string_view> names;
    for (const auto& r : table())
        if (r.builds || !only_built) names.push_back(r.debian);
    std::sort(names.begin(), names.end());
    std::string out;
    for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

}  // namespace

const ArchRow* arch_row(std::string_view debian_arch) {
    for (const auto& r : table())
        if (r.debian == debian_arch) return &r;
    return nullptr;
}

std::optional<ArchNames> arch_names(std::string_view debian_arch) {
    const ArchRow* row = arch_row(debian_arch);
    if (!row || !row->builds) return std::nullopt;
    return ArchNames{std::string(row->debian), std::string(row->karch), std::string(row->triplet), row->elf_machine};
}

const ArchRow* arch_of_elf(uint16_t machine, bool is64) {
    for (const auto& r : table())
        if (r.builds && r.elf_machine == machine && r.elf_is64 == is64) return &r;
    return nullptr;
}

std::string known_arches_list() { return sorted_list(false); }
std::string built_arches_list() { return sorted_list(true); }

}  // namespace kf
