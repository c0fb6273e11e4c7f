#include "archive/suites.hpp"

#include <gtest/gtest.h>

using namespace kf;

TEST(Suites, DistroByCodenameIgnoringPocket) {
    EXPECT_EQ(distro_of("focal"), Distro::ubuntu);
    EXPECT_EQ(distro_of("noble-updates"), Distro::ubuntu);
    EXPECT_EQ(distro_of("bookworm-backports"), Distro::debian);
    EXPECT_EQ(distro_of("somethingnew"), Distro::debian);
}

// zstd only where the target's dpkg unpacks it; older and unknown suites
// keep dpkg-deb's default.
TEST(Suites, DefaultCompressionFollowsTheTargetsDpkg) {
    EXPECT_EQ(default_deb_compression("bookworm"), "zstd");
    EXPECT_EQ(default_deb_compression("trixie"), "zstd");
    EXPECT_EQ(default_deb_compression("sid"), "zstd");
    EXPECT_EQ(default_deb_compression("unstable"), "zstd");
    EXPECT_EQ(default_deb_compression("bookworm-backports"), "zstd");
    EXPECT_EQ(default_deb_compression("jammy"), "zstd");
    EXPECT_EQ(default_deb_compression("noble"), "zstd");
    EXPECT_EQ(default_deb_compression("bullseye"), "");
    EXPECT_EQ(default_deb_compression("buster"), "");
    EXPECT_EQ(default_deb_compression("focal"), "");
    EXPECT_EQ(default_deb_compression("focal-updates"), "");
    EXPECT_EQ(default_deb_compression("somethingnew"), "");
}

TEST(Suites, CompressorsDpkgDebTakes) {
    for (const char* t : {"zstd", "xz", "gzip", "none"}) EXPECT_TRUE(valid_deb_compression(t)) << t;
    for (const char* t : {"", "bzip2", "lzma", "ZSTD"}) EXPECT_FALSE(valid_deb_compression(t)) << t;
}
