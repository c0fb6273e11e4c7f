// build/module_list: the target's module list, what localmodconfig maps it
// through, and the check that a quick build keeps what the flavour requests.
#include "build/build_plan.hpp"
#include "build/module_list.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ModuleList, LsmodOutputAndPlainListsDashesAsUnderscores) {
    auto lsmod = parse_module_list("Module                  Size  Used by\n"
                                   "xfs                  2002944  1\n"
                                   "ipmi_msghandler        77824  4 ipmi_devintf,ipmi_si,acpi_ipmi,ipmi_ssif\n"
                                   "xfs                  2002944  1\n",
                                   "lsmod");
    ASSERT_TRUE(lsmod.ok()) << lsmod.error().message;
    EXPECT_THAT(*lsmod, ElementsAre("xfs", "ipmi_msghandler"));
    auto plain = parse_module_list("# from the cluster\n\nloop\nsnd-hda-intel\n", "list");
    ASSERT_TRUE(plain.ok());
    EXPECT_THAT(*plain, ElementsAre("loop", "snd_hda_intel"));
}

TEST(ModuleList, BadListsNameTheLine) {
    auto e = parse_module_list("loop\nfs/xfs.ko\n", "l");
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().line, 2);
    EXPECT_EQ(parse_module_list("loop 40960 zero\n", "l").error().line, 1);
    EXPECT_EQ(parse_module_list(std::string(kMaxModuleName + 1, 'a') + "\n", "l").error().code, Exit::bad_input);
    EXPECT_THAT(parse_module_list("# none\n\n", "l").error().message, HasSubstr("names no module"));
    EXPECT_FALSE(parse_module_list("Module  Size  Used by\n", "l").ok());
}

TEST(ModuleList, LsmodTextHasTheHeaderAndOneRowPerModule) {
    EXPECT_EQ(lsmod_text({"loop", "xfs"}), "Module                  Size  Used by\nloop 0 0\nxfs 0 0\n");
}

TEST(ModuleList, KbuildObjectsUnderConfigSymbols) {
    const auto objects = kbuild_module_objects("obj-$(CONFIG_BLK_DEV_LOOP)\t+= loop.o\n"
                                               "obj-$(CONFIG_ZRAM) += \\\n\tzram/ \\\n\tnbd-x.o\n"
                                               "obj-y += core.o\n"
                                               "loop-objs := loop_main.o\n");
    EXPECT_THAT(objects, ElementsAre("loop", "nbd_x"));
}

TEST(ModuleList, CheckScriptTestsEveryRequestedSetting) {
    const std::string s = quick_check_script("# requested\nCONFIG_NO_HZ_FULL=y\nCONFIG_CMDLINE=\"a b\"\n"
                                             "# CONFIG_HZ_250 is not set\n");
    EXPECT_THAT(s, HasSubstr("grep -qxF CONFIG_NO_HZ_FULL=y \"$c\" || missing="));
    EXPECT_THAT(s, HasSubstr("grep -qxF 'CONFIG_CMDLINE=\"a b\"' \"$c\""));
    EXPECT_THAT(s, HasSubstr("grep -q '^CONFIG_HZ_250=' \"$c\" && missing=\"$missing CONFIG_HZ_250=n\""));
    EXPECT_THAT(s, HasSubstr("exit 1"));
    EXPECT_EQ(quick_version("6.1.192-1"), "6.1.192-1+quick");
}

