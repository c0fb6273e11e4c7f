#include "boot/cpio.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

using namespace kf;

namespace {

struct Parsed {
    std::string name;
    unsigned long ino, mode, nlink, filesize, rdevmajor, rdevminor;
    std::string data;
};

unsigned long field(const std::string& s, size_t at, int index) {
    return std::strtoul(s.substr(at + 6 + size_t(index) * 8, 8).c_str(), nullptr, 16);
}

// An independent reader of the newc layout (what the kernel's
// init/initramfs.c expects): 110-byte header, name + NUL padded to 4, data padded to 4.
std::vector<Parsed> parse(const std::string& archive) {
    std::vector<Parsed> out;
    size_t at = 0;
    while (at + 110 <= archive.size()) {
        EXPECT_EQ(archive.substr(at, 6), "070701") << "magic at offset " << at;
        EXPECT_EQ(at % 4, 0u) << "record not 4-aligned";
        Parsed p;
        p.ino = field(archive, at, 0);
        p.mode = field(archive, at, 1);
        p.nlink = field(archive, at, 4);
        p.filesize = field(archive, at, 6);
        p.rdevmajor = field(archive, at, 9);
        p.rdevminor = field(archive, at, 10);
        unsigned long namesize = field(archive, at, 11);
        p.name = archive.substr(at + 110, namesize - 1);
        EXPECT_EQ(archive[at + 110 + namesize - 1], '\0');
        size_t data_at = (at + 110 + namesize + 3) & ~size_t(3);
        p.data = archive.substr(data_at, p.filesize);
        at = (data_at + p.filesize + 3) & ~size_t(3);
        out.push_back(p);
        if (p.name == "TRAILER!!!") break;
    }
    EXPECT_EQ(at, archive.size()) << "bytes after the trailer";
    return out;
}

}  // namespace

TEST(Cpio, EmptyArchiveIsTheTrailer) {
    std::string a = cpio_newc({});
    // 110 + "TRAILER!!!\0" (11) = 121, padded to 124.
    ASSERT_EQ(a.size(), 124u);
    EXPECT_EQ(a.substr(0, 110), "070701"
                                "00000000"  // ino
                                "00000000"  // mode
                                "00000000"
                                "00000000"
                                "00000001"  // nlink
                                "00000000"
                                "00000000"  // filesize
                                "00000000"
                                "00000000"
                                "00000000"
                                "00000000"
                                "0000000B"  // namesize
                                "00000000");
}

TEST(Cpio, EntriesRoundTrip) {
    std::string odd(5, 'x');  // data needing padding
    auto a = cpio_newc({CpioEntry::directory("bin"), CpioEntry::file("bin/busybox", odd, 0755),
                        CpioEntry::symlink("bin/sh", "busybox"), CpioEntry::char_device("dev/console", 5, 1),
                        CpioEntry::file("init", "#!/bin/busybox sh\n", 0755)});
    auto p = parse(a);
    ASSERT_EQ(p.size(), 6u);
    EXPECT_EQ(p[0].name, "bin");
    EXPECT_EQ(p[0].mode, 040755u);
    EXPECT_EQ(p[0].nlink, 2u);
    EXPECT_EQ(p[1].name, "bin/busybox");
    EXPECT_EQ(p[1].mode, 0100755u);
    EXPECT_EQ(p[1].data, odd);
    EXPECT_EQ(p[2].mode, 0120777u);
    EXPECT_EQ(p[2].data, "busybox");
    EXPECT_EQ(p[3].name, "dev/console");
    EXPECT_EQ(p[3].mode, 020600u);
    EXPECT_EQ(p[3].filesize, 0u);
    EXPECT_EQ(p[3].rdevmajor, 5u);
    EXPECT_EQ(p[3].rdevminor, 1u);
    EXPECT_EQ(p[4].data, "#!/bin/busybox sh\n");
    EXPECT_EQ(p[5].name, "TRAILER!!!");
    for (size_t i = 0; i + 1 < p.size(); ++i) EXPECT_EQ(p[i].ino, i + 1) << "distinct inode numbers";
}
