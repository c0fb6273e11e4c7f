#include "tree/tree.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

using namespace kf;
namespace fs = std::filesystem;

namespace {

class TreeTest : public ::testing::Test {
protected:
    fs::path root = fs::temp_directory_path() / ("kf-tree-" + std::to_string(::getpid()) + "-" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    void SetUp() override { fs::create_directories(root); }
    void TearDown() override { fs::remove_all(root); }
    void write(const fs::path& rel, const std::string& text) {
        fs::create_directories((root / rel).parent_path());
        std::ofstream(root / rel) << text;
    }
};

}  // namespace

TEST_F(TreeTest, UbuntuTree) {
    write("debian/debian.env", "DEBIAN=debian.master\n");
    fs::create_directories(root / "debian.master");
    auto tree = detect_tree(root);
    ASSERT_TRUE(tree.ok()) << tree.error().describe();
    EXPECT_EQ(tree->kind, TreeKind::ubuntu);
    EXPECT_EQ(tree->debian_name, "debian.master");
    EXPECT_EQ(tree->vars_file("tickless"), root / "debian.master/control.d/vars.tickless");
    EXPECT_EQ(tree->rules_file("arm64"), root / "debian.master/rules.d/arm64.mk");
    EXPECT_EQ(tree->annotations_file(), root / "debian.master/config/annotations");
    EXPECT_EQ(tree->changelog_file(), root / "debian.master/changelog");
    EXPECT_FALSE(tree->has_kernel_source);
}

TEST_F(TreeTest, UbuntuDerivativeWithKernelSource) {
    write("debian/debian.env", "DEBIAN=debian.hwe\n");
    write("Makefile", "# SPDX\nVERSION = 5\nPATCHLEVEL = 4\nSUBLEVEL = 0\n");
    fs::create_directories(root / "debian.hwe");
    auto tree = detect_tree(root);
    ASSERT_TRUE(tree.ok());
    EXPECT_EQ(tree->debian_dir, root / "debian.hwe");
    EXPECT_TRUE(tree->has_kernel_source);
}

TEST_F(TreeTest, MissingDebianDirNamesDebianEnv) {
    write("debian/debian.env", "DEBIAN=debian.master\n");
    auto tree = detect_tree(root);
    ASSERT_FALSE(tree.ok());
    EXPECT_EQ(tree.error().file, (root / "debian/debian.env").string());
    EXPECT_EQ(tree.error().code, Exit::bad_input);
    EXPECT_NE(tree.error().message.find("debian.master"), std::string::npos);
}

TEST_F(TreeTest, DebianEnvWithoutDebian) {
    write("debian/debian.env", "OTHER=x\n");
    auto tree = detect_tree(root);
    ASSERT_FALSE(tree.ok());
    EXPECT_NE(tree.error().message.find("DEBIAN="), std::string::npos);
}

TEST_F(TreeTest, DebianEnvMustNotEscapeTheTree) {
    write("debian/debian.env", "DEBIAN=../elsewhere\n");
    EXPECT_FALSE(detect_tree(root).ok());
}

TEST_F(TreeTest, BrokenDebianEnvNamesTheLine) {
    write("debian/debian.env", "# x\nDEBIAN=\"debian.master\n");
    auto tree = detect_tree(root);
    ASSERT_FALSE(tree.ok());
    EXPECT_EQ(tree.error().line, 2);
}

TEST_F(TreeTest, DebianDirWithoutEnvOrConfig) {
    fs::create_directories(root / "debian");
    auto tree = detect_tree(root);
    ASSERT_FALSE(tree.ok());
    EXPECT_EQ(tree.error().file, (root / "debian/debian.env").string());
}

TEST_F(TreeTest, DebianTree) {
    fs::create_directories(root / "debian/config");
    auto tree = detect_tree(root);
    ASSERT_TRUE(tree.ok());
    EXPECT_EQ(tree->kind, TreeKind::debian);
}

TEST_F(TreeTest, UpstreamTree) {
    write("Makefile", "VERSION = 6\nPATCHLEVEL = 1\n");
    auto tree = detect_tree(root);
    ASSERT_TRUE(tree.ok());
    EXPECT_EQ(tree->kind, TreeKind::upstream);
    EXPECT_EQ(to_string(tree->kind), "upstream");
}

TEST_F(TreeTest, NotAKernelTree) {
    write("Makefile", "all:\n\ttrue\n");
    EXPECT_FALSE(detect_tree(root).ok());
    EXPECT_FALSE(detect_tree(root / "nope").ok());
}

TEST(TreeFixture, FocalFlavours) {
    auto tree = detect_tree(fs::path(KF_TEST_DATA) / "ubuntu-focal-5.4.0-200");
    ASSERT_TRUE(tree.ok()) << tree.error().describe();
    auto flavours = ubuntu_flavours(*tree);
    ASSERT_TRUE(flavours.ok()) << flavours.error().describe();
    EXPECT_EQ(flavours->at("amd64"), (std::vector<std::string>{"generic", "lowlatency"}));
    EXPECT_EQ(flavours->at("arm64"), (std::vector<std::string>{"generic"}));
    EXPECT_EQ(flavours->at("armhf"), (std::vector<std::string>{"generic", "generic-lpae"}));
    EXPECT_EQ(flavours->at("riscv64"), (std::vector<std::string>{"generic"}));  // rules.d only
}
