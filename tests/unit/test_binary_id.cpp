#include "archive/binary_id.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using namespace kf;

namespace {

void put16(std::string& b, size_t at, uint16_t v) {
    b[at] = char(v & 0xff);
    b[at + 1] = char(v >> 8);
}
void put32(std::string& b, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = char((v >> (8 * i)) & 0xff);
}
void put64(std::string& b, size_t at, uint64_t v) {
    for (int i = 0; i < 8; ++i) b[at + i] = char((v >> (8 * i)) & 0xff);
}

std::string elf_head(bool is64, uint16_t machine) {
    std::string b(64, '\0');
    std::memcpy(b.data(), "\x7f" "ELF", 4);
    b[4] = is64 ? 2 : 1;
    b[5] = 1;  // little endian
    put16(b, 18, machine);
    return b;
}

// A minimal ELF64 relocatable file whose sections are: null, .modinfo, .shstrtab.
std::string module_with_modinfo(const std::string& modinfo) {
    std::string f = elf_head(true, 183);
    const std::string names = std::string("\0.modinfo\0.shstrtab\0", 20);
    const size_t modinfo_off = f.size();
    f += modinfo;
    const size_t names_off = f.size();
    f += names;
    const size_t shoff = f.size();
    f += std::string(3 * 64, '\0');
    put64(f, 0x28, shoff);
    put16(f, 0x3A, 64);
    put16(f, 0x3C, 3);
    put16(f, 0x3E, 2);
    auto section = [&](int i, uint32_t name, uint64_t off, uint64_t size) {
        put32(f, shoff + i * 64, name);
        put64(f, shoff + i * 64 + 0x18, off);
        put64(f, shoff + i * 64 + 0x20, size);
    };
    section(1, 1, modinfo_off, modinfo.size());
    section(2, 10, names_off, names.size());
    return f;
}

}  // namespace

TEST(BinaryId, ElfMachinesMapToDebianArches) {
    auto x86 = elf_header(elf_head(true, 62));
    ASSERT_TRUE(x86);
    EXPECT_EQ(elf_debian_arch(*x86), "amd64");
    EXPECT_EQ(elf_machine_name(*x86), "x86-64");
    EXPECT_TRUE(elf_runs_on(*x86, "amd64"));
    EXPECT_FALSE(elf_runs_on(*x86, "arm64"));
    auto arm = elf_header(elf_head(true, 183));
    ASSERT_TRUE(arm);
    EXPECT_TRUE(elf_runs_on(*arm, "arm64"));
    EXPECT_EQ(elf_machine_name(*arm), "AArch64");
    auto arm32 = elf_header(elf_head(false, 40));
    EXPECT_TRUE(elf_runs_on(*arm32, "armhf"));
    EXPECT_TRUE(elf_runs_on(*arm32, "armel"));
    EXPECT_FALSE(elf_runs_on(*arm32, "arm64"));
}

TEST(BinaryId, NotElf) {
    EXPECT_FALSE(elf_header("#!/bin/sh\necho hi\n"));
    EXPECT_FALSE(elf_header("\x7f" "EL"));
}

TEST(BinaryId, UnknownMachineIsNamedAndRunsNowhere) {
    auto odd = elf_header(elf_head(true, 999));
    ASSERT_TRUE(odd);
    EXPECT_EQ(elf_debian_arch(*odd), "");
    EXPECT_EQ(elf_machine_name(*odd), "machine 999 (64-bit)");
    EXPECT_FALSE(elf_runs_on(*odd, "amd64"));
}

TEST(BinaryId, X86BzImageBitnessFromXloadflags) {
    std::string b(0x240, '\0');
    std::memcpy(&b[0x202], "HdrS", 4);
    put16(b, 0x206, 0x020f);
    put16(b, 0x236, 0x0001);
    EXPECT_EQ(kernel_image_arch(b), "amd64");
    put16(b, 0x236, 0x0000);
    EXPECT_EQ(kernel_image_arch(b), "i386");
}

TEST(BinaryId, Arm64AndRiscvImageMagic) {
    std::string b(64, '\0');
    std::memcpy(&b[56], "ARM\x64", 4);
    EXPECT_EQ(kernel_image_arch(b), "arm64");
    std::memcpy(&b[56], "RSC\x05", 4);
    EXPECT_EQ(kernel_image_arch(b), "riscv64");
}

TEST(BinaryId, PeImageByCoffMachine) {
    // EFI zboot: "MZ", "zimg" at 4, the PE header where e_lfanew points.
    std::string b(0x100, '\0');
    std::memcpy(b.data(), "MZ\0\0zimg", 8);
    put32(b, 0x3c, 0x80);
    std::memcpy(&b[0x80], "PE\0\0", 4);
    put16(b, 0x84, 0xaa64);
    EXPECT_EQ(kernel_image_arch(b), "arm64");
    put16(b, 0x84, 0x8664);
    EXPECT_EQ(kernel_image_arch(b), "amd64");
    put32(b, 0x3c, 0xff0);  // e_lfanew past the head
    EXPECT_EQ(kernel_image_arch(b), "");
}

TEST(BinaryId, UnknownImageAndGzip) {
    EXPECT_EQ(kernel_image_arch(std::string(0x240, 'x')), "");
    EXPECT_TRUE(is_gzip("\x1f\x8b\x08"));
    EXPECT_FALSE(is_gzip("ARM"));
}

TEST(BinaryId, VermagicFromModinfoSection) {
    using namespace std::string_literals;
    auto ko = module_with_modinfo("license=GPL\0vermagic=6.1.192-tickless SMP mod_unload aarch64\0name=x\0"s);
    auto v = modinfo_vermagic(ko);
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, "6.1.192-tickless SMP mod_unload aarch64");
    EXPECT_EQ(vermagic_release(*v), "6.1.192-tickless");
}

TEST(BinaryId, NoVermagic) {
    using namespace std::string_literals;
    EXPECT_FALSE(modinfo_vermagic(module_with_modinfo("license=GPL\0"s)));
    EXPECT_FALSE(modinfo_vermagic(elf_head(true, 183)));  // no section table
    EXPECT_FALSE(modinfo_vermagic("not elf"));
    std::string broken = module_with_modinfo("vermagic=1\0"s);
    broken.resize(broken.size() - 10);  // section table cut short
    EXPECT_FALSE(modinfo_vermagic(broken));
}
