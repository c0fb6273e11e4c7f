#include "tree/upstream_flavour.hpp"
#include "tree/upstream_store.hpp"
#include "base/fs.hpp"
#include "temp_dir.hpp"
#include "config/kbuild.hpp"
#include "base/process.hpp"
#include "test_doubles.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kf {
namespace {
using ::testing::HasSubstr;
namespace fs = std::filesystem;

TEST(UpstreamFlavour, Layout) {
    UpstreamLayout l{"/src/linux"};
    EXPECT_EQ(l.flavour_file("tickless"), fs::path("/src/linux/kflavour/tickless.flavour"));
    EXPECT_EQ(l.fragment_file("tickless"), fs::path("/src/linux/kflavour/tickless.config"));
    EXPECT_EQ(l.base_config_file("tickless"), fs::path("/src/linux/kflavour/tickless.base.config"));
    EXPECT_EQ(l.resolved_config("tickless", "arm64"), fs::path("/src/linux/kflavour/tickless/arm64.config"));
}

TEST(UpstreamFlavour, ClassifyBaseConfig) {
    auto t = classify_base_config("tinyconfig", false);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->kind, BaseConfig::Kind::target);
    EXPECT_EQ(t->value, "tinyconfig");
    EXPECT_TRUE(classify_base_config("x86_64_defconfig", false).ok());
    EXPECT_TRUE(classify_base_config("kvm_guest.config", false).ok());
    EXPECT_EQ(classify_base_config("./my.config", false)->kind, BaseConfig::Kind::file);
    EXPECT_EQ(classify_base_config("defconfig", true)->kind, BaseConfig::Kind::file);  // an existing file wins
    for (const char* bad : {"", "vmlinux", "menuconfig", "oldconfig", "-j8config", "all config", "$(shell)config"})
        EXPECT_FALSE(classify_base_config(bad, false).ok()) << bad;
}

TEST(UpstreamFlavour, WriteParseRoundTrip) {
    UpstreamFlavour f{"tickless", {BaseConfig::Kind::target, "tinyconfig"}, {"arm64", "amd64"}, "tickless.config"};
    std::string text = write_upstream_flavour(f);
    EXPECT_THAT(text, HasSubstr("Flavour: tickless\nBase-Config: tinyconfig\nArches: arm64 amd64\nFragment: tickless.config\n"));
    auto back = parse_upstream_flavour(text, "f");
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_EQ(back->name, "tickless");
    EXPECT_EQ(back->base.kind, BaseConfig::Kind::target);
    EXPECT_EQ(back->base.value, "tinyconfig");
    EXPECT_EQ(back->arches, (std::vector<std::string>{"arm64", "amd64"}));
    EXPECT_EQ(back->fragment, "tickless.config");
    EXPECT_EQ(write_upstream_flavour(*back), text);

    f.base = {BaseConfig::Kind::file, "tickless.base.config"};
    auto file_based = parse_upstream_flavour(write_upstream_flavour(f), "f");
    ASSERT_TRUE(file_based.ok());
    EXPECT_EQ(file_based->base.kind, BaseConfig::Kind::file);
    EXPECT_EQ(file_based->base.value, "tickless.base.config");
}

