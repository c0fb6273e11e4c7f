#include "boot/cpio.hpp"

#include <cstdio>

namespace kf {

namespace {

constexpr uint32_t kDirMode = 0040000, kFileMode = 0100000, kLinkMode = 0120000, kCharMode = 0020000;

uint32_t type_bits(CpioEntry::Type t) {
    switch (t) {
        case CpioEntry::Type::directory: return kDirMode;
        case CpioEntry::Type::symlink: return kLinkMode;
        case CpioEntry::Type::char_device: return kCharMode;
        case CpioEntry::Type::file: break;
    }
    return kFileMode;
}

void pad4(std::string& out) {
    while (out.size() % 4) out += '\0';
}

// One record: the 110-byte ASCII header, the NUL-terminated name, the data.
void append_record(std::string& out, uint32_t ino, uint32_t mode, uint32_t nlink, uint32_t rdev_major,
                   uint32_t rdev_minor, const std::string& name, const std::string& data) {
    char header[111];
    std::snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino, mode,
                  0u /*uid*/, 0u /*gid*/, nlink, 0u /*mtime*/, unsigned(data.size()), 0u /*devmajor*/,
                  0u /*devminor*/, rdev_major, rdev_minor, unsigned(name.size() + 1), 0u /*check*/);
    out.append(header, 110);
    out += name;
    out += '\0';
    pad4(out);
    out += data;
    pad4(out);
}

}  // namespace

CpioEntry CpioEntry::directory(std::string path, uint32_t permissions) {
    return {Type::directory, std::move(path), permissions, {}, 0, 0};
}
CpioEntry CpioEntry::file(std::string path, std::string data, uint32_t permissions) {
    return {Type::file, std::move(path), permissions, std::move(data), 0, 0};
}
CpioEntry CpioEntry::symlink(std::string path, std::string target) {
    return {Type::symlink, std::move(path), 0777, std::move(target), 0, 0};
}
CpioEntry CpioEntry::char_device(std::string path, uint32_t major, uint32_t minor, uint32_t permissions) {
    return {Type::char_device, std::move(path), permissions, {}, major, minor};
}

std::string cpio_newc(const std::vector<CpioEntry>& entries) {
    std::string out;
    uint32_t ino = 1;
    for (const auto& e : entries) {
        const bool has_data = e.type == CpioEntry::Type::file || e.type == CpioEntry::Type::symlink;
        append_record(out, ino++, type_bits(e.type) | (e.permissions & 07777),
                      e.type == CpioEntry::Type::directory ? 2 : 1, e.dev_major, e.dev_minor, e.path,
                      has_data ? e.data : std::string());
    }
    append_record(out, 0, 0, 1, 0, 0, "TRAILER!!!", {});
    return out;
}

}  // namespace kf
