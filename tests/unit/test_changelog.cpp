#include "tree/changelog.hpp"

#include <gtest/gtest.h>

using namespace kf;

namespace {
const char* two_entries =
    "linux (5.4.0-200.220) focal; urgency=medium\n"
    "\n"
    "  * focal/linux: 5.4.0-200.220 -proposed tracker (LP: #2082937)\n"
    "\n"
    " -- Someone <s@example.com>  Fri, 04 Oct 2024 10:00:00 +0200\n"
    "\n"
    "linux (5.4.0-199.219) focal focal-security; urgency=low\n"
    "\n"
    "  * x\n"
    "\n"
    " -- Someone <s@example.com>  Fri, 04 Sep 2024 10:00:00 +0200\n";
}  // namespace

TEST(Changelog, ParsesTopAndSecondHeader) {
    auto top = parse_changelog_top(two_entries, "changelog");
    ASSERT_TRUE(top.ok()) << top.error().describe();
    EXPECT_EQ(top->top.source, "linux");
    EXPECT_EQ(top->top.version, "5.4.0-200.220");
    EXPECT_EQ(top->top.distribution, "focal");
    EXPECT_EQ(top->top.options, "urgency=medium");
    EXPECT_EQ(top->top.line, 1);
    ASSERT_TRUE(top->second.has_value());
    EXPECT_EQ(top->second->version, "5.4.0-199.219");
    EXPECT_EQ(top->second->distribution, "focal focal-security");
    EXPECT_EQ(top->second->line, 7);
    EXPECT_EQ(std::string(two_entries).substr(top->second_offset, 6), "linux ");
}

TEST(Changelog, LeadingBlankLinesCountInLineNumbers) {
    auto top = parse_changelog_top("\n\nnot a header\n", "debian.master/changelog");
    ASSERT_FALSE(top.ok());
    EXPECT_EQ(top.error().file, "debian.master/changelog");
    EXPECT_EQ(top.error().line, 3);
    EXPECT_EQ(top.error().code, Exit::bad_input);
}

TEST(Changelog, BadHeadersAreErrors) {
    for (const char* header : {"linux 5.4.0 focal; urgency=medium", "linux (5.4.0) focal urgency=medium",
                               "linux (5.4.0); urgency=medium", "linux (5.4 0) focal; urgency=medium",
                               "linux (5.4.0) foc@l; urgency=medium"}) {
        auto top = parse_changelog_top(std::string(header) + "\n\n  * x\n\n -- A <a@b>  date\n", "c");
        EXPECT_FALSE(top.ok()) << header;
    }
}

// dpkg-parsechangelog matches the header case-insensitively: dch's
// UNRELEASED (and "Focal") are distributions.
TEST(Changelog, UppercaseDistributionsParseAsDpkgReadsThem) {
    for (const char* dist : {"UNRELEASED", "Focal"}) {
        auto top = parse_changelog_top("linux (5.4.0) " + std::string(dist) + "; urgency=medium\n\n  * x\n\n -- A <a@b>  date\n", "c");
        ASSERT_TRUE(top.ok()) << dist;
        EXPECT_EQ(top->top.distribution, dist);
    }
}

TEST(Changelog, TopEntryNeedsATrailer) {
    auto top = parse_changelog_top("linux (1.0) focal; urgency=medium\n\n  * x\n", "c");
    ASSERT_FALSE(top.ok());
    EXPECT_EQ(top.error().line, 1);
    auto merged = parse_changelog_top("linux (1.0) focal; urgency=medium\n  * x\nlinux (0.9) focal; urgency=low\n", "c");
    ASSERT_FALSE(merged.ok());
    EXPECT_EQ(merged.error().line, 3);
}

TEST(Changelog, SingleEntryHasNoSecond) {
    std::string text = "linux (1.0) focal; urgency=medium\n\n  * x\n\n -- A <a@b>  date\n";
    auto top = parse_changelog_top(text, "c");
    ASSERT_TRUE(top.ok());
    EXPECT_FALSE(top->second.has_value());
    EXPECT_EQ(top->second_offset, text.size());
}

TEST(Changelog, RenderEntryLikeDch) {
    ChangelogEntry e{"linux", "5.4.0-200.220+tickless1", "focal", "medium",
                     {"Add the tickless flavour"}, {"Jane Doe", "jane@example.com"},
                     "Tue, 14 Nov 2023 22:13:20 +0000"};
    EXPECT_EQ(render_entry(e),
              "linux (5.4.0-200.220+tickless1) focal; urgency=medium\n\n"
              "  * Add the tickless flavour\n\n"
              " -- Jane Doe <jane@example.com>  Tue, 14 Nov 2023 22:13:20 +0000\n\n");
}

TEST(Changelog, WrapBulletAt79Columns) {
    std::string text =
        "Add the tickless flavour for arm64, based on generic: CONFIG_NO_HZ_FULL=y, CONFIG_HZ_100=y, "
        "CONFIG_HZ=100, CONFIG_RCU_NOCB_CPU=y";
    std::string wrapped = wrap_bullet(text);
    EXPECT_EQ(wrapped,
              "  * Add the tickless flavour for arm64, based on generic: CONFIG_NO_HZ_FULL=y,\n"
              "    CONFIG_HZ_100=y, CONFIG_HZ=100, CONFIG_RCU_NOCB_CPU=y\n");
    size_t start = 0;
    while (start < wrapped.size()) {
        size_t nl = wrapped.find('\n', start);
        EXPECT_LE(nl - start, 79u);
        start = nl + 1;
    }
}

TEST(Changelog, LongWordStaysWhole) {
    std::string word(100, 'x');
    EXPECT_EQ(wrap_bullet("a " + word), "  * a\n    " + word + "\n");
}

TEST(Changelog, Rfc2822Date) {
    EXPECT_EQ(rfc2822_date(0, 0), "Thu, 01 Jan 1970 00:00:00 +0000");
    EXPECT_EQ(rfc2822_date(1700000000, 0), "Tue, 14 Nov 2023 22:13:20 +0000");
    EXPECT_EQ(rfc2822_date(1700000000, 120), "Wed, 15 Nov 2023 00:13:20 +0200");
    EXPECT_EQ(rfc2822_date(1700000000, -330), "Tue, 14 Nov 2023 16:43:20 -0530");
}

TEST(Maintainer, EnvironmentFirst) {
    auto m = choose_maintainer({"Env Name", "env@example.com", "Git Name", "git@example.com"});
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->name, "Env Name");
    EXPECT_EQ(m->email, "env@example.com");
}

TEST(Maintainer, DebemailMayCarryTheName) {
    auto m = choose_maintainer({std::nullopt, "Mail Name <m@example.com>", "Git", "g@example.com"});
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->name, "Mail Name");
    EXPECT_EQ(m->email, "m@example.com");
}

TEST(Maintainer, GitFillsTheGaps) {
    auto m = choose_maintainer({"", std::nullopt, "Git Name", "git@example.com"});
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->name, "Git Name");
    EXPECT_EQ(m->email, "git@example.com");
}

TEST(Maintainer, NoneIsAnErrorWithAHint) {
    auto m = choose_maintainer({std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, Exit::bad_input);
    EXPECT_NE(m.error().hint.find("DEBFULLNAME"), std::string::npos);
    EXPECT_NE(m.error().hint.find("user.name"), std::string::npos);
}