TEST(UpstreamFlavour, ParseErrorsNameFileAndLine) {
    struct Case {
        const char* text;
        const char* message;
        int line;
    };
    for (const Case& c : std::vector<Case>{
             {"Flavour: x\nBase-Config tinyconfig\n", "expected 'Field: value'", 2},
             {"Flavour: x\nBase-Config: tinyconfig\nArches: arm64\nColour: red\n", "unknown field 'Colour'", 4},
             {"Flavour: X!\n", "invalid flavour name", 1},
             {"Flavour: x\nBase-Config: vmlinux\n", "not a make target name", 2},
             {"Flavour: x\nBase-Config-File: ../etc/passwd\n", "not a file name in kflavour/", 2},
             {"Flavour: x\nBase-Config: tinyconfig\nBase-Config: defconfig\n", "a second base config", 3},
             {"Flavour: x\nBase-Config: tinyconfig\nArches: vax\n", "no kernel ARCH known for 'vax'", 3},
             {"Flavour: x\nArches: arm64\n", "no Base-Config", 0},
             {"Base-Config: tinyconfig\nArches: arm64\n", "no Flavour", 0},
             {"Flavour: x\nBase-Config: tinyconfig\n", "no Arches", 0},
         }) {
        auto r = parse_upstream_flavour(c.text, "kflavour/x.flavour");
        ASSERT_FALSE(r.ok()) << c.text;
        EXPECT_THAT(r.error().message, HasSubstr(c.message)) << c.text;
        EXPECT_EQ(r.error().file, "kflavour/x.flavour");
        EXPECT_EQ(r.error().line, c.line) << c.text;
        EXPECT_EQ(r.error().code, Exit::bad_input);
    }
    // Comments, blank lines and field case are fine.
    EXPECT_TRUE(parse_upstream_flavour("# c\n\nflavour: x\nBASE-CONFIG: defconfig\narches: arm64\n", "f").ok());
}

TEST(UpstreamFlavour, FragmentIsParseableAndLastWins) {
    std::string text = write_upstream_fragment(
        "tickless", {{"CONFIG_HZ_100", "y"}, {"CONFIG_HZ_250", "n"}, {"CONFIG_HZ_100", "n"}, {"CONFIG_HZ", "100"}});
    auto back = parse_fragment(text, "frag");
    ASSERT_TRUE(back.ok()) << back.error().describe();
    ASSERT_EQ(back->size(), 3u);
    EXPECT_EQ((*back)[0].name, "CONFIG_HZ_100");
    EXPECT_EQ((*back)[0].value, "n");
    EXPECT_THAT(text, HasSubstr("# CONFIG_HZ_250 is not set\n"));
}

TEST(UpstreamFlavour, MakeArch) {
    EXPECT_EQ(upstream_make_arch("amd64"), "x86_64");  // tinyconfig with ARCH=x86 would be 32-bit
    EXPECT_EQ(upstream_make_arch("i386"), "i386");
    EXPECT_EQ(upstream_make_arch("arm64"), "arm64");
    EXPECT_EQ(upstream_make_arch("vax"), std::nullopt);
}

UpstreamNewRequest request() {
    UpstreamNewRequest r;
    r.name = "tickless";
    r.base = {BaseConfig::Kind::target, "tinyconfig"};
    r.arches = {"arm64"};
    r.settings = {{"CONFIG_NO_HZ_FULL", "y"}};
    return r;
}

TEST(UpstreamFlavour, PlanNewCreatesFlavourAndFragment) {
    UpstreamLayout l{"/t"};
    auto plan = plan_upstream_new(l, request(), {});
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    ASSERT_EQ(plan->edits.edits().size(), 2u);
    EXPECT_FALSE(plan->existed);
    ASSERT_NE(plan->edits.after("/t/kflavour/tickless.flavour"), nullptr);
    EXPECT_THAT(*plan->edits.after("/t/kflavour/tickless.config"), HasSubstr("CONFIG_NO_HZ_FULL=y\n"));
    EXPECT_FALSE(plan->edits.edits()[0].before.has_value());
}

TEST(UpstreamFlavour, PlanNewBaseFileIsCopied) {
    UpstreamLayout l{"/t"};
    auto req = request();
    req.base = {BaseConfig::Kind::file, "/home/me/my.config"};
    req.base_content = "CONFIG_X=y\n";
    auto plan = plan_upstream_new(l, req, {});
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->flavour.base.value, "tickless.base.config");
    ASSERT_NE(plan->edits.after("/t/kflavour/tickless.base.config"), nullptr);
    EXPECT_EQ(*plan->edits.after("/t/kflavour/tickless.base.config"), "CONFIG_X=y\n");
    EXPECT_THAT(*plan->edits.after("/t/kflavour/tickless.flavour"), HasSubstr("Base-Config-File: tickless.base.config\n"));
}

