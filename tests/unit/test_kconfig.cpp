#include "config/kconfig.hpp"

#include <gtest/gtest.h>

TEST(DotConfig, ReadsSettingsAndIgnoresComments) {
    auto c = kf::parse_dot_config("#\n# Automatically generated\nCONFIG_A=y\n# CONFIG_B is not set\nCONFIG_S=\"x y\"\nCONFIG_A=m\n");
    ASSERT_EQ(c.settings.size(), 3u);
    EXPECT_EQ(*c.find("CONFIG_A"), "m");
    EXPECT_EQ(*c.find("CONFIG_B"), "n");
    EXPECT_EQ(*c.find("CONFIG_S"), "\"x y\"");
    EXPECT_EQ(c.find("CONFIG_C"), nullptr);
}

TEST(Fragment, AcceptsSettingsCommentsAndBlanks) {
    auto f = kf::parse_fragment("# tickless\n\nCONFIG_NO_HZ_FULL=y\n# CONFIG_HZ_250 is not set\n", "t.config");
    ASSERT_TRUE(f.ok());
    ASSERT_EQ(f->size(), 2u);
    EXPECT_EQ((*f)[1].value, "n");
}

TEST(Fragment, RejectsOtherLinesNamingFileAndLine) {
    for (std::string bad : {"NO_HZ_FULL=y", "CONFIG_NO_HZ_FULL", "# CONFIG_X is set", "CONFIG_X=", "CONFIG-X=y"}) {
        auto f = kf::parse_fragment("CONFIG_A=y\n" + bad + "\n", "t.config");
        ASSERT_FALSE(f.ok()) << bad;
        EXPECT_EQ(f.error().file, "t.config");
        EXPECT_EQ(f.error().line, 2);
        EXPECT_EQ(f.error().code, kf::Exit::bad_input);
    }
}

TEST(Setting, PrefixIsOptional) {
    EXPECT_EQ(kf::parse_setting("HZ=100")->name, "CONFIG_HZ");
    EXPECT_EQ(kf::parse_setting("CONFIG_HZ=100")->value, "100");
    EXPECT_FALSE(kf::parse_setting("CONFIG_HZ").ok());
    EXPECT_FALSE(kf::parse_setting("HZ=").ok());
}
