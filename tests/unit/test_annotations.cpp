#include "tree/annotations.hpp"
#include "base/edit_set.hpp"

#include <gtest/gtest.h>

#include <map>

namespace {

const std::string kFixture = std::string(KF_TEST_DATA) + "/ubuntu-focal-5.4.0-200/debian.master/config/annotations";
const std::string kExpected = std::string(KF_TEST_DATA) + "/expected/";

std::string slurp(const std::string& path) {
    auto r = kf::read_file(path);
    EXPECT_TRUE(r.ok()) << path;
    return r.ok() ? *r : std::string();
}

kf::Annotations load_fixture() {
    auto a = kf::Annotations::load(kFixture);
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().describe());
    return std::move(a.value());
}

// Parse from memory; includes come from `files`.
kf::Result<kf::Annotations> parse(const std::string& text, std::map<std::string, std::string> files = {}) {
    return kf::Annotations::parse(text, "/t/annotations", [files](const std::filesystem::path& p) -> kf::Result<std::string> {
        auto it = files.find(p.string());
        if (it == files.end()) return kf::bad_input("missing", p.string());
        return it->second;
    });
}

const std::string kHeader =
    "# Menu: HEADER\n# FORMAT: 4\n# ARCH: amd64 arm64\n# FLAVOUR: amd64-generic amd64-lowlatency arm64-generic\n";

}  // namespace

TEST(AnnotationsFixture, RewriteUnchangedGivesIdenticalBytes) {
    EXPECT_EQ(load_fixture().write(), slurp(kFixture));
}

TEST(AnnotationsFixture, HeaderArchesAndFlavours) {
    auto a = load_fixture();
    EXPECT_EQ(a.arches(), (std::vector<std::string>{"amd64", "arm64", "armhf", "i386", "ppc64el", "s390x"}));
    EXPECT_EQ(a.flavours().size(), 9u);
    EXPECT_EQ(a.flavours_of("armhf"), (std::vector<std::string>{"generic", "generic-lpae"}));
}

TEST(AnnotationsFixture, ExportMatchesUbuntuForEveryFlavour) {
    auto a = load_fixture();
    for (const auto& af : a.flavours()) {
        auto dash = af.find('-');
        std::string expected = slurp(kExpected + "export/" + af + ".config");
        ASSERT_FALSE(expected.empty());
        EXPECT_EQ(a.export_config(af.substr(0, dash), af.substr(dash + 1)), expected) << af;
    }
}

TEST(AnnotationsFixture, ExportArm64GenericHas9592Lines) {
    std::string text = load_fixture().export_config("arm64", "generic");
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 9592);
    EXPECT_NE(text.find("\nCONFIG_HZ=250\n"), std::string::npos);
    EXPECT_NE(text.find("\n# CONFIG_NO_HZ_FULL is not set\n"), std::string::npos);
}

TEST(AnnotationsFixture, ImportMatchesUbuntu) {
    for (std::string af : {"arm64-generic", "amd64-lowlatency"}) {
        auto a = load_fixture();
        auto dash = af.find('-');
        a.import_config(kf::parse_dot_config(slurp(kExpected + "import-" + af + ".config")), af.substr(0, dash),
                        af.substr(dash + 1));
        EXPECT_EQ(a.write(), slurp(kExpected + "import-" + af + ".annotations")) << af;
    }
}

TEST(AnnotationsFixture, ReimportingTheExportChangesNothing) {
    auto a = load_fixture();
    a.import_config(kf::parse_dot_config(a.export_config("armhf", "generic-lpae")), "armhf", "generic-lpae");
    EXPECT_EQ(a.write(), slurp(kFixture));
}

TEST(AnnotationsFixture, NewFlavourInheritsBaseKeys) {
    auto a = load_fixture();
    a.add_flavour("arm64", "tickless");
    a.copy_flavour_keys("arm64", "generic", "tickless");
    EXPECT_EQ(a.export_config("arm64", "tickless"), a.export_config("arm64", "generic"));
    // Nothing differs yet, so compaction writes the same body; only the header changes.
    std::string written = a.write();
    EXPECT_NE(written.find("# FLAVOUR: amd64-generic amd64-lowlatency arm64-generic arm64-tickless armhf-generic"),
              std::string::npos);
}

