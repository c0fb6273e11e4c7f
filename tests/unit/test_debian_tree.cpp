// Debian's own kernel packaging: its INI and TOML defines, read and edited
// (tree/debian_ini, tree/debian_toml, tree/debian_defines), and the plan of
// `new` on it (tree/debian_new_plan), on the defines of real trees.
#include "archive/dpkg.hpp"
#include "tree/debian_defines.hpp"
#include "tree/debian_ini.hpp"
#include "tree/debian_kconfig.hpp"
#include "config/resolve_plan.hpp"
#include "tree/debian_new_plan.hpp"
#include "tree/debian_toml.hpp"
#include "base/fs.hpp"
#include "base/text.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace kf;
namespace fs = std::filesystem;

namespace {

const fs::path bookworm = fs::path(KF_TEST_DATA) / "debian-bookworm-6.1.187-1";
const fs::path trixie = fs::path(KF_TEST_DATA) / "debian-trixie-6.12.107-1";

PlanServices services() {
    return PlanServices{sys::check_version, sys::compare_versions,
                        [] { return Result<Maintainer>(Maintainer{"Jane Doe", "jane@example.com"}); },
                        "Tue, 14 Nov 2023 22:13:20 +0000"};
}

DebianTree read(const fs::path& root) {
    auto tree = read_debian_tree(root);
    EXPECT_TRUE(tree.ok()) << tree.error().describe();
    return *tree;
}

DebianNewRequest tickless(std::vector<std::string> arches = {"amd64", "arm64"}) {
    DebianNewRequest r;
    r.flavour.name = "tickless";
    r.flavour.base.clear();  // the arch's default flavour
    r.flavour.arches = std::move(arches);
    r.flavour.settings = {{"CONFIG_NO_HZ_FULL", "y"}, {"CONFIG_HZ_250", "n"}, {"CONFIG_HZ", "100"}};
    r.flavour.summary = "Full dynticks (nohz_full) kernel";
    return r;
}

std::string after(const NewPlan& plan, const fs::path& path) {
    const std::string* text = plan.edits.after(path);
    return text ? *text : "<not edited>";
}

std::vector<std::string> names(const std::vector<DebianFeatureset>& sets) {
    std::vector<std::string> out;
    for (const auto& s : sets) out.push_back(s.name + ":" + join(s.flavours, ","));
    return out;
}

}  // namespace

