#include "deps/deps_check.hpp"
#include "deps/deps_fix.hpp"
#include "deps/apt_lists.hpp"
#include "deps/build_depends.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

using namespace kf;

namespace {

class FakeSource : public MultiArchSource {
public:
    std::map<std::string, PackageInfo> table;
    std::optional<PackageInfo> lookup(const std::string& p) const override {
        auto it = table.find(p);
        if (it == table.end()) return std::nullopt;
        return it->second;
    }
    std::string describe() const override { return "the fake archive"; }
};

FakeSource fake() {
    FakeSource s;
    s.table["bc"] = {MultiArch::foreign, false, "math"};
    s.table["debhelper"] = {MultiArch::foreign, true, "devel"};
    s.table["python3"] = {MultiArch::allowed, false, "python"};
    s.table["makedumpfile"] = {MultiArch::none, false, "devel"};
    s.table["libssl-dev"] = {MultiArch::same, false, "libdevel"};
    s.table["libelf-dev"] = {MultiArch::same, false, "libdevel"};
    s.table["libfoo-dev"] = {MultiArch::none, false, "libdevel"};
    s.table["gawk"] = {MultiArch::foreign, false, "interpreters"};
    s.table["mawk"] = {MultiArch::allowed, false, "interpreters"};
    return s;
}

std::string fix(const std::string& text, const FakeSource& src = fake()) {
    auto fields = sys::parse_build_depends(text, "control");
    EXPECT_TRUE(fields.ok()) << (fields.ok() ? "" : fields.error().describe());
    return plan_deps_fix(text, *fields, src, {"libssl-dev", "libelf-dev"}).text;
}

std::string slurp(const std::string& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST(DepsFix, RulePerMultiArch) {
    const std::string in =
        "Source: x\nBuild-Depends:\n bc,\n debhelper (>= 9),\n python3 [amd64 arm64] <!stage1>,\n"
        " makedumpfile [amd64] <!stage1>,\n libssl-dev <!stage1>,\n libfoo-dev,\n unknown-pkg,\n"
        "Build-Depends-Indep: python3\n";
    EXPECT_EQ(fix(in),
              "Source: x\nBuild-Depends:\n bc,\n debhelper (>= 9),\n python3:native [amd64 arm64] <!stage1>,\n"
              " makedumpfile:native [amd64] <!stage1>,\n libssl-dev:native <!stage1>,\n libssl-dev <!stage1>,\n"
              " libfoo-dev,\n unknown-pkg,\nBuild-Depends-Indep: python3\n");
}

TEST(DepsFix, OneLineLayoutAndFirstRelationTwin) {
    EXPECT_EQ(fix("Source: x\nBuild-Depends: libelf-dev, python3 (>= 3.5), bc\n"),
              "Source: x\nBuild-Depends: libelf-dev:native, libelf-dev, python3:native (>= 3.5), bc\n");
}

TEST(DepsFix, KeepsQualifiedAlternativesCommentsAndIsIdempotent) {
    const std::string in =
        "Source: x\n# a comment\nBuild-Depends:\n python3:any,\n# inside the field\n gawk | mawk,\n"
        " libssl-dev:native <!nocheck>,\n libssl-dev <!nocheck>,\nStandards-Version: 4\n";
    const std::string out = fix(in);
    EXPECT_EQ(out,
              "Source: x\n# a comment\nBuild-Depends:\n python3:any,\n# inside the field\n gawk | mawk:native,\n"
              " libssl-dev:native <!nocheck>,\n libssl-dev <!nocheck>,\nStandards-Version: 4\n");
    EXPECT_EQ(fix(out), out);
}

TEST(DepsFix, BadSyntaxNamesTheLine) {
    std::string text = "Source: x\nBuild-Depends:\n bc,\n python3 <!stage1> junk,\n";
    auto fields = sys::parse_build_depends(text, "control");
    ASSERT_FALSE(fields.ok());
    EXPECT_EQ(fields.error().line, 4);
    EXPECT_EQ(fields.error().file, "control");
}

TEST(DepsFix, ArchAndProfileSelectionComesFromLibapt) {
    std::string text = "Source: x\nBuild-Depends: a [amd64], b [!arm64], c <stage1>, d <!stage1>\n";
    auto fields = sys::parse_build_depends(text, "control", "arm64");
    ASSERT_TRUE(fields.ok());
    const auto& r = (*fields)[0].relations;
    ASSERT_EQ(r.size(), 4u);
    EXPECT_FALSE(r[0].atoms[0].applies);
    EXPECT_FALSE(r[1].atoms[0].applies);
    EXPECT_FALSE(r[2].atoms[0].applies);
    EXPECT_TRUE(r[3].atoms[0].applies);
    EXPECT_EQ(r[1].atoms[0].package, "b");
}

// The golden file of the integration test, from the real bookworm lists.
TEST(DepsFix, FocalStubWithBookwormListsMatchesGolden) {
    auto src = sys::AptListsSource::load(std::string(KF_TEST_DATA) + "/apt-lists-bookworm", "amd64");
    ASSERT_TRUE(src.ok());
    const std::string stub = slurp(std::string(KF_TEST_DATA) + "/ubuntu-focal-5.4.0-200/debian.master/control.stub.in");
    auto fields = sys::parse_build_depends(stub, "control.stub.in");
    ASSERT_TRUE(fields.ok());
    auto twins = parse_native_twins(slurp(std::string(KF_SOURCE_DIR) + "/templates/native-twins"));
    auto plan = plan_deps_fix(stub, *fields, *src, twins);
    EXPECT_EQ(plan.text, slurp(std::string(KF_TEST_DATA) + "/expected/deps-fix/control.stub.in.bookworm"));
}

TEST(DepsCheck, MissingWrongArchAndForeignTools) {
    auto src = sys::AptListsSource::load(std::string(KF_TEST_DATA) + "/apt-lists-bookworm", "amd64");
    ASSERT_TRUE(src.ok());
    std::string text = "Source: x\nBuild-Depends: dh-systemd, makedumpfile [amd64], bc, libssl-dev, python3\n";
    auto fields = sys::parse_build_depends(text, "control", "arm64");
    ASSERT_TRUE(fields.ok());
    auto problems = check_cross_deps(text, *fields, *src, "amd64", "arm64");
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].kind, "missing");
    EXPECT_EQ(problems[0].relation, "dh-systemd");
    EXPECT_TRUE(problems[0].fatal);
    EXPECT_EQ(problems[1].kind, "foreign-tool");
    EXPECT_EQ(problems[1].relation, "python3");
    EXPECT_FALSE(problems[1].fatal);
}

