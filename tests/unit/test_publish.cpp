// The publish stage's pure parts: which kernel a set carries, the next
// repository state (replace, --keep, cmdline), the made packages, the
// apt-ftparchive plan and argv, the client's sources file.
#include "publish/client_config.hpp"
#include "publish/index_plan.hpp"
#include "publish/repo_state.hpp"
#include "archive/dpkg.hpp"
#include "base/fs.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace kf::publish {
namespace {

bool less(const std::string& a, const std::string& b) { return sys::compare_versions(a, b) < 0; }

SetPackage pkg(std::string name, std::string version = "6.1.192-1", std::string arch = "amd64") {
    return {std::move(name), std::move(version), std::move(arch), "linux-upstream", "T <t@example.com>"};
}

PublishedSet set_of(const std::string& version, const std::string& flavour = "tickless", const std::string& arch = "amd64") {
    const std::string rel = version.substr(0, version.find('-')) + "-" + flavour;
    PublishedSet s{"bookworm", "main", flavour, arch, version, rel, {"linux-image-" + rel}, {"linux-headers-" + rel},
                   "T <t@example.com>", {}};
    s.files.push_back({pool_path("main", "linux-upstream", "linux-image-" + rel, version, arch), "linux-image-" + rel,
                       version, arch, "00"});
    return s;
}

TEST(KernelOfSet, UpstreamSetWithTheManifestsFlavour) {
    auto k = kernel_of_set({pkg("linux-image-6.1.192-tickless"), pkg("linux-headers-6.1.192-tickless"), pkg("linux-libc-dev")},
                           {"tickless"});
    ASSERT_TRUE(k.ok()) << k.error().message;
    EXPECT_EQ(k->release, "6.1.192-tickless");
    EXPECT_EQ(k->flavour, "tickless");
    EXPECT_EQ(k->arch, "amd64");
    EXPECT_EQ(k->image_packages, std::vector<std::string>{"linux-image-6.1.192-tickless"});
    EXPECT_EQ(k->header_packages, std::vector<std::string>{"linux-headers-6.1.192-tickless"});
}

TEST(KernelOfSet, UbuntuSetImageAndModulesWithoutAManifest) {
    const std::string v = "5.4.0-200.220+tickless1";
    auto k = kernel_of_set({pkg("linux-image-unsigned-5.4.0-200-tickless", v), pkg("linux-modules-5.4.0-200-tickless", v),
                            pkg("linux-headers-5.4.0-200-tickless", v), pkg("linux-headers-5.4.0-200", v, "all"),
                            pkg("linux-image-unsigned-5.4.0-200-tickless-dbgsym", v)},
                           {});
    ASSERT_TRUE(k.ok()) << k.error().message;
    EXPECT_EQ(k->flavour, "tickless");
    EXPECT_EQ(k->image_packages,
              (std::vector<std::string>{"linux-image-unsigned-5.4.0-200-tickless", "linux-modules-5.4.0-200-tickless"}));
}

TEST(KernelOfSet, DebianFlavourAfterTheAbi) {
    auto k = kernel_of_set({pkg("linux-image-6.1.0-28-rt-amd64-unsigned", "6.1.119-1")}, {});
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(k->release, "6.1.0-28-rt-amd64");
    EXPECT_EQ(k->flavour, "rt-amd64");
}

TEST(KernelOfSet, FlavourOfAReleaseWithoutAManifest) {
    auto flavour = [](const std::string& image) {
        auto k = kernel_of_set({pkg(image)}, {});
        return k.ok() ? k->flavour : "error: " + k.error().message;
    };
    EXPECT_EQ(flavour("linux-image-6.1.192-tickless"), "tickless");
    EXPECT_EQ(flavour("linux-image-5.4.0-200-lowlatency-hz1000"), "lowlatency-hz1000");
    EXPECT_EQ(flavour("linux-image-6.1.192-1rt"), "1rt");
    EXPECT_EQ(flavour("linux-image-6.1.192"), "error: cannot tell the flavour of kernel release '6.1.192'");
    EXPECT_EQ(flavour("linux-image-6.1.192-Tickless"), "error: cannot tell the flavour of kernel release '6.1.192-Tickless'");
}

TEST(KernelOfSet, RefusesNoImageAndTwoKernels) {
    EXPECT_FALSE(kernel_of_set({pkg("linux-libc-dev")}, {}).ok());
    auto two = kernel_of_set({pkg("linux-image-6.1.192-tickless"), pkg("linux-image-6.1.192-lowlatency")}, {});
    ASSERT_FALSE(two.ok());
    EXPECT_NE(two.error().message.find("several kernels"), std::string::npos);
}

TEST(PoolPath, FirstLetterOrLibAndNoEpoch) {
    EXPECT_EQ(pool_path("main", "linux-upstream", "linux-image-x", "1:2.0-1", "arm64"),
              "pool/main/l/linux-upstream/linux-image-x_2.0-1_arm64.deb");
    EXPECT_EQ(pool_path("main", "libfoo", "libfoo1", "1", "all"), "pool/main/libf/libfoo/libfoo1_1_all.deb");
}

TEST(WithSet, SameVersionReplacesAndKeepDropsTheOldest) {
    RepoState st;
    st = with_set(st, set_of("6.1.192-1"), std::nullopt, less);
    st = with_set(st, set_of("6.1.193-1"), std::nullopt, less);
    st = with_set(st, set_of("6.1.192-1", "lowlatency"), std::nullopt, less);
    ASSERT_EQ(st.sets.size(), 3u);
    auto again = with_set(st, set_of("6.1.193-1"), std::nullopt, less);
    EXPECT_EQ(again, st);
    auto kept = with_set(st, set_of("6.1.194-1"), 1, less);
    std::vector<std::string> left;
    for (const auto& s : kept.sets) left.push_back(s.flavour + " " + s.version);
    EXPECT_EQ(left, (std::vector<std::string>{"lowlatency 6.1.192-1", "tickless 6.1.194-1"}));
    // Versions compare as dpkg does: 6.1.10 is newer than 6.1.9.
    auto dpkg_order = with_set(with_set(RepoState{}, set_of("6.1.10-1"), 1, less), set_of("6.1.9-1"), 1, less);
    ASSERT_EQ(dpkg_order.sets.size(), 1u);
    EXPECT_EQ(dpkg_order.sets[0].version, "6.1.10-1");
}

TEST(WithCmdline, VersionGrowsOnlyWhenTheArgumentsChange) {
    RepoState st = with_cmdline({}, "bookworm", "main", "tickless", "nohz_full=1-3");
    ASSERT_EQ(st.cmdlines.size(), 1u);
    EXPECT_EQ(st.cmdlines[0].version, 1);
    EXPECT_EQ(with_cmdline(st, "bookworm", "main", "tickless", "nohz_full=1-3"), st);
    EXPECT_EQ(with_cmdline(st, "bookworm", "main", "tickless", "nohz_full=2-3").cmdlines[0].version, 2);
    EXPECT_TRUE(with_cmdline(st, "bookworm", "main", "tickless", "").cmdlines.empty());
    EXPECT_FALSE(check_cmdline("a=\"b\"").ok());
    EXPECT_FALSE(check_cmdline("a=$(reboot)").ok());
    EXPECT_FALSE(check_cmdline("a\nb").ok());
    EXPECT_TRUE(check_cmdline("nohz_full=1-7 rcu_nocbs=1-7 isolcpus=domain,managed_irq,1-7").ok());
}

TEST(MadePackages, MetasFollowTheNewestSetOfEachFlavourAndArch) {
    RepoState st;
    st = with_set(st, set_of("6.1.193-1"), std::nullopt, less);
    st = with_set(st, set_of("6.1.192-1"), std::nullopt, less);
    st = with_cmdline(st, "bookworm", "main", "tickless", "nohz_full=1-3");
    const auto made = made_packages(st, less);
    ASSERT_EQ(made.size(), 4u);
    EXPECT_EQ(made[0].name, "linux-image-tickless");
    EXPECT_EQ(made[0].version, "6.1.193-1");
    EXPECT_NE(made[0].control.find("\nDepends: linux-image-6.1.193-tickless (= 6.1.193-1)\n"), std::string::npos) << made[0].control;
    EXPECT_EQ(made[1].name, "linux-headers-tickless");
    EXPECT_EQ(made[2].name, "linux-tickless");
    EXPECT_NE(made[2].control.find("\nDepends: linux-image-tickless (= 6.1.193-1), linux-headers-tickless (= 6.1.193-1)\n"),
              std::string::npos);
    EXPECT_EQ(made[2].pool_path(), "pool/main/l/linux-meta-kflavour/linux-tickless_6.1.193-1_amd64.deb");
    const auto& cmdline = made[3];
    EXPECT_EQ(cmdline.name, "linux-tickless-cmdline");
    EXPECT_EQ(cmdline.architecture, "all");
    ASSERT_EQ(cmdline.files.size(), 1u);
    EXPECT_EQ(cmdline.files[0].path, "/etc/default/grub.d/kflavour-tickless.cfg");
    EXPECT_NE(cmdline.files[0].content.find("GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT nohz_full=1-3\"\n"),
              std::string::npos);
    const auto paths = referenced_pool_paths(st, made);
    EXPECT_EQ(paths.size(), 2u + 4u);
}

TEST(StateJson, RoundTripsAndRefusesDamage) {
    RepoState st = with_cmdline(with_set({}, set_of("6.1.192-1"), std::nullopt, less), "bookworm", "main", "tickless", "x=1");
    st.signing_key = "ABCDEF";
    auto back = state_from_json(state_to_json(st), "state.json");
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, st);
    EXPECT_FALSE(state_from_json("{\"format\": 1}", "state.json").ok());
    EXPECT_FALSE(state_from_json("[", "state.json").ok());
}