TEST(AnnotationsFixture, AmdFlavourKeysSurviveForANewAmd64Flavour) {
    auto a = load_fixture();
    a.add_flavour("amd64", "tickless");
    a.copy_flavour_keys("amd64", "generic", "tickless");
    a.set_policy("CONFIG_HZ", "amd64-tickless", "100");
    auto b = parse(a.write());
    ASSERT_TRUE(b.ok()) << b.error().describe();
    EXPECT_EQ(b->lookup("CONFIG_HZ", "amd64", "tickless"), "100");
    EXPECT_EQ(b->lookup("CONFIG_HZ", "amd64", "generic"), "250");
    // CONFIG_HZ_1000 is keyed amd64-generic / amd64-lowlatency only: the copy keeps it.
    EXPECT_EQ(b->lookup("CONFIG_HZ_1000", "amd64", "tickless"), "n");
}

TEST(Annotations, CompactionCollapsesAgreeingFlavoursAndDropsEqualKeys) {
    auto a = parse(kHeader + "CONFIG_A policy<{'amd64-generic': 'y', 'amd64-lowlatency': 'y', 'arm64': 'm', 'arm64-generic': 'm'}>\n");
    ASSERT_TRUE(a.ok()) << a.error().describe();
    EXPECT_EQ(a->write(), kHeader + "\n\n# ---- Annotations without notes ----\n\n"
                                    "CONFIG_A                                        policy<{'amd64': 'y', 'arm64': 'm'}>\n");
}

TEST(Annotations, AllUndefinedSymbolsAndUnknownKeysAreDropped) {
    auto a = parse(kHeader + "CONFIG_A policy<{'amd64': '-', 'arm64': '-'}>\nCONFIG_B policy<{'riscv64': 'y', 'arm64': 'y'}>\n");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->write(), kHeader + "\n\n# ---- Annotations without notes ----\n\n"
                                    "CONFIG_B                                        policy<{'arm64': 'y'}>\n");
}

TEST(Annotations, ReadingMergesLinesAndBareArchOverridesFlavours) {
    auto a = parse(kHeader +
                   "CONFIG_A\tpolicy<{'amd64-generic': 'm', 'amd64-lowlatency': 'y'}>\n"
                   "# a comment\n\n"
                   "CONFIG_A    policy<{'arm64': 'n'}>\n"
                   "CONFIG_A policy<{'amd64': 'y'}>\n");
    ASSERT_TRUE(a.ok());
    const kf::Annotation* s = a->find("CONFIG_A");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->policy, (kf::Policy{{"amd64", "y"}, {"arm64", "n"}}));
}

TEST(Annotations, NotesKeepTheirFormAndOrder) {
    auto a = parse(kHeader +
                   "CONFIG_B policy<{'amd64': 'y'}>\nCONFIG_B note<'it''s \"fine\"'>\n"
                   "CONFIG_A policy<{'arm64': 'y'}> note<'one line'>\n"
                   "CONFIG_C policy<{'arm64': 'y'}>\n");
    ASSERT_TRUE(a.ok()) << a.error().describe();
    EXPECT_EQ(a->write(), kHeader + "\n"
                          "CONFIG_A                                        policy<{'arm64': 'y'}> note<'one line'>\n"
                          "CONFIG_B                                        policy<{'amd64': 'y'}>\n"
                          "CONFIG_B                                        note<'its \"fine\"'>\n\n"
                          "\n# ---- Annotations without notes ----\n\n"
                          "CONFIG_C                                        policy<{'arm64': 'y'}>\n");
    EXPECT_EQ(a->export_config("amd64", "generic"), "CONFIG_B=y\n");
    EXPECT_EQ(a->export_config("arm64", "generic"), "CONFIG_A=y\nCONFIG_C=y\n");
}

TEST(Annotations, ImportMarksChangedNotedSymbolsTodoWithoutQuotes) {
    auto a = parse(kHeader + "CONFIG_HZ policy<{'amd64': '250', 'arm64': '250'}>\nCONFIG_HZ note<'why'>\n"
                             "CONFIG_X policy<{'amd64': 'y', 'arm64': 'y'}>\nCONFIG_X note<'kept'>\n");
    ASSERT_TRUE(a.ok());
    a->import_config(kf::parse_dot_config("CONFIG_HZ=100\nCONFIG_X=y\n"), "arm64", "generic");
    std::string written = a->write();
    EXPECT_NE(written.find("note<TODO: update note>"), std::string::npos) << written;
    EXPECT_NE(written.find("note<'kept'>"), std::string::npos);
    EXPECT_NE(written.find("policy<{'amd64': '250', 'arm64': '100'}>"), std::string::npos);
    // Read back, the TODO note gains the quotes every other note has.
    auto b = parse(written);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->find("CONFIG_HZ")->note, "'TODO: update note'");
}

