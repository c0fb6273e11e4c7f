// build's decisions before the plan (build/build_setup), on strings and small
// trees: the mode, the suite, the label, the compression, the chroot spec.
#include "build/build_setup.hpp"

#include "temp_dir.hpp"
#include "test_doubles.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace kf::sys {
namespace {
namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(BuildMode, HostCrossesArchEmulatesNeitherIsNative) {
    auto cross = select_build_mode("amd64", "arm64", "", false).value();
    EXPECT_EQ(cross.mode, BuildMode::cross);
    EXPECT_EQ(cross.build_arch, "amd64");
    EXPECT_EQ(cross.host.debian, "arm64");
    auto emulated = select_build_mode("amd64", "", "arm64", false).value();
    EXPECT_EQ(emulated.mode, BuildMode::emulated);
    EXPECT_EQ(emulated.build_arch, "arm64");  // everything runs in the arm64 chroot
    EXPECT_EQ(select_build_mode("amd64", "amd64", "", false).value().mode, BuildMode::native);
    EXPECT_EQ(select_build_mode("arm64", "", "", true).value().host.debian, "arm64");
}

TEST(BuildMode, ConflictingOrUnknownArchesAreBadInput) {
    EXPECT_THAT(select_build_mode("amd64", "arm64", "armhf", false).error().message, HasSubstr("exclude each other"));
    EXPECT_THAT(select_build_mode("amd64", "arm64", "", true).error().message, HasSubstr("--native excludes"));
    auto unknown = select_build_mode("amd64", "vax", "", false);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, Exit::bad_input);
    EXPECT_THAT(unknown.error().message, HasSubstr("unknown arch 'vax'"));
}

TEST(BuildSuite, TheChangelogsDistributionUnstableIsSid) {
    test::TempDir dir{"kf-build-setup"};
    fs::create_directories(dir.path / "debian");
    Tree tree;
    tree.kind = TreeKind::debian;
    tree.root = dir.path;
    auto write_changelog = [&](const std::string& dist) {
        std::ofstream(dir.path / "debian" / "changelog")
            << "linux (6.1.187-1) " << dist << "; urgency=medium\n\n  * x\n\n"
            << " -- A B <a@example.org>  Tue, 14 Nov 2023 22:13:20 +0000\n";
    };
    write_changelog("bookworm-security");
    EXPECT_EQ(default_build_suite(tree), "bookworm-security");
    write_changelog("unstable");
    EXPECT_EQ(default_build_suite(tree), "sid");
    write_changelog("UNRELEASED");
    EXPECT_EQ(default_build_suite(tree), native_suite());
}

TEST(BuildLabel, FlavoursFeaturesetOtherThanNoneAndHost) {
    BuildRequest req;
    req.host = *arch_names("arm64");
    req.flavours = {"tickless"};
    EXPECT_EQ(build_label(req, "/src/linux"), "tickless-arm64");
    req.debian_flavour = DebianFlavourBuild{};
    req.debian_flavour->featureset = "rt";
    EXPECT_EQ(build_label(req, "/src/linux"), "tickless-rt-arm64");
    req.flavours.clear();
    req.debian_flavour.reset();
    EXPECT_EQ(build_label(req, "/src/hello"), "hello-arm64");
}

TEST(DebCompression, GivenElseWhatBothDpkgsKnow) {
    EXPECT_EQ(deb_compression(std::string("xz"), "bookworm", "bookworm"), "xz");
    EXPECT_EQ(deb_compression(std::nullopt, "bookworm", "trixie"), "zstd");
    EXPECT_EQ(deb_compression(std::nullopt, "bookworm", "jammy"), "zstd");
    // focal's and buster's dpkg cannot read zstd: dpkg-deb's default for their sets.
    EXPECT_EQ(deb_compression(std::nullopt, "bookworm", "focal"), "");
    EXPECT_EQ(deb_compression(std::nullopt, "bookworm", "buster"), "");
}

TEST(BuildChrootSpec, IncludesFollowTheTreeKindAndTheCompileTools) {
    BuildRequest req;
    req.kind = TreeKind::upstream;
    req.mode = BuildMode::cross;
    req.build_arch = "amd64";
    req.host = *arch_names("arm64");
    req.ccache_dir = "/cache/ccache";
    auto spec = build_chroot_spec(req, "bookworm", "amd64", "");
    EXPECT_EQ(spec.arch, "amd64");
    EXPECT_THAT(spec.hosts, ElementsAre("arm64"));
    EXPECT_FALSE(spec.qemu);
    EXPECT_THAT(spec.includes, ::testing::IsSupersetOf({"bc", "debhelper", "libssl-dev:arm64", "ccache"}));
    EXPECT_EQ(spec.name, default_name(spec));

    req.kind = TreeKind::debian;  // Debian trees bring their own Build-Depends
    req.mode = BuildMode::emulated;
    req.ccache_dir.reset();
    spec = build_chroot_spec(req, "bookworm", "amd64", "");
    EXPECT_TRUE(spec.includes.empty());
    EXPECT_EQ(spec.arch, "arm64");
    EXPECT_TRUE(spec.qemu);
}

// reproduce.sh enters the chroot by running this very binary again (the
// Os seam's executable), unless $KFLAVOUR_SELF names another.
TEST(BuildReentry, TheRunningBinaryUnlessKflavourSelfSaysOtherwise) {
    test::FakeOs os;
    os.self = "/opt/kflavour/bin/kflavour";
    EXPECT_EQ(kflavour_reentry(os), "/opt/kflavour/bin/kflavour");
    os.environment["KFLAVOUR_SELF"] = "";
    EXPECT_EQ(kflavour_reentry(os), "/opt/kflavour/bin/kflavour");
    os.environment["KFLAVOUR_SELF"] = "/tmp/kflavour-wrapper";
    EXPECT_EQ(kflavour_reentry(os), "/tmp/kflavour-wrapper");
}

}  // namespace
}  // namespace kf::sys
