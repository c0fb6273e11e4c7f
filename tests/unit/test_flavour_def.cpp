#include "tree/flavour_def.hpp"
#include "archive/deb822.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <unistd.h>

using namespace kf;
namespace fs = std::filesystem;

namespace {

// Reads from a map instead of the disk.
FileReader reader(std::map<std::string, std::string> files) {
    return [files](const fs::path& p) -> Result<std::string> {
        auto it = files.find(p.string());
        if (it == files.end()) return bad_input("cannot read: No such file or directory", p.string());
        return it->second;
    };
}

const std::vector<DefField> tickless_fields = {
    {"Flavour", "tickless"},
    {"Supported", "Tickless"},
    {"Target", "Geared toward\n low jitter."},
    {"Fragment", "tickless.config"},
    {"Notes", "CONFIG_HZ: 100 Hz tick\n CONFIG_NO_HZ_FULL: full dynticks\n ."},
    {"Vars-Provides", "foo"},
};

std::string setting_value(const FlavourDef& def, const std::string& name) {
    for (const auto& s : def.settings)
        if (s.name == name) return s.value;
    return "<absent>";
}

}  // namespace

TEST(FlavourDef, BuildsFromFieldsAndFragment) {
    auto def = make_flavour_def(tickless_fields, "/defs/tickless.flavour",
                                reader({{"/defs/tickless.config", "CONFIG_NO_HZ_FULL=y\n# CONFIG_HZ_250 is not set\nCONFIG_HZ=100\n"}}));
    ASSERT_TRUE(def.ok()) << def.error().describe();
    EXPECT_EQ(def->flavour, "tickless");
    EXPECT_EQ(def->supported, "Tickless");
    EXPECT_EQ(def->target, "Geared toward low jitter.");
    EXPECT_EQ(def->fragment_file, fs::path("/defs/tickless.config"));
    ASSERT_EQ(def->settings.size(), 3u);
    EXPECT_EQ(def->settings[0].name, "CONFIG_NO_HZ_FULL");
    EXPECT_EQ(setting_value(*def, "CONFIG_HZ_250"), "n");
    EXPECT_EQ(def->notes.at("CONFIG_HZ"), "100 Hz tick");
    EXPECT_EQ(def->notes.at("CONFIG_NO_HZ_FULL"), "full dynticks");
    EXPECT_EQ(def->vars.at("provides"), "foo");
}

TEST(FlavourDef, BadFragmentLineNamesTheFragmentAndLine) {
    auto def = make_flavour_def(tickless_fields, "/defs/tickless.flavour",
                                reader({{"/defs/tickless.config", "CONFIG_HZ=100\nNO_HZ_FULL=y\n"}}));
    ASSERT_FALSE(def.ok());
    EXPECT_EQ(def.error().file, "/defs/tickless.config");
    EXPECT_EQ(def.error().line, 2);
}

TEST(FlavourDef, MissingFragmentFileIsAnError) {
    auto def = make_flavour_def(tickless_fields, "/defs/tickless.flavour", reader({}));
    ASSERT_FALSE(def.ok());
    EXPECT_EQ(def.error().file, "/defs/tickless.config");
}

TEST(FlavourDef, UnknownFieldAndMissingFlavourAreErrors) {
    auto unknown = make_flavour_def({{"Flavour", "x"}, {"Suported", "X"}}, "/d/x.flavour", reader({}));
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().file, "/d/x.flavour");
    EXPECT_NE(unknown.error().message.find("Suported"), std::string::npos);
    auto nameless = make_flavour_def({{"Supported", "X"}}, "/d/x.flavour", reader({}));
    ASSERT_FALSE(nameless.ok());
}

TEST(FlavourDef, NoteForASymbolTheFragmentDoesNotSet) {
    auto def = make_flavour_def({{"Flavour", "x"}, {"Fragment", "x.config"}, {"Notes", "CONFIG_B: why"}},
                                "/d/x.flavour", reader({{"/d/x.config", "CONFIG_A=y\n"}}));
    ASSERT_FALSE(def.ok());
    EXPECT_NE(def.error().message.find("CONFIG_B"), std::string::npos);
}

