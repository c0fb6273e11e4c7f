#include "base/diff.hpp"
#include "base/text.hpp"

#include <gtest/gtest.h>

using kf::unified_diff;

TEST(UnifiedDiff, EqualTextsGiveNothing) { EXPECT_EQ(unified_diff("a\nb\n", "a\nb\n", "a/x", "b/x"), ""); }

TEST(UnifiedDiff, OneChangedLineWithContext) {
    std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    std::string after = "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n";
    EXPECT_EQ(unified_diff(before, after, "a/f", "b/f"),
              "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, NewFile) {
    EXPECT_EQ(unified_diff("", "x\ny\n", "/dev/null", "b/f"), "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n");
}

TEST(UnifiedDiff, DistantChangesMakeTwoHunks) {
    std::string before, after;
    for (int i = 1; i <= 20; ++i) {
        before += std::to_string(i) + "\n";
        after += (i == 2 ? std::string("two") : i == 18 ? std::string("eighteen") : std::to_string(i)) + "\n";
    }
    EXPECT_EQ(unified_diff(before, after, "a/f", "b/f"),
              "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
              "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n 19\n 20\n");
}

namespace {
// Applies a unified diff of one file to `before` (enough of patch(1) for
// the diffs unified_diff makes).
std::string apply_diff(const std::string& before, const std::string& diff) {
    auto a = kf::split_lines(before);
    std::vector<std::string> out;
    size_t next = 0;  // next line of `a` not yet copied
    for (auto line : kf::split_lines(diff)) {
        if (line.starts_with("--- ") || line.starts_with("+++ ")) continue;
        if (line.starts_with("@@ -")) {
            size_t start = std::stoul(std::string(line.substr(4)));
            size_t count = line.find(',') < line.find(' ', 4) ? std::stoul(std::string(line.substr(line.find(',') + 1))) : 1;
            size_t first = count == 0 ? start : start - 1;
            while (next < first) out.emplace_back(a[next++]);
            continue;
        }
        if (line[0] == ' ') out.emplace_back(a[next++]);
        else if (line[0] == '-') ++next;
        else if (line[0] == '+') out.emplace_back(line.substr(1));
    }
    while (next < a.size()) out.emplace_back(a[next++]);
    std::string s;
    for (auto& l : out) s += l + "\n";
    return s;
}

std::string numbered(int from, int to, const char* tag = "line") {
    std::string s;
    for (int i = from; i < to; ++i) s += std::string(tag) + " " + std::to_string(i) + "\n";
    return s;
}
}  // namespace

// Issue 19: emptying a 12k-line file took 7 GB and 35 s; the result must
// still be a diff that turns the old text into the new.
TEST(UnifiedDiff, HugeDistanceFallsBackToOneBlockAndStillApplies) {
    std::string before = numbered(0, 12000);
    std::string diff = unified_diff(before, "", "a/x", "b/x");
    EXPECT_EQ(apply_diff(before, diff), "");
    std::string after = numbered(0, 5) + numbered(0, 9000, "other") + numbered(11990, 12000);
    EXPECT_EQ(apply_diff(before, unified_diff(before, after, "a/x", "b/x")), after);
}

TEST(UnifiedDiff, ManySmallChangesStayMinimal) {
    std::string before = numbered(0, 2000), after;
    for (int i = 0; i < 2000; ++i) after += (i % 100 == 7 ? "changed " : "line ") + std::to_string(i) + "\n";
    std::string diff = unified_diff(before, after, "a/x", "b/x");
    EXPECT_EQ(apply_diff(before, diff), after);
    size_t minus = 0;
    for (auto l : kf::split_lines(diff)) minus += l.starts_with("-") && !l.starts_with("---");
    EXPECT_EQ(minus, 20u);
}