TEST(DebianIni, ReadsSectionsKeysAndContinuedValues) {
    auto ini = parse_ini("# c\n[base]\nflavours:\n amd64\n# a comment inside\n cloud-amd64\ndefault-flavour: amd64\n\n"
                         "[x_image]\nconfigs: a b\n",
                         "f");
    ASSERT_TRUE(ini.ok()) << ini.error().describe();
    EXPECT_EQ(ini->words("base", "flavours"), (std::vector<std::string>{"amd64", "cloud-amd64"}));
    EXPECT_EQ(ini->words("base", "default-flavour"), std::vector<std::string>{"amd64"});
    EXPECT_EQ(ini->words("x_image", "configs"), (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(ini->words("nosuch", "flavours").empty());
}

TEST(DebianIni, MalformedLinesAreBadInputWithTheirLine) {
    auto header = parse_ini("[base]\nflavours:\n a\n[broken\n", "d");
    ASSERT_FALSE(header.ok());
    EXPECT_EQ(header.error().describe(), "d:4: a section header without its ']'");
    auto orphan = parse_ini(" amd64\n", "d");
    ASSERT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.error().line, 1);
    auto no_key = parse_ini("[base]\njust words\n", "d");
    ASSERT_FALSE(no_key.ok());
    EXPECT_EQ(no_key.error().line, 2);
    EXPECT_FALSE(parse_ini("key: v\n", "d").ok());  // before any section
}

TEST(DebianIni, AddWordKeepsEveryOtherByte) {
    std::string text = "[base]\nflavours:\n amd64\n cloud-amd64\ndefault-flavour: amd64\n\n[y]\nk: v\n";
    auto ini = parse_ini(text, "f");
    ASSERT_TRUE(ini.ok());
    EXPECT_EQ(ini_add_word(text, *ini, "base", "flavours", "tickless"),
              "[base]\nflavours:\n amd64\n cloud-amd64\n tickless\ndefault-flavour: amd64\n\n[y]\nk: v\n");
    EXPECT_EQ(ini_add_word(text, *ini, "y", "flavours", "t"), "[base]\nflavours:\n amd64\n cloud-amd64\n"
                                                              "default-flavour: amd64\n\n[y]\nk: v\nflavours:\n t\n");
    EXPECT_EQ(ini_add_word("[a]\nk: v", *parse_ini("[a]\nk: v", "f"), "base", "flavours", "t"),
              "[a]\nk: v\n\n[base]\nflavours:\n t\n");
    EXPECT_EQ(ini_append_section("[a]\nk: v\n", "t_build", {{"signed-code", "false"}}),
              "[a]\nk: v\n\n[t_build]\nsigned-code: false\n");
    // What the edits write reads back as written.
    auto back = parse_ini(ini_append_section(ini_add_word(text, *ini, "base", "flavours", "tickless"), "tickless_build",
                                             {{"signed-code", "false"}}),
                          "f");
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_EQ(back->words("base", "flavours"), (std::vector<std::string>{"amd64", "cloud-amd64", "tickless"}));
    EXPECT_EQ(back->words("tickless_build", "signed-code"), std::vector<std::string>{"false"});
    EXPECT_EQ(back->words("y", "k"), std::vector<std::string>{"v"});
}

TEST(DebianToml, ReadsFlavoursFeaturesetsAndTheirOverrides) {
    auto arch = parse_arch_defines_toml("[[flavour]]\nname = 'amd64'\n[flavour.defs]\nis_default = true\n"
                                        "[[flavour]]\nname = 'cloud-amd64'\n[flavour.build]\nconfig = ['config.cloud']\n"
                                        "[[featureset]]\nname = 'none'\n[[featureset]]\nname = 'rt'\n"
                                        "[[featureset.flavour]]\nname = 'amd64'\n",
                                        "f");
    ASSERT_TRUE(arch.ok()) << arch.error().describe();
    ASSERT_EQ(arch->flavours.size(), 2u);
    EXPECT_TRUE(arch->flavours[0].is_default);
    EXPECT_EQ(arch->flavours[1].configs, std::vector<std::string>{"config.cloud"});
    ASSERT_EQ(arch->featuresets.size(), 2u);
    EXPECT_EQ(arch->featuresets[1].flavours, std::vector<std::string>{"amd64"});
}

TEST(DebianToml, BadTomlAndNamelessTablesAreBadInput) {
    auto bad = parse_arch_defines_toml("[[flavour]\nname = 'x'\n", "d.toml");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, Exit::bad_input);
    EXPECT_EQ(bad.error().line, 1);
    auto nameless = parse_arch_defines_toml("[[flavour]]\n[flavour.defs]\nis_default = true\n", "d.toml");
    ASSERT_FALSE(nameless.ok());
    EXPECT_NE(nameless.error().message.find("without a name"), std::string::npos);
}

TEST(DebianToml, AppendedFlavourParsesBack) {
    std::string text = "[[flavour]]\nname = 'amd64'\n\n[build]\nenable_signed = true\n";
    std::string out = toml_append_flavour(text, "tickless", {{"enable_signed", "false"}},
                                          {{"hardware", "amd64 (tickless)"}, {"hardware_long", "say \"hi\""}});
    EXPECT_EQ(out.substr(0, text.size()), text);
    auto arch = parse_arch_defines_toml(out, "f");
    ASSERT_TRUE(arch.ok()) << arch.error().describe();
    ASSERT_EQ(arch->flavours.size(), 2u);
    EXPECT_EQ(arch->flavours[1].name, "tickless");
    EXPECT_NE(out.find("hardware_long = \"say \\\"hi\\\"\""), std::string::npos);
}

