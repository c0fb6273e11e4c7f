#include "tree/rules_mk.hpp"

#include <gtest/gtest.h>

using kf::RulesMk;

namespace {
RulesMk parsed(std::string_view text) {
    auto mk = RulesMk::parse(text, "rules.d/x.mk");
    EXPECT_TRUE(mk.ok()) << (mk.ok() ? "" : mk.error().describe());
    return std::move(mk.value());
}

// The focal arm64.mk: only suffixed build_image/kernel_file for generic.
const char* focal_arm64 =
    "human_arch\t= ARMv8\n"
    "build_arch\t= arm64\n"
    "flavours\t= generic\n"
    "build_image_generic\t= Image.gz\n"
    "kernel_file_generic\t= arch/$(build_arch)/boot/Image.gz\n"
    "install_file\t= vmlinuz\n"
    "no_dumpfile = true\n"
    "\n"
    "do_zfs\t\t= true\n";
}  // namespace

TEST(RulesMk, RoundTripKeepsEveryByte) {
    std::string text = std::string(focal_arm64) + "# comment\nifeq ($(x),y)\nfoo := a \\\n  b\nendif\nlast = x";
    EXPECT_EQ(parsed(text).text(), text);
}

TEST(RulesMk, ReadsValues) {
    RulesMk mk = parsed("flavours        = generic lowlatency  # two\nfoo := a \\\n\tb\n");
    EXPECT_EQ(mk.flavours(), (std::vector<std::string>{"generic", "lowlatency"}));
    EXPECT_EQ(mk.get("foo"), "a b");
    EXPECT_TRUE(mk.has_flavour("lowlatency"));
    EXPECT_FALSE(mk.has_flavour("low"));
}

TEST(RulesMk, AddFlavourAppendsKeepingLayout) {
    RulesMk mk = parsed("flavours\t= generic\nx = 1\n");
    mk.add_flavour("tickless");
    EXPECT_EQ(mk.text(), "flavours\t= generic tickless\nx = 1\n");
    mk.add_flavour("tickless");  // no-op when listed
    EXPECT_EQ(mk.text(), "flavours\t= generic tickless\nx = 1\n");
}

TEST(RulesMk, AddFlavourBeforeTrailingCommentAndBlanks) {
    RulesMk mk = parsed("flavours = generic   # the list\n");
    mk.add_flavour("rt");
    EXPECT_EQ(mk.text(), "flavours = generic rt   # the list\n");
    RulesMk empty = parsed("flavours =\n");
    empty.add_flavour("rt");
    EXPECT_EQ(empty.text(), "flavours = rt\n");
}

TEST(RulesMk, CopiesSuffixedPerFlavourVariablesRightAfterTheBase) {
    RulesMk mk = parsed(focal_arm64);
    mk.add_flavour("tickless");
    auto copied = mk.copy_flavour_vars("generic", "tickless");
    EXPECT_EQ(copied, (std::vector<std::string>{"build_image_tickless", "kernel_file_tickless"}));
    EXPECT_EQ(mk.text(),
              "human_arch\t= ARMv8\n"
              "build_arch\t= arm64\n"
              "flavours\t= generic tickless\n"
              "build_image_generic\t= Image.gz\n"
              "build_image_tickless\t= Image.gz\n"
              "kernel_file_generic\t= arch/$(build_arch)/boot/Image.gz\n"
              "kernel_file_tickless\t= arch/$(build_arch)/boot/Image.gz\n"
              "install_file\t= vmlinuz\n"
              "no_dumpfile = true\n"
              "\n"
              "do_zfs\t\t= true\n");
}

TEST(RulesMk, CopiesDoKnobsAndContinuations) {
    RulesMk mk = parsed("flavours = generic\ndo_zfs_generic = false\ndtb_files_generic = a \\\n  b\nfoo_generic = x\n");
    mk.copy_flavour_vars("generic", "rt");
    EXPECT_EQ(mk.text(),
              "flavours = generic\ndo_zfs_generic = false\ndo_zfs_rt = false\n"
              "dtb_files_generic = a \\\n  b\ndtb_files_rt = a \\\n  b\nfoo_generic = x\n");
}

TEST(RulesMk, CopyIsIdempotentAndRegeneratesInPlace) {
    RulesMk mk = parsed("flavours = generic rt\nbuild_image_generic = Image\nbuild_image_rt = zImage\n");
    mk.copy_flavour_vars("generic", "rt");
    EXPECT_EQ(mk.text(), "flavours = generic rt\nbuild_image_generic = Image\nbuild_image_rt = Image\n");
    std::string again = mk.text();
    mk.copy_flavour_vars("generic", "rt");
    EXPECT_EQ(mk.text(), again);
}

TEST(RulesMk, OtherFlavoursSuffixesAreNotCopied) {
    RulesMk mk = parsed("flavours = generic generic-lpae\nbuild_image_generic-lpae = zImage\n");
    EXPECT_TRUE(mk.copy_flavour_vars("generic", "x").empty());
}

TEST(RulesMk, NoFlavoursAssignmentIsAnError) {
    auto mk = RulesMk::parse("human_arch = x\n", "rules.d/arm64.mk");
    ASSERT_FALSE(mk.ok());
    EXPECT_EQ(mk.error().file, "rules.d/arm64.mk");
    EXPECT_EQ(mk.error().code, kf::Exit::bad_input);
}

TEST(RulesMk, KnownPerFlavourVariables) {
    EXPECT_TRUE(kf::is_per_flavour_variable("build_image"));
    EXPECT_TRUE(kf::is_per_flavour_variable("kernel_file"));
    EXPECT_TRUE(kf::is_per_flavour_variable("install_file"));
    EXPECT_TRUE(kf::is_per_flavour_variable("do_dkms_nvidia"));
    EXPECT_FALSE(kf::is_per_flavour_variable("do_"));
    EXPECT_FALSE(kf::is_per_flavour_variable("human_arch"));
}