TEST(UpstreamFlavour, PlanNewExisting) {
    UpstreamLayout l{"/t"};
    auto first = plan_upstream_new(l, request(), {});
    ASSERT_TRUE(first.ok());
    UpstreamExisting same{*first->edits.after("/t/kflavour/tickless.flavour"),
                          *first->edits.after("/t/kflavour/tickless.config"), std::nullopt};
    auto again = plan_upstream_new(l, request(), same);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->same);
    EXPECT_TRUE(again->edits.empty());

    auto other = request();
    other.settings.push_back({"CONFIG_HZ_100", "y"});
    auto refused = plan_upstream_new(l, other, same);
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(refused.error().message, HasSubstr("already exists with different settings"));
    EXPECT_EQ(refused.error().file, "/t/kflavour/tickless.flavour");
    other.force = true;
    auto forced = plan_upstream_new(l, other, same);
    ASSERT_TRUE(forced.ok());
    EXPECT_EQ(forced->edits.edits().size(), 1u);  // only the fragment changes
}

TEST(UpstreamFlavour, PlanNewBadInput) {
    UpstreamLayout l{"/t"};
    auto r = request();
    r.arches.clear();
    EXPECT_FALSE(plan_upstream_new(l, r, {}).ok());
    r = request();
    r.arches = {"vax"};
    EXPECT_FALSE(plan_upstream_new(l, r, {}).ok());
    r = request();
    r.name = "Bad Name";
    EXPECT_FALSE(plan_upstream_new(l, r, {}).ok());
}

// The upstream Kconfig run: `make TARGET` then `make olddefconfig` in the
// same scratch dir, the edit in between.
TEST(UpstreamFlavour, KconfigFromTargetArgv) {
    test::RecordingRunner runner;
    runner.respond = [](const sys::Command& c) {
        std::string o;
        for (const auto& a : c.argv)
            if (a.rfind("O=", 0) == 0) o = a.substr(2);
        std::FILE* f = std::fopen((o + "/.config").c_str(), "a");
        std::fputs(c.argv.back() == "tinyconfig" ? "CONFIG_BASE=y\n" : "", f);
        std::fclose(f);
        return sys::ProcessOutput{0, ""};
    };
    sys::KbuildTarget target{"arm64", "arm64", "aarch64-linux-gnu-"};
    std::string seen_base;
    auto run = sys::run_kconfig_from_target(
        runner, "/src", target, "tinyconfig",
        [&](const std::string& base) {
            seen_base = base;
            return base + "CONFIG_HZ_100=y\n";
        });
    ASSERT_TRUE(run.ok()) << run.error().describe();
    EXPECT_EQ(seen_base, "CONFIG_BASE=y\n");
    EXPECT_EQ(run->config, "CONFIG_BASE=y\nCONFIG_HZ_100=y\n");
    ASSERT_EQ(runner.commands.size(), 2u);
    const auto& a = runner.commands[0].argv;
    const auto& b = runner.commands[1].argv;
    ASSERT_EQ(a.size(), 8u);
    EXPECT_EQ(a[1], "-s");
    EXPECT_EQ(a[3], "/src");
    EXPECT_EQ(a[4], b[4]);  // same O= scratch dir
    EXPECT_EQ(a[5], "ARCH=arm64");
    EXPECT_EQ(a[6], "CROSS_COMPILE=aarch64-linux-gnu-");
    EXPECT_EQ(a[7], "tinyconfig");
    EXPECT_EQ(b[7], "olddefconfig");
    EXPECT_FALSE(fs::exists(a[4].substr(2)));  // scratch removed
}

