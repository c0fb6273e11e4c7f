#include "base/arch.hpp"

namespace kf {
namespace {

// ELF e_machine values (elf.h), spelled out so no system header is needed.
constexpr uint16_t em_386 = 3, em_ppc64 = 21, em_s390 = 22, em_arm = 40, em_x86_64 = 62, em_aarch64 = 183,
                   em_riscv = 243;

const std::vector<ArchRow>& table() {
    static const std::vector<ArchRow> rows = {
        {"amd64", "x86_64", "x86_64-linux-gnu", em_x86_64, true, "x86-64", {em_386, em_x86_64}},  // i386, x32
        {"arm64", "arm64", "aarch64-linux-gnu", em_aarch64, true, "AArch64", {em_arm}},
        {"i386", "i386", "i686-linux-gnu", em_386, false, "Intel 80386", {}},
        {"armhf", "arm", "arm-linux-gnueabihf", em_arm, false, "ARM", {}},
        {"riscv64", "riscv", "riscv64-linux-gnu", em_riscv, true, "RISC-V", {}},
        {"ppc64el", "powerpc", "powerpc64le-linux-gnu", em_ppc64, true, "PowerPC64", {}},
        {"s390x", "s390", "s390x-linux-gnu", em_s390, true, "IBM S/390", {}},
    };
    return rows;
}

}  // namespace

const ArchRow* arch_row(std::string_view debian_arch) {
    for (const auto& r : table())
        if (r.debian == debian_arch) return &r;
    return nullptr;
}

std::optional<ArchNames> arch_names(std::string_view debian_arch) {
    const ArchRow* row = arch_row(debian_arch);
    if (!row) return std::nullopt;
    return ArchNames{std::string(row->debian), std::string(row->karch), std::string(row->triplet), row->elf_machine};
}

const ArchRow* arch_of_elf(uint16_t machine, bool is64) {
    for (const auto& r : table())
        if (r.elf_machine == machine && r.elf_is64 == is64) return &r;
    return nullptr;
}

}  // namespace kf