TEST(DebianTree, ListsBookwormFeaturesetsAndFlavours) {
    DebianTree tree = read(bookworm);
    EXPECT_EQ(tree.format, DefinesFormat::ini);
    EXPECT_EQ(tree.version, "6.1.187-1");
    ASSERT_EQ(tree.arches.size(), 2u);  // the fixture keeps amd64 and arm64 of the 33 arches
    EXPECT_EQ(tree.arches[0].name, "amd64");
    EXPECT_EQ(tree.arches[0].default_flavour, "amd64");
    EXPECT_EQ(names(tree.arches[0].featuresets), (std::vector<std::string>{"none:amd64,cloud-amd64", "rt:amd64"}));
}

TEST(DebianTree, ListsTrixieFeaturesetsAndFlavours) {
    DebianTree tree = read(trixie);
    EXPECT_EQ(tree.format, DefinesFormat::toml);
    const DebianArch* arm64 = tree.arch("arm64");
    ASSERT_NE(arm64, nullptr);
    EXPECT_EQ(arm64->default_flavour, "arm64");
    EXPECT_EQ(names(arm64->featuresets), (std::vector<std::string>{"none:arm64,cloud-arm64,arm64-16k", "rt:arm64"}));
}

TEST(DebianTree, ADebianDirThatIsNotTheKernelsIsBadInput) {
    auto ubuntu = read_debian_tree(fs::path(KF_TEST_DATA) / "ubuntu-focal-5.4.0-200");
    ASSERT_FALSE(ubuntu.ok());
    EXPECT_EQ(ubuntu.error().code, Exit::bad_input);
    EXPECT_NE(ubuntu.error().message.find("not Debian's kernel packaging"), std::string::npos);
}

TEST(DebianNewPlan, BookwormFlavourGoesIntoTheFeaturesetDefines) {
    DebianTree tree = read(bookworm);
    auto plan = plan_debian_flavour(tree, tickless(), services());
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    std::string defines = after(*plan, tree.config_dir() / "amd64/none/defines");
    EXPECT_NE(defines.find(" cloud-amd64\n tickless\ndefault-flavour: amd64\n"), std::string::npos) << defines;
    EXPECT_NE(defines.find("[tickless_build]\nsigned-code: false\n"), std::string::npos);
    EXPECT_EQ(defines.find("[tickless_image]"), std::string::npos);  // the default flavour's configs: none to list
    // One stanza serves both arches: each arch's headers compiler, qualified.
    EXPECT_NE(defines.find("[tickless_relations]\nheaders%gcc-12: linux-compiler-gcc-12-x86 [amd64]\n"),
              std::string::npos);
    EXPECT_NE(after(*plan, tree.config_dir() / "arm64/none/defines").find("headers%gcc-12: gcc-12 [arm64]\n"),
              std::string::npos);
    EXPECT_EQ(after(*plan, tree.config_dir() / "arm64/config.tickless"),
              debian_fragment_marker("tickless") + "\n##\nCONFIG_NO_HZ_FULL=y\n# CONFIG_HZ_250 is not set\nCONFIG_HZ=100\n");
    std::string changelog = after(*plan, tree.root / "debian/changelog");
    EXPECT_EQ(changelog.substr(0, changelog.find('\n')), "linux (6.1.187-1a~tickless1) UNRELEASED; urgency=medium");
    EXPECT_NE(changelog.find("\nlinux (6.1.187-1) bookworm-security;"), std::string::npos);
    EXPECT_EQ(plan->version, "6.1.187-1a~tickless1");
    EXPECT_GT(sys::compare_versions(plan->version, "6.1.187-1"), 0);
    EXPECT_LT(sys::compare_versions(plan->version, "6.1.187-1+deb12u1"), 0);
    EXPECT_LT(sys::compare_versions(plan->version, "6.1.187-2"), 0);
}

TEST(DebianNewPlan, ANonDefaultBaseListsItsConfigsThenTheFlavours) {
    DebianTree tree = read(bookworm);
    auto req = tickless({"amd64"});
    req.flavour.base = "cloud-amd64";
    auto plan = plan_debian_flavour(tree, req, services());
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    EXPECT_NE(after(*plan, tree.config_dir() / "amd64/none/defines")
                  .find("[tickless_image]\nconfigs: \n config.cloud\n amd64/config.cloud-amd64\n amd64/config.tickless\n"),
              std::string::npos);
}

