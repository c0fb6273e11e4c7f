// core/module_list: the target's module list, what localmodconfig maps it
// through, and the check that a quick build keeps what the flavour requests.
#include "core/build_plan.hpp"
#include "core/module_list.hpp"

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
