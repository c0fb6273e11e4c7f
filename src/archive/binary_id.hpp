// What CPU a file is for, from its first bytes: ELF headers, kernel image
// headers (x86 bzImage, arm64/riscv Image, ARM zImage), and the vermagic a
// kernel module carries in its .modinfo section. Pure: bytes in, facts out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kf {

struct ElfInfo {
    uint16_t machine = 0;  // e_machine
    bool is64 = false;     // ELFCLASS64
    bool little_endian = true;
};

// Bytes needed to classify a file by its head (ELF header, bzImage setup header).
inline constexpr size_t classify_head_size = 0x240;

// The ELF header at the start of `head`, or nullopt when it is not ELF.
std::optional<ElfInfo> elf_header(std::string_view head);

// The Debian architecture an ELF file runs on ("amd64", "arm64", …), or ""
// when kflavour does not know the machine.
std::string elf_debian_arch(const ElfInfo& elf);

// A person's name for the machine: "x86-64", "AArch64", … ("machine 1234" otherwise).
std::string elf_machine_name(const ElfInfo& elf);

// Whether an ELF file runs on Debian architecture `arch` (armel and armhf share EM_ARM).
bool elf_runs_on(const ElfInfo& elf, std::string_view arch);

bool is_gzip(std::string_view head);

// The Debian architecture of a kernel image from its (uncompressed) head:
// x86 bzImage ("HdrS" at 0x202; amd64 when xloadflags says 64-bit), arm64
// Image ("ARM\x64" at 56), riscv64 Image ("RSC\x05" at 56), ARM zImage
// (magic at 0x24), an ELF vmlinux, or a PE image (EFI zboot) by its COFF
// Machine. "" when unknown.
std::string kernel_image_arch(std::string_view head);

// The vermagic string of a kernel module (a whole relocatable ELF file):
// "6.1.192-tickless SMP mod_unload aarch64". nullopt when the file has no
// .modinfo section or no vermagic entry in it.
std::optional<std::string> modinfo_vermagic(std::string_view elf_file);

// The kernel release a vermagic string names (its first word).
std::string vermagic_release(std::string_view vermagic);

}  // namespace kf