TEST(IndexPlan, ListsPerSuiteComponentArchWithArchAllInEach) {
    RepoState st = with_set({}, set_of("6.1.192-1"), std::nullopt, less);
    st = with_set(st, set_of("6.1.192-1", "tickless", "arm64"), std::nullopt, less);
    st = with_cmdline(st, "bookworm", "main", "tickless", "x=1");
    const auto plan = index_plan(st, made_packages(st, less), "/srv/repo", "/srv/repo/.kflavour/gen/3", "/srv/repo/.kflavour/cache");
    ASSERT_EQ(plan.suites.size(), 1u);
    EXPECT_EQ(plan.suites[0].arches, (std::vector<std::string>{"amd64", "arm64"}));
    ASSERT_EQ(plan.file_lists.count("lists/bookworm_main_arm64"), 1u);
    const std::string& arm64 = plan.file_lists.at("lists/bookworm_main_arm64");
    EXPECT_NE(arm64.find("pool/main/l/linux-meta-kflavour/linux-tickless-cmdline_1_all.deb\n"), std::string::npos);
    EXPECT_NE(arm64.find("_arm64.deb\n"), std::string::npos);
    EXPECT_EQ(arm64.find("_amd64.deb"), std::string::npos);
    EXPECT_NE(plan.generate_config.find("BinDirectory \"bookworm/main/arm64\" {\n"
                                        "  Packages \"/srv/repo/.kflavour/gen/3/dists/bookworm/main/binary-arm64/Packages\";\n"
                                        "  FileList \"/srv/repo/.kflavour/gen/3/lists/bookworm_main_arm64\";\n"),
              std::string::npos)
        << plan.generate_config;
    EXPECT_EQ(release_argv("apt-ftparchive", plan.suites[0]),
              (std::vector<std::string>{"apt-ftparchive", "-q=2", "-oAPT::FTPArchive::Release::Origin=kflavour",
                                        "-oAPT::FTPArchive::Release::Label=kflavour",
                                        "-oAPT::FTPArchive::Release::Suite=bookworm",
                                        "-oAPT::FTPArchive::Release::Codename=bookworm",
                                        "-oAPT::FTPArchive::Release::Architectures=amd64 arm64",
                                        "-oAPT::FTPArchive::Release::Components=main",
                                        "-oAPT::FTPArchive::Release::Description=kernel flavours published by kflavour",
                                        "release", "."}));
    EXPECT_EQ(clearsign_argv("gpg", "FPR", "/r/dists/bookworm/Release"),
              (std::vector<std::string>{"gpg", "--batch", "--yes", "--local-user", "FPR", "--digest-algo", "SHA512",
                                        "--clearsign", "--output", "/r/dists/bookworm/InRelease", "/r/dists/bookworm/Release"}));
}

