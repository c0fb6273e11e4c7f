#include "tree/kernel_version.hpp"
#include "rt/rt_patch.hpp"

#include <gtest/gtest.h>

using namespace kf;

namespace {

const KernelVersion k6_1_192{6, 1, 192};

std::vector<std::string> chosen(const Result<std::vector<RtCandidate>>& r) {
    std::vector<std::string> out;
    for (const auto& c : *r) out.push_back(c.patch.path);
    return out;
}

}  // namespace

TEST(RtPatch, ParsesKernelOrgNames) {
    auto p = parse_rt_patch_name("older/patch-6.1.176-rt64.patch.xz");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->version, (KernelVersion{6, 1, 176}));
    EXPECT_EQ(p->rt, 64);
    EXPECT_FALSE(p->rc);
    EXPECT_EQ(p->compression, "xz");
    auto rc = parse_rt_patch_name("patch-6.2-rc3-rt1.patch.gz");
    ASSERT_TRUE(rc);
    EXPECT_TRUE(rc->rc);
    EXPECT_EQ(rc->version, (KernelVersion{6, 2, 0}));
    EXPECT_EQ(rc->compression, "gz");
    EXPECT_EQ(parse_rt_patch_name("patch-6.1-rt7.patch")->compression, "");
    for (const char* not_one : {"patches-6.1.176-rt64.tar.xz", "patch-6.1.176-rt64.patch.xz.sign", "sha256sums.asc",
                                "patch-6.1.176.patch.xz", "patch-6.1.176-rtX.patch.xz", "patch-6-rt1.patch", "older/"})
        EXPECT_FALSE(parse_rt_patch_name(not_one)) << not_one;
}

TEST(RtPatch, ExactVersionFirst) {
    auto r = rank_rt_patches({"patch-6.1.192-rt70.patch.xz", "older/patch-6.1.190-rt69.patch.xz"}, k6_1_192, "D");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(chosen(r), (std::vector<std::string>{"patch-6.1.192-rt70.patch.xz", "older/patch-6.1.190-rt69.patch.xz"}));
    EXPECT_EQ(r->front().reason, "exact match for Linux 6.1.192");
    EXPECT_EQ(r->back().reason, "next candidate: newest stable RT patch of 6.1 below 6.1.192 (no -rt release exists for 6.1.192)");
}

TEST(RtPatch, NewestLowerSublevelWhenNoExactOne) {
    // The decoys of the e2e: a higher sublevel, an -rc, another minor version.
    auto r = rank_rt_patches({"patch-6.1.200-rt80.patch.xz", "patch-6.2-rc3-rt1.patch.xz", "patch-6.6.30-rt30.patch.xz",
                              "older/patch-6.1.150-rt55.patch.xz", "older/patch-6.1.176-rt64.patch.xz",
                              "older/patch-6.1.176-rt64.patch.xz.sign"},
                             k6_1_192, "D");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(chosen(r), (std::vector<std::string>{"older/patch-6.1.176-rt64.patch.xz", "older/patch-6.1.150-rt55.patch.xz"}));
    EXPECT_EQ(r->front().reason, "newest stable RT patch of 6.1 below 6.1.192 (no -rt release exists for 6.1.192)");
}

TEST(RtPatch, OnlyHigherSublevelIsRefused) {
    auto r = rank_rt_patches({"patch-6.1.200-rt80.patch.xz"}, k6_1_192, "D");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Exit::bad_input);
    EXPECT_EQ(r.error().message, "no usable RT patch for Linux 6.1.192 in D: for 6.1 only release candidates or higher "
                                 "sublevels, which are never applied to an older tree (found: patch-6.1.200-rt80.patch.xz)");
}

TEST(RtPatch, OnlyReleaseCandidatesAreRefused) {
    auto r = rank_rt_patches({"patch-6.1-rc7-rt5.patch.xz"}, KernelVersion{6, 1, 0}, "D");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("only release candidates"), std::string::npos);
}

TEST(RtPatch, HighestRtNumberOfOneVersionFirst) {
    auto r = rank_rt_patches({"older/patch-6.1.176-rt63.patch.xz", "patch-6.1.176-rt64.patch.xz",
                              "older/patch-6.1.176-rt62.patch.gz"},
                             k6_1_192, "D");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(chosen(r), (std::vector<std::string>{"patch-6.1.176-rt64.patch.xz", "older/patch-6.1.176-rt63.patch.xz",
                                                   "older/patch-6.1.176-rt62.patch.gz"}));
    EXPECT_NE(r->front().reason.find("highest -rtN of 6.1.176 first"), std::string::npos);
}