TEST(ModuleList, QuickPlanReducesAfterOlddefconfigAndChecks) {
    BuildRequest r;
    r.kind = TreeKind::upstream;
    r.tree = "/src/linux";
    r.flavours = {"tickless"};
    r.host = *arch_names("amd64");
    r.out = "/out";
    r.package_version = "6.1.0-1+quick";
    r.kernel_release_base = "6.1.0";
    r.quick_lsmod = lsmod_text({"loop"});
    r.quick_requested["tickless"] = "CONFIG_BLK_DEV_LOOP=m\n";
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    std::vector<std::vector<std::string>> config;
    for (const auto& s : plan->steps)
        if (s.stage == "config") config.push_back(s.argv);
    ASSERT_EQ(config.size(), 4u);
    EXPECT_EQ(config[0].back(), "olddefconfig");
    EXPECT_THAT(config[2], ::testing::Contains("LSMOD=/out/.work/lsmod-quick"));
    EXPECT_EQ(config[2].back(), "localmodconfig");
    EXPECT_THAT(config[3], ElementsAre("sh", "/out/.work/quick-check-tickless.sh", "/out/.work/obj-tickless/.config"));
    EXPECT_EQ(plan->data_files.at("/out/.work/lsmod-quick"), "Module                  Size  Used by\nloop 0 0\n");
    EXPECT_THAT(plan->helper_files.at("/out/.work/quick-check-tickless.sh"), HasSubstr("CONFIG_BLK_DEV_LOOP=m"));
    // Not executable: localmodconfig would run an executable LSMOD file as lsmod.
    EXPECT_THAT(render_script(*plan, ""), HasSubstr("chmod 644 /out/.work/lsmod-quick\n"));
}

// An Ubuntu quick build: the build copy's changelog carries +quick before
// Ubuntu's clean reads it; Ubuntu's prepare-F makes and checks the full
// config, localmodconfig reduces it in debian/build/build-F, kflavour's
// check runs, and the binary targets leave the annotations check alone.
TEST(ModuleList, UbuntuQuickPlanPreparesReducesAndSkipsOnlyTheAnnotationsCheck) {
    BuildRequest r;
    r.kind = TreeKind::ubuntu;
    r.tree = "/src/focal";
    r.debian_name = "debian.master";
    r.flavours = {"tickless"};
    r.mode = BuildMode::cross;
    r.build_arch = "amd64";
    r.host = *arch_names("arm64");
    r.out = "/out";
    r.package_version = "5.4.0-200.220+tickless1+quick";
    r.changelog_version = "5.4.0-200.220+tickless1";
    r.quick_lsmod = lsmod_text({"loop"});
    r.quick_requested["tickless"] = "CONFIG_NO_HZ_FULL=y\n";
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    std::vector<std::vector<std::string>> prepare, config, compile;
    for (const auto& s : plan->steps) {
        if (s.stage == "prepare") prepare.push_back(s.argv);
        if (s.stage == "config") config.push_back(s.argv);
        if (s.stage == "compile") compile.push_back(s.argv);
    }
    const std::string src = "/out/.work/src/focal";
    ASSERT_EQ(prepare.size(), 6u);
    EXPECT_THAT(prepare[3], ElementsAre("sed", "-i", "1s/(5\\.4\\.0-200\\.220+tickless1)/(5.4.0-200.220+tickless1+quick)/",
                                        src + "/debian.master/changelog"));
    EXPECT_THAT(prepare[4], ElementsAre("grep", "-qF", "(5.4.0-200.220+tickless1+quick)", src + "/debian.master/changelog"));
    // The version edit comes before Ubuntu's clean copies the changelog.
    EXPECT_THAT(prepare[5], ElementsAre("dpkg-architecture", "-aarm64", "-c", "fakeroot", "debian/rules", "clean"));
    ASSERT_EQ(config.size(), 3u);
    EXPECT_THAT(std::vector<std::string>(config[0].begin(), config[0].begin() + 6),
                ElementsAre("dpkg-architecture", "-aarm64", "-c", "fakeroot", "debian/rules", "prepare-tickless"));
    EXPECT_THAT(config[1], ElementsAre("sh", "-c", "\"$@\" </dev/null", "sh", "make", "-C", src,
                                       "O=" + src + "/debian/build/build-tickless", "ARCH=arm64",
                                       "CROSS_COMPILE=aarch64-linux-gnu-", "LSMOD=/out/.work/lsmod-quick", "localmodconfig"));
    EXPECT_THAT(config[2], ElementsAre("sh", "/out/.work/quick-check-tickless.sh", src + "/debian/build/build-tickless/.config"));
    ASSERT_EQ(compile.size(), 1u);
    EXPECT_THAT(std::vector<std::string>(compile[0].begin(), compile[0].begin() + 10),
                ElementsAre("dpkg-architecture", "-aarm64", "-c", "fakeroot", "debian/rules", "-o",
                            "config-prepare-check-tickless", "binary-headers", "binary-tickless", "binary-perarch"));
    EXPECT_THAT(plan->knobs, ::testing::Contains("-o config-prepare-check-tickless"));
    EXPECT_THAT(plan->helper_files.at("/out/.work/quick-check-tickless.sh"), HasSubstr("CONFIG_NO_HZ_FULL=y"));
    // Collect takes only the +quick packages.
    EXPECT_THAT(plan->steps.back().argv, ElementsAre("rm", "-rf", "/out/.work"));
    EXPECT_THAT(plan->steps[plan->steps.size() - 2].argv[2], HasSubstr("*_5.4.0-200.220+tickless1+quick_*.deb"));
}