TEST(SourcesFile, SignedByOrTrustedWithAWarning) {
    const auto signed_file = sources_file("http://h/r", "bookworm", "main", "/etc/apt/keyrings/lab.gpg");
    EXPECT_NE(signed_file.find("Types: deb\nURIs: http://h/r\nSuites: bookworm\nComponents: main\n"
                               "Signed-By: /etc/apt/keyrings/lab.gpg\n"),
              std::string::npos);
    const auto trusted = sources_file("http://h/r", "bookworm", "main", "");
    EXPECT_NE(trusted.find("Trusted: yes\n"), std::string::npos);
    EXPECT_NE(trusted.find("NOT SIGNED"), std::string::npos);
    EXPECT_EQ(trusted.find("Signed-By"), std::string::npos);
}

TEST(ArchiveNames, NoSlashes) {
    EXPECT_TRUE(check_archive_name("--component", "main").ok());
    EXPECT_FALSE(check_archive_name("--component", "main/debug").ok());
    EXPECT_FALSE(check_archive_name("--component", "").ok());
    EXPECT_FALSE(check_archive_name("--component", ".hidden").ok());
}

// The manifest build writes beside a set: read for a directory and for a
// .changes file in it; a missing or foreign one says nothing.
TEST(SetManifest, SuiteAndFlavoursFromTheBuildsManifest) {
    test::TempDir dir;
    EXPECT_TRUE(read_set_manifest(dir.path).suite.empty());
    ASSERT_TRUE(write_file_atomically(dir.path / "manifest.json",
                                      R"({"mode": "cross", "suite": "bookworm", "flavours": "tickless rt"})")
                    .ok());
    for (const auto& set : {dir.path, dir.path / "linux_6.1.192-1_arm64.changes"}) {
        const SetManifest m = read_set_manifest(set);
        EXPECT_EQ(m.suite, "bookworm") << set;
        EXPECT_EQ(m.flavours, (std::vector<std::string>{"tickless", "rt"})) << set;
    }
    ASSERT_TRUE(write_file_atomically(dir.path / "manifest.json", "[1, 2]").ok());
    EXPECT_TRUE(read_set_manifest(dir.path).flavours.empty());
}

}  // namespace
}  // namespace kf::publish