TEST(DebianNewPlan, RtFeaturesetFlavourHasItsFragmentBesideTheFeaturesetDefines) {
    DebianTree tree = read(bookworm);
    auto req = tickless({"arm64"});
    req.featureset = "rt";
    auto plan = plan_debian_flavour(tree, req, services());
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    EXPECT_EQ(after(*plan, tree.config_dir() / "arm64/rt/defines").substr(0, 34), "[base]\nflavours:\n arm64\n tickless\n");
    EXPECT_NE(plan->edits.after(tree.config_dir() / "arm64/rt/config.tickless"), nullptr);
}

TEST(DebianNewPlan, TrixieFlavourIsAppendedAsAFlavourTable) {
    DebianTree tree = read(trixie);
    auto plan = plan_debian_flavour(tree, tickless({"arm64"}), services());
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    fs::path file = tree.config_dir() / "arm64/defines.toml";
    auto before = read_file(file);
    ASSERT_TRUE(before.ok());
    std::string text = after(*plan, file);
    EXPECT_EQ(text.substr(0, before->size()), *before);
    EXPECT_NE(text.find("[[flavour]]\nname = \"tickless\"\n[flavour.build]\nenable_signed = false\n"), std::string::npos);
    EXPECT_EQ(plan->version, "6.12.107-1a~tickless1");
}

TEST(DebianNewPlan, BadRequestsAreBadInput) {
    DebianTree tree = read(bookworm);
    auto expect_bad = [&](DebianNewRequest req, const std::string& words) {
        auto plan = plan_debian_flavour(tree, req, services());
        ASSERT_FALSE(plan.ok()) << words;
        EXPECT_EQ(plan.error().code, Exit::bad_input);
        EXPECT_NE(plan.error().message.find(words), std::string::npos) << plan.error().message;
    };
    auto fs_unknown = tickless();
    fs_unknown.featureset = "nosuch";
    expect_bad(fs_unknown, "unknown featureset 'nosuch'");
    auto clash = tickless();
    clash.flavour.name = "cloud-arm64";  // Debian's, on the other arch
    expect_bad(clash, "collides");
    auto featureset_name = tickless();
    featureset_name.flavour.name = "rt";
    featureset_name.featureset = "rt";
    expect_bad(featureset_name, "collides");
    expect_bad(tickless({}), "--arch is required");
    expect_bad(tickless({"sparc99"}), "unknown arch 'sparc99'");
    auto base = tickless();
    base.flavour.base = "nosuch";
    expect_bad(base, "unknown base flavour");
}

TEST(DebianNewPlan, TrixieRtFlavourIsAnArchFlavourListedInTheRtOverride) {
    DebianTree tree = read(trixie);
    auto rt = tickless({"arm64"});
    rt.featureset = "rt";
    auto plan = plan_debian_flavour(tree, rt, services());
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    fs::path file = tree.config_dir() / "arm64/defines.toml";
    std::string text = after(*plan, file);
    // Inserted after rt's own override, before [build].
    EXPECT_NE(text.find("[[featureset.flavour]]\nname = 'arm64'\n\n[[featureset.flavour]]\nname = \"tickless\"\n\n[build]"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("[[flavour]]\nname = \"tickless\""), std::string::npos);
    auto parsed = parse_arch_defines_toml(text, file.string());
    ASSERT_TRUE(parsed.ok());
    for (const auto& set : parsed->featuresets)
        if (set.name == "rt") EXPECT_EQ(set.flavours, (std::vector<std::string>{"arm64", "tickless"}));
    // The fragment is the arch's (config_v2 reads config.NAME beside the arch's defines).
    EXPECT_NE(plan->edits.after(tree.config_dir() / "arm64/config.tickless"), nullptr);
    EXPECT_EQ(plan->version, "6.12.107-1a~rt.tickless1");
}

TEST(DebianToml, AFeaturesetWithoutOverridesAlreadyHasEveryArchFlavour) {
    const std::string text = "[[featureset]]\nname = 'none'\n\n[[featureset]]\nname = 'rt'\n\n[build]\nx = 1\n";
    auto out = toml_add_featureset_flavour(text, "rt", "tickless", "f");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(*out, text);
    auto missing = toml_add_featureset_flavour(text, "nosuch", "tickless", "f");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Exit::bad_input);
    // The override at the end of the file, no trailing newline.
    auto last = toml_add_featureset_flavour("[[featureset]]\nname = \"rt\"\n[[featureset.flavour]]\nname = 'a'", "rt", "t", "f");
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(*last, "[[featureset]]\nname = \"rt\"\n[[featureset.flavour]]\nname = 'a'\n\n[[featureset.flavour]]\nname = \"t\"");
}

