#include "config/resolve_plan.hpp"
#include "config/kbuild.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace kf {
namespace {
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ResolvePlan, KernelArchTable) {
    EXPECT_EQ(kernel_arch("amd64"), "x86");
    EXPECT_EQ(kernel_arch("i386"), "x86");
    EXPECT_EQ(kernel_arch("arm64"), "arm64");
    EXPECT_EQ(kernel_arch("armhf"), "arm");
    EXPECT_EQ(kernel_arch("ppc64el"), "powerpc");
    EXPECT_EQ(kernel_arch("s390x"), "s390");
    EXPECT_EQ(kernel_arch("riscv64"), "riscv");
    EXPECT_EQ(kernel_arch("vax"), std::nullopt);
    EXPECT_EQ(cross_gcc_package("aarch64-linux-gnu"), "gcc-aarch64-linux-gnu");
}

TEST(ResolvePlan, ApplyRequestedOverridesAndAppends) {
    std::string exported = "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_HZ=250\n";
    auto out = apply_requested(exported, {{"CONFIG_B", "y"}, {"CONFIG_HZ", "100"}, {"CONFIG_C", "n"}, {"CONFIG_A", "n"}});
    EXPECT_EQ(out, "# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_HZ=100\n# CONFIG_C is not set\n");
}

TEST(ResolvePlan, EffectiveRequestsLastWins) {
    auto e = effective_requests({{"CONFIG_A", "y"}, {"CONFIG_B", "m"}, {"CONFIG_A", "n"}});
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].name, "CONFIG_A");
    EXPECT_EQ(e[0].value, "n");
}

std::map<std::string, std::string> kernel_files() {
    return {
        {"Kconfig", "mainmenu \"Linux\"\n\nsource \"kernel/Kconfig\"\nsource \"arch/$(SRCARCH)/Kconfig\"\n"},
        {"kernel/Kconfig",
         "menu \"Timers\"\n"
         "config NO_HZ_FULL\n"
         "\tbool \"Full dynticks\"\n"
         "\tdepends on HAVE_CONTEXT_TRACKING_USER\n"
         "\tselect RCU_NOCB_CPU\n"
         "\thelp\n"
         "\t  This option depends on nothing you should read as a depends line.\n"
         "\t  depends on FAKE\n"
         "\n"
         "config RCU_NOCB_CPU\n"
         "\tbool\n"
         "endmenu\n"
         "if EXPERT\n"
         "choice\n"
         "\tprompt \"Timer frequency\"\n"
         "\tdepends on !ARCH_FIXED_HZ\n"
         "config HZ_100\n"
         "\tbool \"100 HZ\"\n"
         "endchoice\n"
         "endif\n"},
        {"arch/arm64/Kconfig", "config ARM64\n\tdef_bool y\n\tselect HAVE_CONTEXT_TRACKING_USER\n"
                               "rsource \"Kconfig.platforms\"\n"},
        {"arch/arm64/Kconfig.platforms", "config ARCH_FOO\n\tbool \"Foo\"\n\tdepends on ARM64 && \\\n\t\tEXPERT\n"},
    };
}

TEST(ResolvePlan, ScanKconfigFindsEntriesThroughSources) {
    auto files = kernel_files();
    auto read = [&](const std::string& p) -> std::optional<std::string> {
        auto it = files.find(p);
        if (it == files.end()) return std::nullopt;
        return it->second;
    };
    auto index = scan_kconfig(read, "arm64", {"NO_HZ_FULL", "HZ_100", "RCU_NOCB_CPU", "HAVE_CONTEXT_TRACKING_USER",
                                              "ARCH_FOO", "MISSING"});
    EXPECT_EQ(index.files_read, 4u);
    ASSERT_TRUE(index.entries.count("NO_HZ_FULL"));
    const auto& e = index.entries.at("NO_HZ_FULL");
    EXPECT_EQ(e.file, "kernel/Kconfig");
    EXPECT_EQ(e.line, 2);
    EXPECT_THAT(e.depends, ElementsAre("depends on HAVE_CONTEXT_TRACKING_USER"));
    EXPECT_THAT(e.selects, ElementsAre("select RCU_NOCB_CPU"));
    EXPECT_THAT(index.entries.at("RCU_NOCB_CPU").selected_by, ElementsAre(HasSubstr("NO_HZ_FULL (kernel/Kconfig:5")));
    EXPECT_THAT(index.entries.at("HZ_100").depends, ElementsAre("if EXPERT", "depends on !ARCH_FIXED_HZ"));
    EXPECT_THAT(index.entries.at("ARCH_FOO").depends, ElementsAre("depends on ARM64 && EXPERT"));
    EXPECT_EQ(index.entries.at("ARCH_FOO").file, "arch/arm64/Kconfig.platforms");
    EXPECT_FALSE(index.entries.count("MISSING"));
    // Only selected, never declared in the files read: no entry.
    EXPECT_FALSE(index.entries.count("HAVE_CONTEXT_TRACKING_USER"));
}