TEST(UpstreamFlavour, RtPatchRecordRoundTrips) {
    UpstreamFlavour f{"rt", {BaseConfig::Kind::target, "tinyconfig"}, {"arm64"}, "rt.config",
                      RtPatchRecord{"patch-6.1.176-rt64.patch.xz", "https://cdn.kernel.org/pub/linux/kernel/projects/rt/6.1/",
                                    std::string(64, 'a')}};
    const std::string text = write_upstream_flavour(f);
    EXPECT_THAT(text, HasSubstr("Rt-Patch: patch-6.1.176-rt64.patch.xz\n"
                                "Rt-Patch-Source: https://cdn.kernel.org/pub/linux/kernel/projects/rt/6.1/\n"
                                "Rt-Patch-Sha256: " + std::string(64, 'a') + "\n"));
    auto back = parse_upstream_flavour(text, "f");
    ASSERT_TRUE(back.ok()) << back.error().describe();
    ASSERT_TRUE(back->rt_patch);
    EXPECT_EQ(*back->rt_patch, *f.rt_patch);
    EXPECT_EQ(write_upstream_flavour(*back), text);
    // A source or checksum without the patch's name is no record.
    auto orphan = parse_upstream_flavour("Flavour: rt\nBase-Config: tinyconfig\nArches: arm64\nRt-Patch-Sha256: ab\n", "f");
    ASSERT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.error().message, "Rt-Patch-Source or Rt-Patch-Sha256 without Rt-Patch");
}

// What build reads back from kflavour/: the flavours resolved for an arch
// (a directory without that arch's config is not one), and a flavour's
// record only when its .flavour file is there.
TEST(UpstreamStore, ResolvedFlavoursAndStoredRecords) {
    test::TempDir dir;
    const UpstreamLayout layout{dir.path};
    fs::create_directories(layout.dir() / "tickless");
    fs::create_directories(layout.dir() / "rt");
    fs::create_directories(layout.dir() / "empty");
    ASSERT_TRUE(write_file_atomically(layout.resolved_config("tickless", "arm64"), "CONFIG_NO_HZ_FULL=y\n").ok());
    ASSERT_TRUE(write_file_atomically(layout.resolved_config("rt", "arm64"), "CONFIG_PREEMPT_RT=y\n").ok());
    ASSERT_TRUE(write_file_atomically(layout.resolved_config("rt", "amd64"), "CONFIG_PREEMPT_RT=y\n").ok());
    EXPECT_EQ(resolved_flavours(dir.path, "arm64"), (std::vector<std::string>{"rt", "tickless"}));
    EXPECT_EQ(resolved_flavours(dir.path, "amd64"), (std::vector<std::string>{"rt"}));
    EXPECT_TRUE(resolved_flavours(dir.path, "riscv64").empty());
    EXPECT_EQ(resolved_config_file(dir.path, "arm64", "tickless"), layout.resolved_config("tickless", "arm64"));
    EXPECT_FALSE(resolved_config_file(dir.path, "amd64", "tickless"));

    UpstreamFlavour rt{"rt", {BaseConfig::Kind::target, "tinyconfig"}, {"arm64", "amd64"}, "rt.config", std::nullopt};
    ASSERT_TRUE(write_file_atomically(layout.flavour_file("rt"), write_upstream_flavour(rt)).ok());
    auto stored = stored_upstream_flavour(dir.path, "rt");
    ASSERT_TRUE(stored.ok()) << stored.error().describe();
    ASSERT_TRUE(stored->has_value());
    EXPECT_EQ((*stored)->arches, rt.arches);
    auto absent = stored_upstream_flavour(dir.path, "tickless");  // resolved by hand: no record
    ASSERT_TRUE(absent.ok());
    EXPECT_FALSE(absent->has_value());
    ASSERT_TRUE(write_file_atomically(layout.flavour_file("tickless"), "Flavour tickless\n").ok());
    EXPECT_FALSE(stored_upstream_flavour(dir.path, "tickless").ok());  // present but broken: an error, not "absent"
}

}  // namespace
}  // namespace kf
