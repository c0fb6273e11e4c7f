#include "archive/binary_id.hpp"

#include "base/arch.hpp"

#include <array>

namespace kf {
namespace {

uint64_t read_uint(std::string_view bytes, size_t offset, size_t width, bool little_endian) {
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) {
        uint64_t byte = static_cast<unsigned char>(bytes[offset + i]);
        v |= little_endian ? byte << (8 * i) : byte << (8 * (width - 1 - i));
    }
    return v;
}

bool has_at(std::string_view bytes, size_t offset, std::string_view magic) {
    return bytes.size() >= offset + magic.size() && bytes.substr(offset, magic.size()) == magic;
}

// The contents of the section called `wanted`, or nullopt.
std::optional<std::string_view> elf_section(std::string_view f, std::string_view wanted) {
    auto elf = elf_header(f);
    if (!elf) return std::nullopt;
    const bool le = elf->little_endian;
    const size_t word = elf->is64 ? 8 : 4;
    const size_t header_size = elf->is64 ? 64 : 52;
    if (f.size() < header_size) return std::nullopt;
    const uint64_t shoff = read_uint(f, elf->is64 ? 0x28 : 0x20, word, le);
    const uint64_t shentsize = read_uint(f, elf->is64 ? 0x3A : 0x2E, 2, le);
    const uint64_t shnum = read_uint(f, elf->is64 ? 0x3C : 0x30, 2, le);
    const uint64_t shstrndx = read_uint(f, elf->is64 ? 0x3E : 0x32, 2, le);
    const size_t min_entsize = elf->is64 ? 64 : 40;
    if (shentsize < min_entsize || shstrndx >= shnum || shoff > f.size() || shnum * shentsize > f.size() - shoff)
        return std::nullopt;
    // Section header fields: sh_name at 0, sh_offset and sh_size after
    // sh_type, sh_flags and sh_addr.
    auto offset_of = [&](uint64_t i) { return read_uint(f, shoff + i * shentsize + (elf->is64 ? 0x18 : 0x10), word, le); };
    auto size_of = [&](uint64_t i) { return read_uint(f, shoff + i * shentsize + (elf->is64 ? 0x20 : 0x14), word, le); };
    auto contents = [&](uint64_t i) -> std::optional<std::string_view> {
        uint64_t off = offset_of(i), size = size_of(i);
        if (off > f.size() || size > f.size() - off) return std::nullopt;
        return f.substr(off, size);
    };
    auto names = contents(shstrndx);
    if (!names) return std::nullopt;
    for (uint64_t i = 0; i < shnum; ++i) {
        uint64_t name_off = read_uint(f, shoff + i * shentsize, 4, le);
        if (name_off >= names->size()) continue;
        std::string_view name = names->substr(name_off);
        name = name.substr(0, name.find('\0'));
        if (name == wanted) return contents(i);
    }
    return std::nullopt;
}

}  // namespace

std::optional<ElfInfo> elf_header(std::string_view head) {
    if (head.size() < 20 || !has_at(head, 0, "\x7f" "ELF")) return std::nullopt;
    ElfInfo info;
    info.is64 = head[4] == 2;
    info.little_endian = head[5] != 2;
    info.machine = static_cast<uint16_t>(read_uint(head, 18, 2, info.little_endian));
    return info;
}

std::string elf_debian_arch(const ElfInfo& elf) {
    const ArchRow* r = arch_of_elf(elf.machine, elf.is64);
    return r ? std::string(r->debian) : "";
}

std::string elf_machine_name(const ElfInfo& elf) {
    const ArchRow* r = arch_of_elf(elf.machine, elf.is64);
    return r ? std::string(r->elf_name) : "machine " + std::to_string(elf.machine) + (elf.is64 ? " (64-bit)" : " (32-bit)");
}

bool elf_runs_on(const ElfInfo& elf, std::string_view arch) {
    std::string own = elf_debian_arch(elf);
    if (own.empty()) return false;
    if (own == "armhf") return arch == "armhf" || arch == "armel";
    if (own == "ppc64el") return elf.little_endian ? arch == "ppc64el" : arch == "ppc64";
    return own == arch;
}

bool is_gzip(std::string_view head) { return has_at(head, 0, "\x1f\x8b"); }

std::string kernel_image_arch(std::string_view head) {
    if (has_at(head, 0x202, "HdrS")) {
        // Boot protocol 2.12+ has xloadflags; bit 0 (XLF_KERNEL_64) marks a 64-bit kernel.
        const uint64_t protocol = head.size() >= 0x208 ? read_uint(head, 0x206, 2, true) : 0;
        if (protocol >= 0x20c && head.size() >= 0x238) return (read_uint(head, 0x236, 2, true) & 1) ? "amd64" : "i386";
        return "i386";
    }
    if (has_at(head, 56, "ARM\x64")) return "arm64";
    if (has_at(head, 56, "RSC\x05")) return "riscv64";
    if (head.size() >= 0x28 && read_uint(head, 0x24, 4, true) == 0x016F2818) return "armhf";
    if (auto elf = elf_header(head)) return elf_debian_arch(*elf);
    // A PE image (EFI zboot "zimg", a plain EFI application): the COFF
    // header's Machine, found through e_lfanew at 0x3c.
    if (has_at(head, 0, "MZ") && head.size() >= 0x40) {
        const uint64_t pe = read_uint(head, 0x3c, 4, true);
        if (pe + 6 <= head.size() && has_at(head, pe, std::string_view("PE\0\0", 4))) {
            switch (read_uint(head, pe + 4, 2, true)) {
                case 0x8664: return "amd64";
                case 0xaa64: return "arm64";
                case 0x5064: return "riscv64";
                case 0x014c: return "i386";
                case 0x01c2:
                case 0x01c4: return "armhf";
            }
        }
    }
    return "";
}

std::optional<std::string> modinfo_vermagic(std::string_view elf_file) {
    auto modinfo = elf_section(elf_file, ".modinfo");
    if (!modinfo) return std::nullopt;
    constexpr std::string_view key = "vermagic=";
    for (size_t start = 0; start < modinfo->size();) {
        size_t end = modinfo->find('\0', start);
        if (end == std::string_view::npos) end = modinfo->size();
        std::string_view entry = modinfo->substr(start, end - start);
        if (entry.substr(0, key.size()) == key) return std::string(entry.substr(key.size()));
        start = end + 1;
    }
    return std::nullopt;
}

std::string vermagic_release(std::string_view vermagic) {
    size_t b = vermagic.find_first_not_of(' ');
    if (b == std::string_view::npos) return "";
    size_t e = vermagic.find(' ', b);
    return std::string(vermagic.substr(b, e == std::string_view::npos ? e : e - b));
}

}  // namespace kf