TEST(ResolvePlan, CompareRequestedDroppedUnknownAndNEqualsAbsent) {
    KconfigIndex index;
    index.entries["NO_HZ_FULL"] = KconfigEntry{"kernel/Kconfig", 2, {"depends on SMP"}, {}, {}};
    index.entries["HZ"] = KconfigEntry{"kernel/Kconfig.hz", 50, {}, {}, {}};
    DotConfig resolved = parse_dot_config("CONFIG_HZ=100\n# CONFIG_X is not set\nCONFIG_Y=y\n");
    std::vector<ConfigSetting> req = {{"CONFIG_NO_HZ_FULL", "y"}, {"CONFIG_HZ", "100"}, {"CONFIG_X", "n"},
                                      {"CONFIG_GONE", "n"},       {"CONFIG_TYPO", "y"}, {"CONFIG_Y", "y"}};
    auto look = symbols_to_look_up(req, resolved);
    EXPECT_EQ(look, (std::set<std::string>{"GONE", "NO_HZ_FULL", "TYPO"}));
    auto r = compare_requested(req, resolved, index);
    ASSERT_EQ(r.dropped.size(), 1u);
    EXPECT_EQ(r.dropped[0].name, "CONFIG_NO_HZ_FULL");
    EXPECT_EQ(r.dropped[0].requested, "y");
    EXPECT_EQ(r.dropped[0].resolved, "(absent)");
    EXPECT_THAT(r.unknown, ElementsAre("CONFIG_GONE", "CONFIG_TYPO"));
    auto text = describe_dropped(r.dropped);
    EXPECT_THAT(text, HasSubstr("CONFIG_NO_HZ_FULL: requested y, resolved (absent)"));
    EXPECT_THAT(text, HasSubstr("kernel/Kconfig:2: config NO_HZ_FULL"));
    EXPECT_THAT(text, HasSubstr("depends on SMP"));
}

TEST(ResolvePlan, ValueChangedIsDropped) {
    KconfigIndex index;
    index.entries["HZ"] = KconfigEntry{"kernel/Kconfig.hz", 50, {}, {}, {}};
    auto r = compare_requested({{"CONFIG_HZ", "100"}}, parse_dot_config("CONFIG_HZ=250\n"), index);
    ASSERT_EQ(r.dropped.size(), 1u);
    EXPECT_EQ(r.dropped[0].resolved, "250");
}

TEST(Kbuild, OlddefconfigArgvCrossAndNative) {
    sys::KbuildTarget cross{"arm64", "arm64", "aarch64-linux-gnu-"};
    auto c = sys::kconfig_command("/src", "/tmp/s", cross, "olddefconfig");
    EXPECT_THAT(c.argv, ElementsAre(sys::tool_path("make"), "-s", "-C", "/src", "O=/tmp/s", "ARCH=arm64",
                                    "CROSS_COMPILE=aarch64-linux-gnu-", "olddefconfig"));
    EXPECT_TRUE(c.own_process_group);
    sys::KbuildTarget native{"amd64", "x86", ""};
    auto n = sys::kconfig_command("/src", "/tmp/s", native, "tinyconfig");
    EXPECT_THAT(n.argv, ElementsAre(sys::tool_path("make"), "-s", "-C", "/src", "O=/tmp/s", "ARCH=x86", "tinyconfig"));
}

}  // namespace
}  // namespace kf

namespace kf {
namespace {
TEST(ResolvePlan, ScanKconfigEndifWithComment) {
    std::map<std::string, std::string> files = {
        {"Kconfig", "menuconfig NTB\n\ttristate \"NTB\"\nif NTB # comment\nconfig NTB_A\n\tbool \"a\"\nendif # NTB\n"
                    "config AFTER\n\tbool \"after\"\n\tdepends on X\n"}};
    auto read = [&](const std::string& p) -> std::optional<std::string> {
        auto it = files.find(p);
        return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    auto index = scan_kconfig(read, "x86", {"NTB_A", "AFTER"});
    EXPECT_THAT(index.entries.at("NTB_A").depends, ::testing::ElementsAre("if NTB # comment"));
    EXPECT_THAT(index.entries.at("AFTER").depends, ::testing::ElementsAre("depends on X"));
}
}  // namespace
}  // namespace kf