namespace {
Annotations parse_notes(const std::string& text) {
    auto notes = Annotations::parse(text, "/t/debian.master/config/annotations",
                                    [](const std::filesystem::path&) -> Result<std::string> { return bad_input("no includes"); });
    EXPECT_TRUE(notes.ok()) << (notes.ok() ? "" : notes.error().describe());
    return std::move(notes.value());
}
}  // namespace

// What an Ubuntu flavour requests: its own keys that differ from another
// flavour of the arch; keys copied from its base are not requests.
TEST(ModuleList, UbuntuRequestedFragmentIsWhatTheFlavourChanged) {
    const auto notes = parse_notes(
        "# FORMAT: 4\n# ARCH: amd64 arm64\n# FLAVOUR: amd64-generic amd64-lowlatency amd64-tickless arm64-generic arm64-tickless\n\n"
        "CONFIG_NO_HZ_FULL                               policy<{'amd64': 'n', 'amd64-tickless': 'y', 'arm64': 'n', 'arm64-tickless': 'y'}>\n"
        "CONFIG_HZ_100                                   policy<{'amd64': 'n', 'amd64-tickless': 'y', 'arm64': 'n'}>\n"
        "CONFIG_HZ_250                                   policy<{'amd64': 'y', 'amd64-lowlatency': 'n', 'amd64-tickless': 'n', 'arm64': 'y', 'arm64-tickless': 'n'}>\n"
        "CONFIG_E1000                                    policy<{'amd64': 'm', 'amd64-generic': 'm', 'amd64-tickless': 'm', 'arm64-generic': 'm', 'arm64-tickless': 'm'}>\n"
        "CONFIG_PREEMPT                                  policy<{'amd64': 'n', 'amd64-lowlatency': 'y', 'amd64-tickless': 'n'}>\n"
        "CONFIG_LOCALVERSION                             policy<{'amd64': '\"\"', 'arm64': '\"\"', 'arm64-tickless': '\"-t\"'}>\n"
        "CONFIG_UNSET                                    policy<{'amd64-tickless': '-'}>\n");
    // amd64: HZ_250=n and PREEMPT=n differ from lowlatency's or generic's; E1000=m is generic's own.
    EXPECT_EQ(ubuntu_requested_fragment(notes, "amd64", "tickless"),
              "CONFIG_NO_HZ_FULL=y\nCONFIG_HZ_100=y\n# CONFIG_HZ_250 is not set\n# CONFIG_PREEMPT is not set\n");
    EXPECT_EQ(ubuntu_requested_fragment(notes, "arm64", "tickless"),
              "CONFIG_NO_HZ_FULL=y\n# CONFIG_HZ_250 is not set\nCONFIG_LOCALVERSION=\"-t\"\n");
    EXPECT_EQ(ubuntu_requested_fragment(notes, "amd64", "generic"), "");
}
