#include "config/config_check.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kf {
namespace {
using ::testing::HasSubstr;

TEST(ConfigCheck, AgreeingConfigIsOk) {
    std::vector<ConfigSetting> expected = {{"CONFIG_A", "y"}, {"CONFIG_B", "n"}, {"CONFIG_C", "-"}, {"CONFIG_HZ", "100"}};
    auto r = check_config(expected, parse_dot_config("CONFIG_A=y\nCONFIG_HZ=100\n# CONFIG_D is not set\n"));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.compared, 4u);
}

TEST(ConfigCheck, MismatchesBothWays) {
    std::vector<ConfigSetting> expected = {{"CONFIG_A", "y"}, {"CONFIG_B", "n"}, {"CONFIG_HZ", "100"}};
    auto r = check_config(expected, parse_dot_config("CONFIG_B=m\nCONFIG_HZ=250\nCONFIG_NEW=y\n"));
    ASSERT_EQ(r.mismatches.size(), 4u);
    EXPECT_EQ(r.mismatches[0].name, "CONFIG_A");
    EXPECT_EQ(r.mismatches[0].actual, "(absent)");
    EXPECT_EQ(r.mismatches[1].actual, "m");
    EXPECT_EQ(r.mismatches[2].expected, "100");
    EXPECT_EQ(r.mismatches[3].name, "CONFIG_NEW");
    EXPECT_EQ(r.mismatches[3].expected, "(absent)");
    EXPECT_FALSE(r.ok());
    EXPECT_THAT(describe_mismatches(r.mismatches), HasSubstr("CONFIG_HZ"));
}

TEST(ConfigCheck, ToolchainIdentityIgnoredCapabilitiesSeparate) {
    std::vector<ConfigSetting> expected = {{"CONFIG_CC_VERSION_TEXT", "\"gcc-12 (Debian 12.2.0-14) 12.2.0\""},
                                           {"CONFIG_GCC_VERSION", "120200"},
                                           {"CONFIG_CC_HAS_ASM_GOTO", "y"},
                                           {"CONFIG_PAHOLE_VERSION", "124"}};
    auto r = check_config(expected, parse_dot_config("CONFIG_CC_VERSION_TEXT=\"gcc (Other) 13\"\n"
                                                     "CONFIG_GCC_VERSION=130000\nCONFIG_PAHOLE_VERSION=0\n"
                                                     "CONFIG_CLANG_VERSION=0\nCONFIG_AS_HAS_FOO=y\n"));
    EXPECT_TRUE(r.mismatches.empty());
    ASSERT_EQ(r.toolchain_dependent.size(), 2u);
    EXPECT_EQ(r.toolchain_dependent[0].name, "CONFIG_CC_HAS_ASM_GOTO");
    EXPECT_EQ(r.toolchain_dependent[1].name, "CONFIG_AS_HAS_FOO");
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(is_toolchain_identity("CONFIG_RUSTC_VERSION_TEXT"));
    EXPECT_TRUE(is_toolchain_identity("CONFIG_BINDGEN_VERSION_TEXT"));
    EXPECT_TRUE(is_toolchain_identity("CONFIG_LLD_VERSION"));
    EXPECT_TRUE(is_toolchain_identity("CONFIG_VERSION_SIGNATURE"));
    EXPECT_FALSE(is_toolchain_identity("CONFIG_HZ"));
}

}  // namespace
}  // namespace kf
