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
    EXPECT_EQ(arch_row("vax"), nullptr);
}

// One table holds every name an arch has; the kernel's two differ on x86.
TEST(ArchTable, KernelAndQemuNamesComeFromTheSameRow) {
    EXPECT_EQ(arch_row("amd64")->karch, "x86_64");  // make ARCH=x86 tinyconfig would be 32-bit
    EXPECT_EQ(arch_row("amd64")->srcarch, "x86");   // arch/x86, Kconfig's SRCARCH
    EXPECT_EQ(arch_row("amd64")->qemu, "x86_64");
    EXPECT_EQ(arch_row("arm64")->qemu, "aarch64");
    EXPECT_EQ(arch_row("ppc64el")->qemu, "ppc64le");
    EXPECT_EQ(arch_row("powerpc")->qemu, "ppc");
    EXPECT_EQ(arch_row("loong64")->srcarch, "loongarch");
}

// Arches whose configs kflavour reads but builds no kernel for: no build
// names, and their ELF files are no arch verify accepts.
TEST(ArchTable, OnlyBuiltArchesHaveBuildNamesAndElfIdentity) {
    ASSERT_NE(arch_row("mips64el"), nullptr);
    EXPECT_FALSE(arch_row("mips64el")->builds);
    EXPECT_EQ(arch_names("mips64el"), std::nullopt);
    EXPECT_EQ(arch_names("arm64")->triplet, "aarch64-linux-gnu");
    EXPECT_EQ(arch_of_elf(8, true), nullptr);          // MIPS
    EXPECT_EQ(arch_of_elf(21, true)->debian, "ppc64el");  // not big-endian ppc64
    EXPECT_EQ(built_arches_list(), "amd64, arm64, armhf, i386, ppc64el, riscv64, s390x");
    EXPECT_EQ(known_arches_list(),
              "amd64, arm64, armel, armhf, i386, loong64, mips64el, mipsel, powerpc, ppc64, ppc64el, riscv64, s390x");
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
