// The cpio "newc" format (what the kernel unpacks as an initramfs): entries
// in, archive bytes out. Pure: the caller reads the files and compresses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kf {

struct CpioEntry {
    enum class Type { directory, file, symlink, char_device };
    Type type = Type::file;
    std::string path;       // inside the archive, without a leading '/': "bin/busybox"
    uint32_t permissions = 0644;  // the low 12 bits of st_mode
    std::string data;       // file contents, or the symlink's target
    uint32_t dev_major = 0;  // char_device
    uint32_t dev_minor = 0;

    static CpioEntry directory(std::string path, uint32_t permissions = 0755);
    static CpioEntry file(std::string path, std::string data, uint32_t permissions = 0644);
    static CpioEntry symlink(std::string path, std::string target);
    static CpioEntry char_device(std::string path, uint32_t major, uint32_t minor, uint32_t permissions = 0600);
};

// The archive: each entry (owner root, mtime 0, inode numbers 1, 2, …), then
// the TRAILER!!! record. Headers and data are padded to 4 bytes as newc wants.
std::string cpio_newc(const std::vector<CpioEntry>& entries);

}  // namespace kf