// A retired build-dependency the chroot's archive lacks is cut with its
// separator; every other byte stays, and one the archive has is kept.
TEST(DepsFix, RetiredBuildDepsLeftOutWhenTheArchiveLacksThem) {
    const std::map<std::string, std::string> retired =
        parse_retired_build_deps("# comment\ndh-systemd   merged into debhelper\n\ndebhelper   never retired, but present\n");
    ASSERT_EQ(retired.size(), 2u);
    EXPECT_EQ(retired.at("dh-systemd"), "merged into debhelper");
    auto drop = [&](const std::string& text, std::vector<RetiredDep>& dropped) {
        auto fields = sys::parse_build_depends(text, "control");
        EXPECT_TRUE(fields.ok());
        return drop_retired_build_deps(text, *fields, fake(), retired, dropped);
    };
    std::vector<RetiredDep> dropped;
    EXPECT_EQ(drop("Source: x\nBuild-Depends:\n debhelper (>= 9),\n dh-systemd,\n bc <!stage1>,\n", dropped),
              "Source: x\nBuild-Depends:\n debhelper (>= 9),\n bc <!stage1>,\n");
    ASSERT_EQ(dropped.size(), 1u);
    EXPECT_EQ(dropped[0].package, "dh-systemd");
    EXPECT_EQ(dropped[0].field, "Build-Depends");
    EXPECT_EQ(dropped[0].line, 4);
    // The last relation of a field takes the comma before it.
    dropped.clear();
    EXPECT_EQ(drop("Source: x\nBuild-Depends: bc, dh-systemd\nBuild-Depends-Indep: bc\n", dropped),
              "Source: x\nBuild-Depends: bc\nBuild-Depends-Indep: bc\n");
    // An alternative is left to apt; a package the archive has stays.
    dropped.clear();
    const std::string kept = "Source: x\nBuild-Depends: dh-systemd | debhelper, debhelper\n";
    EXPECT_EQ(drop(kept, dropped), kept);
    EXPECT_TRUE(dropped.empty());
}

TEST(DepsFix, TheShippedRetiredListNamesDhSystemd) {
    const auto retired = parse_retired_build_deps(slurp(std::string(KF_SOURCE_DIR) + "/templates/retired-build-deps"));
    ASSERT_TRUE(retired.count("dh-systemd"));
    EXPECT_NE(retired.at("dh-systemd").find("debhelper"), std::string::npos);
}