TEST(RtPatch, VendorVersionsMapToTheMakefilesVersion) {
    // Ubuntu 5.4.0-200.220: the package says 5.4.0, the Makefile the real sublevel.
    auto ubuntu = tree_kernel_version("VERSION = 5\nPATCHLEVEL = 4\nSUBLEVEL = 284\nEXTRAVERSION =\nNAME = Kleptomaniac Octopus\n");
    ASSERT_TRUE(ubuntu.ok());
    EXPECT_EQ(ubuntu->text(), "5.4.284");
    auto r = rank_rt_patches({"patch-5.4.0-rt1.patch.xz", "older/patch-5.4.278-rt91.patch.xz"}, *ubuntu, "D");
    EXPECT_EQ(chosen(r).front(), "older/patch-5.4.278-rt91.patch.xz") << "not the 5.4.0 of the package version";
    // Debian 6.1.192-3.
    auto debian = tree_kernel_version("# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\n");
    EXPECT_EQ(debian->text(), "6.1.192");
    EXPECT_FALSE(tree_kernel_version("VERSION = six\nPATCHLEVEL = 1\n").ok());
    EXPECT_EQ(tree_kernel_version("VERSION = 6\nPATCHLEVEL = 12\n")->text(), "6.12.0");
}

TEST(RtPatch, GarbageOrEmptyIndexIsBadInput) {
    auto garbage = index_links("\x89PNG\r\n\x1a\n binary <a href=\"");
    auto r = rank_rt_patches(garbage, k6_1_192, "http://x/rt/6.1/");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "no usable RT patch for Linux 6.1.192 in http://x/rt/6.1/: it lists no "
                                 "patch-X.Y.Z-rtN.patch[.xz|.gz]");
    EXPECT_NE(r.error().hint.find("cdn.kernel.org/pub/linux/kernel/projects/rt/6.1/"), std::string::npos);
    auto other = rank_rt_patches({"patch-6.6.30-rt30.patch.xz"}, k6_1_192, "D");
    EXPECT_NE(other.error().message.find("none for 6.1 (found: patch-6.6.30-rt30.patch.xz)"), std::string::npos);
}

TEST(RtPatch, IndexLinks) {
    // kernel.org's autoindex, abridged.
    const char* html = "<html><head><title>Index of /pub/linux/kernel/projects/rt/6.1/</title></head><body>\n"
                       "<a href=\"../\">../</a>\n<a href=\"older/\">older/</a>\n"
                       "<a href=\"patch-6.1.176-rt64.patch.xz\">patch-6.1.176-rt64.patch.xz</a> 20-Nov-2026 4k\n"
                       "<a href=\"patch-6.1.176-rt64.patch.sign?x=1\">sign</a>\n"
                       "<a href=\"https://elsewhere/patch-6.1.1-rt1.patch.xz\">x</a><a href=\"/abs\">y</a>\n";
    EXPECT_EQ(index_links(html), (std::vector<std::string>{"older/", "patch-6.1.176-rt64.patch.xz", "patch-6.1.176-rt64.patch.sign"}));
}

TEST(RtPatch, PatchedFilesFromADryRun) {
    EXPECT_EQ(patched_files("checking file arch/x86/Kconfig\nHunk #1 succeeded at 3 (offset 1 line).\n"
                            "checking file 'a b.c'\nchecking file arch/x86/Kconfig\nchecking file localversion-rt\n"),
              (std::vector<std::string>{"arch/x86/Kconfig", "a b.c", "localversion-rt"}));
}

TEST(RtPatch, QuiltSeries) {
    auto s = quilt_series("# RT\n0001-a.patch\n\n0002-b.patch -p1\nfeatures/0003-c.patch # why\n", "series");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s, (std::vector<std::string>{"0001-a.patch", "0002-b.patch", "features/0003-c.patch"}));
    EXPECT_EQ(quilt_series("a.patch -p0\n", "series").error().message, "series entry 'a.patch' asks for -p0; kflavour applies with -p1");
    EXPECT_FALSE(quilt_series("../../etc/passwd\n", "series").ok());
    EXPECT_FALSE(quilt_series("# nothing\n", "series").ok());
}

TEST(RtPatch, LocalversionFilesJoinTheRelease) {
    // The RT patch adds localversion-rt; kbuild appends every localversion*
    // file of the tree in name order, its trailing newline cut, backups not.
    EXPECT_EQ(localversion_suffix({{"localversion-rt", "-rt64\n"}, {"localversion-a", "-a"}, {"localversion-rt~", "-old\n"},
                                   {"Makefile", "x"}}),
              "-a-rt64");
    EXPECT_EQ(localversion_suffix({}), "");
}

TEST(RtPatch, CompressionOfAName) {
    EXPECT_EQ(compression_of("older/patch-6.1.176-rt64.patch.xz"), "xz");
    EXPECT_EQ(compression_of("patch-6.1-rt7.patch.gz"), "gz");
    EXPECT_EQ(compression_of("my-rt.patch"), "");
    EXPECT_EQ(compression_of("patch.xz.sign"), "");
}