TEST(Annotations, AddFlavourKeepsHeaderSorted) {
    auto a = parse(kHeader);
    ASSERT_TRUE(a.ok());
    a->add_flavour("amd64", "tickless");
    a->add_flavour("arm64", "rt");
    EXPECT_EQ(a->flavours(), (std::vector<std::string>{"amd64-generic", "amd64-lowlatency", "amd64-tickless",
                                                       "arm64-generic", "arm64-rt"}));
    EXPECT_NE(a->write().find("# FLAVOUR: amd64-generic amd64-lowlatency amd64-tickless arm64-generic arm64-rt\n"),
              std::string::npos);
}

TEST(Annotations, IncludesFlavourDepAndLocalDifferencesOnly) {
    std::string base = "# Menu: HEADER\n# FORMAT: 4\n# ARCH: amd64 arm64\n# FLAVOUR: amd64-generic arm64-generic\n\n"
                       "CONFIG_A policy<{'amd64': 'y', 'arm64': 'y'}>\n"
                       "CONFIG_B policy<{'amd64': 'm', 'arm64': 'm'}>\n";
    std::string main = "# Menu: HEADER\n# FORMAT: 4\n# ARCH: amd64 arm64\n# FLAVOUR: amd64-aws arm64-aws\n"
                       "# FLAVOUR_DEP: {'amd64-aws': 'amd64-generic', 'arm64-aws': 'arm64-generic'}\n\n"
                       "include \"../../debian.master/config/annotations\"\n\n"
                       "CONFIG_B policy<{'amd64': 'y'}>\n";
    auto a = parse(main, {{"/t/../../debian.master/config/annotations", base}});
    ASSERT_TRUE(a.ok()) << a.error().describe();
    EXPECT_EQ(a->export_config("amd64", "aws"), "CONFIG_A=y\nCONFIG_B=y\n");
    EXPECT_EQ(a->export_config("arm64", "aws"), "CONFIG_A=y\nCONFIG_B=m\n");
    // CONFIG_A is exactly what the include gives: not written again.
    EXPECT_EQ(a->write(), "# Menu: HEADER\n# FORMAT: 4\n# ARCH: amd64 arm64\n# FLAVOUR: amd64-aws arm64-aws\n"
                          "# FLAVOUR_DEP: {'amd64-aws': 'amd64-generic', 'arm64-aws': 'arm64-generic'}\n\n"
                          "include \"../../debian.master/config/annotations\"\n\n"
                          "\n# ---- Annotations without notes ----\n\n"
                          "CONFIG_B                                        policy<{'amd64': 'y', 'arm64': 'm'}>\n");
}

struct BadAnnotations {
    std::string name, text, message;
    int line;
};

class AnnotationsErrors : public ::testing::TestWithParam<BadAnnotations> {};

TEST_P(AnnotationsErrors, NameFileLineAndReason) {
    const auto& p = GetParam();
    auto a = parse(p.text);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().code, kf::Exit::bad_input);
    EXPECT_EQ(a.error().file, "/t/annotations");
    EXPECT_EQ(a.error().line, p.line);
    EXPECT_NE(a.error().message.find(p.message), std::string::npos) << a.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, AnnotationsErrors,
    ::testing::Values(
        BadAnnotations{"MalformedLine", kHeader + "\nCONFIG_A policy<{'amd64': 'y'}>\nCONFIG_B = y\n", "invalid line", 7},
        BadAnnotations{"BadPolicyLiteral", kHeader + "CONFIG_A policy<{'amd64': y}>\n", "bad policy literal", 5},
        BadAnnotations{"UnterminatedString", kHeader + "CONFIG_A policy<{'amd64: 'y'}>\n", "bad policy literal", 5},
        BadAnnotations{"UnknownFormat", "# Menu: HEADER\n# FORMAT: 5\n# ARCH: amd64\n# FLAVOUR: amd64-generic\n",
                       "unknown annotations FORMAT '5'", 2},
        BadAnnotations{"NoFormat", "# Menu: HEADER\n# ARCH: amd64\n# FLAVOUR: amd64-generic\n", "FORMAT", 1},
        BadAnnotations{"NoFlavour", "# Menu: HEADER\n# FORMAT: 4\n# ARCH: amd64\n\nCONFIG_A policy<{'amd64': 'y'}>\n",
                       "no '# FLAVOUR:'", 1},
        BadAnnotations{"NoArch", "# FORMAT: 4\n# FLAVOUR: amd64-generic\n", "no '# ARCH:'", 1},
        BadAnnotations{"MissingInclude", kHeader + "include \"nowhere\"\n", "cannot read included file", 5}),
    [](const auto& info) { return info.param.name; });