TEST(FlavourDef, NotesSyntax) {
    EXPECT_TRUE(parse_notes("CONFIG_A: a\n CONFIG_B:  b c \n", "f").ok());
    EXPECT_FALSE(parse_notes("CONFIG_A a\n", "f").ok());
    EXPECT_FALSE(parse_notes("HZ: a\n", "f").ok());
    EXPECT_FALSE(parse_notes("CONFIG_A:\n", "f").ok());
}

TEST(FlavourDef, FindByNameOrFile) {
    fs::path dir = fs::temp_directory_path() / ("kf-def-" + std::to_string(::getpid()));
    fs::create_directories(dir / "one");
    fs::create_directories(dir / "two");
    std::ofstream(dir / "two" / "rt.flavour") << "Flavour: rt\n";
    std::ofstream(dir / "one" / "rt.flavour") << "Flavour: rt\n";
    std::ofstream(dir / "two" / "lowlatency.flavour") << "Flavour: lowlatency\n";
    std::vector<fs::path> dirs = {dir / "one", dir / "two"};
    EXPECT_EQ(*find_flavour_def("rt", dirs), dir / "one" / "rt.flavour");  // first dir wins
    EXPECT_EQ(*find_flavour_def("lowlatency", dirs), dir / "two" / "lowlatency.flavour");
    EXPECT_EQ(*find_flavour_def((dir / "two" / "rt.flavour").string(), {}), dir / "two" / "rt.flavour");
    auto missing = find_flavour_def("nope", dirs);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find((dir / "one").string()), std::string::npos);
    EXPECT_FALSE(find_flavour_def("x/nope.flavour", dirs).ok());
    EXPECT_FALSE(find_flavour_def("nope.flavour", dirs).ok());  // a file name, not looked up in dirs
    fs::remove_all(dir);
}

// The shipped definitions parse and carry a note for every setting.
class ShippedFlavour : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedFlavour, ParsesWithNotesForEverySetting) {
    fs::path file = fs::path(KF_SOURCE_DIR) / "flavours" / (GetParam() + ".flavour");
    auto paragraphs = sys::parse_deb822(file);
    ASSERT_TRUE(paragraphs.ok()) << paragraphs.error().describe();
    ASSERT_EQ(paragraphs->size(), 1u);
    std::vector<DefField> fields;
    for (const auto& f : (*paragraphs)[0]) fields.push_back({f.name, f.value});
    auto def = make_flavour_def(fields, file, [](const fs::path& p) -> Result<std::string> {
        std::ifstream in(p);
        if (!in) return bad_input("cannot read", p.string());
        return std::string(std::istreambuf_iterator<char>(in), {});
    });
    ASSERT_TRUE(def.ok()) << def.error().describe();
    EXPECT_EQ(def->flavour, GetParam());
    EXPECT_TRUE(def->supported.has_value());
    EXPECT_TRUE(def->target.has_value());
    EXPECT_FALSE(def->settings.empty());
    for (const auto& s : def->settings) EXPECT_TRUE(def->notes.count(s.name)) << s.name << " has no note";
}

INSTANTIATE_TEST_SUITE_P(Flavours, ShippedFlavour, ::testing::Values("tickless", "lowlatency"));

TEST(ShippedTickless, HasTheIssuesSettings) {
    fs::path file = fs::path(KF_SOURCE_DIR) / "flavours" / "tickless.flavour";
    auto paragraphs = sys::parse_deb822(file);
    ASSERT_TRUE(paragraphs.ok());
    std::vector<DefField> fields;
    for (const auto& f : (*paragraphs)[0]) fields.push_back({f.name, f.value});
    auto def = make_flavour_def(fields, file, [](const fs::path& p) -> Result<std::string> {
        std::ifstream in(p);
        return std::string(std::istreambuf_iterator<char>(in), {});
    });
    ASSERT_TRUE(def.ok()) << def.error().describe();
    EXPECT_EQ(setting_value(*def, "CONFIG_NO_HZ_FULL"), "y");
    EXPECT_EQ(setting_value(*def, "CONFIG_HZ_100"), "y");
    EXPECT_EQ(setting_value(*def, "CONFIG_HZ"), "100");
    EXPECT_EQ(setting_value(*def, "CONFIG_RCU_NOCB_CPU"), "y");
    EXPECT_EQ(setting_value(*def, "CONFIG_CONTEXT_TRACKING"), "y");
    EXPECT_EQ(setting_value(*def, "CONFIG_HZ_250"), "n");
}
