#include "base/arch.hpp"

#include <gtest/gtest.h>

namespace kf {
namespace {

TEST(ArchTable, EachArchHasItsToolchainAndElfNames) {
    const ArchRow* arm64 = arch_row("arm64");
    ASSERT_NE(arm64, nullptr);
    EXPECT_EQ(arm64->karch, "arm64");
    EXPECT_EQ(arm64->triplet, "aarch64-linux-gnu");
    EXPECT_EQ(arm64->elf_machine, 183);
    EXPECT_EQ(arch_row("amd64")->karch, "x86_64");
    EXPECT_EQ(arch_row("i386")->triplet, "i686-linux-gnu");
    EXPECT_EQ(arch_row("mips64el"), nullptr);
}

TEST(ArchTable, ElfIdentityNamesTheArchByMachineAndClass) {
    ASSERT_NE(arch_of_elf(62, true), nullptr);
    EXPECT_EQ(arch_of_elf(62, true)->debian, "amd64");
    EXPECT_EQ(arch_of_elf(62, true)->elf_name, "x86-64");
    EXPECT_EQ(arch_of_elf(40, false)->debian, "armhf");
    // x32 (x86-64 machine, 32-bit class) and an unknown machine are no Debian arch here.
    EXPECT_EQ(arch_of_elf(62, false), nullptr);
    EXPECT_EQ(arch_of_elf(9999, true), nullptr);
}

TEST(ArchTable, CompatVdsosAreThe32BitAbisTheKernelRuns) {
    EXPECT_EQ(arch_row("amd64")->compat_vdso_machines, (std::vector<uint16_t>{3, 62}));
    EXPECT_EQ(arch_row("arm64")->compat_vdso_machines, (std::vector<uint16_t>{40}));
    EXPECT_TRUE(arch_row("riscv64")->compat_vdso_machines.empty());
}

}  // namespace
}  // namespace kf