TEST(DebianKconfig, TheFlavoursFilesComeFromItsRulesGenTarget) {
    std::string rules_gen =
        "debian/build/config.amd64_none_amd64:\n"
        "\t$(MAKE) -f debian/rules.real debian/build/config.amd64_none_amd64 ARCH='amd64' "
        "KCONFIG='debian/config/config debian/config/amd64/config' KCONFIG_OPTIONS=' -o \"X\"'\n"
        "debian/build/config.amd64_none_tickless:\n"
        "\t$(MAKE) -f debian/rules.real debian/build/config.amd64_none_tickless ARCH='amd64' "
        "KCONFIG='debian/config/config debian/config/kernelarch-x86/config debian/config/amd64/config "
        "debian/config/amd64/config.tickless' KERNEL_ARCH='x86'\n";
    auto files = debian_kconfig_files(rules_gen, "amd64", "none", "tickless", "rules.gen");
    ASSERT_TRUE(files.ok()) << files.error().describe();
    EXPECT_EQ(*files, (std::vector<std::string>{"debian/config/config", "debian/config/kernelarch-x86/config",
                                                "debian/config/amd64/config", "debian/config/amd64/config.tickless"}));
    auto missing = debian_kconfig_files(rules_gen, "amd64", "rt", "tickless", "rules.gen");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().describe(), "rules.gen: no flavour amd64_rt_tickless in debian/rules.gen");
}

TEST(DebianKconfig, LaterFilesWinInPlace) {
    DotConfig merged = merge_debian_configs({"## common\nCONFIG_A=y\n# CONFIG_B is not set\nCONFIG_HZ_250=y\n",
                                             "CONFIG_B=m\n", "# CONFIG_HZ_250 is not set\nCONFIG_HZ_100=y\n"});
    EXPECT_EQ(write_dot_config(merged.settings),
              "CONFIG_A=y\nCONFIG_B=m\n# CONFIG_HZ_250 is not set\nCONFIG_HZ_100=y\n");
}

// The arch restriction goes before build profiles, where dpkg reads it.
TEST(DebianNewPlan, HeadersRelationIsRestrictedBeforeItsProfiles) {
    const fs::path copy = fs::temp_directory_path() / ("kf-debian-rel-" + std::to_string(::getpid()));
    fs::remove_all(copy);
    fs::copy(bookworm, copy, fs::copy_options::recursive);
    const fs::path defines = copy / "debian/config/arm64/defines";
    auto text = read_file(defines);
    ASSERT_TRUE(text.ok());
    std::string changed = *text;
    const std::string old_line = "headers%gcc-12: gcc-12\n";
    ASSERT_NE(changed.find(old_line), std::string::npos);
    changed.replace(changed.find(old_line), old_line.size(), "headers%gcc-12: gcc-12 <!stage1>, a | b (>= 1)\n");
    ASSERT_TRUE(write_file_atomically(defines, changed).ok());
    DebianTree tree = read(copy);
    auto plan = plan_debian_flavour(tree, tickless({"arm64"}), services());
    fs::remove_all(copy);
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    EXPECT_NE(after(*plan, tree.config_dir() / "arm64/none/defines")
                  .find("headers%gcc-12: gcc-12 [arm64] <!stage1>, a [arm64] | b (>= 1) [arm64]\n"),
              std::string::npos);
}
