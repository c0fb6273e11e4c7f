#include "tree/vars.hpp"

#include <gtest/gtest.h>

using kf::VarsFile;

namespace {
VarsFile parsed(std::string_view text) {
    auto v = VarsFile::parse(text, "vars.x");
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().describe());
    return std::move(v.value());
}
}  // namespace

TEST(VarsFile, RoundTripKeepsEveryByte) {
    const std::string text =
        "arch=\"amd64 arm64\"\n# a comment\n\n  supported=\"Generic\"  # trailing\ndesc='single'\nplain=word\nlast=\"no newline\"";
    EXPECT_EQ(parsed(text).text(), text);
}

TEST(VarsFile, GetUnquotesAndUnescapes) {
    VarsFile v = parsed("a=\"x \\\"y\\\" \\$z\"\nb='it is'\nc=plain # note\n");
    EXPECT_EQ(v.get("a"), "x \"y\" $z");
    EXPECT_EQ(v.get("b"), "it is");
    EXPECT_EQ(v.get("c"), "plain");
    EXPECT_EQ(v.get("missing"), std::nullopt);
}

TEST(VarsFile, LaterAssignmentWins) {
    VarsFile v = parsed("arch=\"a\"\narch=\"b\"\n");
    EXPECT_EQ(v.get("arch"), "b");
    EXPECT_EQ(v.keys(), std::vector<std::string>{"arch"});
}

TEST(VarsFile, SetReplacesOnlyThatLineKeepingStyle) {
    VarsFile v = parsed("arch=\"amd64 arm64\"\nsupported=\"Generic\"  # why\nx='a'\n");
    v.set("arch", "arm64");
    v.set("supported", "Tickless");
    v.set("x", "b c");
    EXPECT_EQ(v.text(), "arch=\"arm64\"\nsupported=\"Tickless\"  # why\nx='b c'\n");
}

TEST(VarsFile, SetNewKeyAppendsInTheFilesStyle) {
    VarsFile v = parsed("arch=\"amd64\"");
    v.set("target", "Say \"hi\" for $5");
    EXPECT_EQ(v.text(), "arch=\"amd64\"\ntarget=\"Say \\\"hi\\\" for \\$5\"\n");
}

TEST(VarsFile, SetSameValueChangesNothing) {
    const std::string text = "arch=amd64\n";
    VarsFile v = parsed(text);
    v.set("arch", "amd64");
    EXPECT_EQ(v.text(), text);
}

TEST(VarsFile, UnquotedValueThatNeedsQuotesGetsThem) {
    VarsFile v = parsed("a=\"q\"\nb=x\n");
    v.set("b", "two words");
    EXPECT_EQ(v.text(), "a=\"q\"\nb=\"two words\"\n");
}

TEST(VarsFile, UnterminatedQuoteNamesFileAndLine) {
    auto v = VarsFile::parse("arch=\"amd64\"\nsupported=\"Generic\ntarget=\"x\"\n", "control.d/vars.generic");
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().file, "control.d/vars.generic");
    EXPECT_EQ(v.error().line, 2);
    EXPECT_EQ(v.error().code, kf::Exit::bad_input);
    EXPECT_NE(v.error().message.find("unterminated double quote"), std::string::npos);
}

TEST(VarsFile, UnterminatedSingleQuote) {
    auto v = VarsFile::parse("a='x\n", "f");
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().line, 1);
}

TEST(VarsFile, NotAnAssignmentIsAnError) {
    auto v = VarsFile::parse("arch=\"a\"\n\nthis is prose\n", "f");
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().line, 3);
    auto w = VarsFile::parse("1a=\"b\"\n", "f");
    ASSERT_FALSE(w.ok());
}

TEST(VarsFile, TextAfterClosingQuoteIsAnError) {
    auto v = VarsFile::parse("a=\"x\"y\n", "f");
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().line, 1);
}

TEST(VarsFile, DebianEnv) {
    VarsFile v = parsed("DEBIAN=debian.master\n");
    EXPECT_EQ(v.get("DEBIAN"), "debian.master");
}
