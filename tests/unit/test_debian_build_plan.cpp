// The plan of a build of one flavour of Debian's kernel packaging: exact
// argv of each stage, config.local, profiles, quick steps. Strings only.
#include "build/build_plan.hpp"
#include "build/debian_kernel_plan.hpp"
#include "build_requests.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kf {
namespace {
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using test::Argvs;
using test::argvs_of;

BuildRequest debian_cross(bool quick) {
    BuildRequest r;
    r.kind = TreeKind::debian;
    r.tree = "/t/linux-6.1.187";
    r.flavours = {"tickless"};
    r.mode = BuildMode::cross;
    r.build_arch = "amd64";
    r.host = *arch_names("arm64");
    r.jobs = 2;
    r.out = "/o";
    r.in_chroot = true;
    r.package_version = quick ? "6.1.187-1a~tickless1+quick" : "6.1.187-1a~tickless1";
    r.changelog_version = "6.1.187-1a~tickless1";
    DebianFlavourBuild f;
    f.arch = "arm64";
    f.flavour = "tickless";
    f.abiname = "6.1.0-53";
    f.last_kconfig = "debian/config/arm64/config.tickless";
    r.debian_flavour = f;
    if (quick) {
        r.quick_lsmod = "Module Size Used by\nvirtio_net 0 0\n";
        r.quick_requested["tickless"] = "CONFIG_NO_HZ_FULL=y\n";
    }
    return r;
}

const std::string kSrc = "/o/.work/src/linux-6.1.187";

TEST(DebianBuildPlan, ProfilesLeaveOutWhatWasNotAskedForAndFullKeepsAll) {
    EXPECT_THAT(debian_kernel_profiles(false, false),
                ElementsAre("nodoc", "noudeb", "pkg.linux.nosource", "pkg.linux.mintools", "pkg.linux.nokerneldbg",
                            "pkg.linux.nokerneldbginfo", "pkg.linux.nometa"));
    EXPECT_THAT(debian_kernel_profiles(true, true), ElementsAre("cross", "nocheck"));
    EXPECT_TRUE(debian_kernel_profiles(false, true).empty());
}

TEST(DebianBuildPlan, ConfigLocalKeepsOneFeaturesetAndOneFlavour) {
    DebianFlavourBuild f;
    f.arch = "arm64";
    f.flavour = "tickless";
    auto files = debian_config_local(f);
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files["debian/config.local/arm64/defines"], "[base]\nfeaturesets: none\n");
    EXPECT_EQ(files["debian/config.local/arm64/none/defines"], "[base]\nflavours: tickless\ndefault-flavour: tickless\n");
    f.featureset = "rt";
    files = debian_config_local(f);
    EXPECT_EQ(files["debian/config.local/arm64/rt/defines"], "[base]\nflavours: tickless\n");
    f.toml = true;
    files = debian_config_local(f);
    EXPECT_EQ(files["debian/config.local/defines.toml"], "[[featureset]]\nname = 'none'\nenable = false\n\n");
    EXPECT_EQ(files["debian/config.local/arm64/defines.toml"],
              "[[featureset]]\nname = 'rt'\n\n[[featureset.flavour]]\nname = 'tickless'\n");
}

TEST(DebianBuildPlan, CrossStagesExactCommands) {
    auto plan = plan_build(debian_cross(false));
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    const std::string profiles =
        "nodoc,noudeb,pkg.linux.nosource,pkg.linux.mintools,pkg.linux.nokerneldbg,pkg.linux.nokerneldbginfo,"
        "pkg.linux.nometa,cross,nocheck";
    EXPECT_THAT(argvs_of(*plan, "deps"),
                ElementsAre(std::vector<std::string>{"apt-get", "-q", "-y", "--no-install-recommends", "build-dep",
                                                     "--host-architecture=arm64", "--build-profiles=" + profiles, "./"}));
    EXPECT_THAT(argvs_of(*plan, "control"),
                ElementsAre(std::vector<std::string>{"rm", "-rf", kSrc + "/debian/config.local"},
                            std::vector<std::string>{"mkdir", "-p", kSrc + "/debian/config.local/arm64"},
                            std::vector<std::string>{"cp", "/o/.work/config.local-arm64-defines",
                                                     kSrc + "/debian/config.local/arm64/defines"},
                            std::vector<std::string>{"mkdir", "-p", kSrc + "/debian/config.local/arm64/none"},
                            std::vector<std::string>{"cp", "/o/.work/config.local-arm64-none-defines",
                                                     kSrc + "/debian/config.local/arm64/none/defines"},
                            std::vector<std::string>{"sh", "/o/.work/regenerate-control.sh", "arm64", "none", "tickless"}));
    EXPECT_EQ(plan->data_files.at("/o/.work/config.local-arm64-none-defines"),
              "[base]\nflavours: tickless\ndefault-flavour: tickless\n");
    EXPECT_THAT(argvs_of(*plan, "compile"),
                ElementsAre(std::vector<std::string>{"dpkg-buildpackage", "-b", "-uc", "-us", "-j2", "-aarm64", "-P" + profiles}));
    EXPECT_TRUE(argvs_of(*plan, "config").empty());  // not quick
    EXPECT_THAT(plan->releases, ElementsAre("6.1.0-53-tickless"));
    EXPECT_EQ(plan->env.at("DEB_BUILD_OPTIONS"), "noautodbgsym");
    EXPECT_THAT(plan->knobs, Contains("profiles " + profiles));
}

TEST(DebianBuildPlan, QuickSetsUpWithDebiansRulesReducesChecksAndReplacesTheFlavoursConfig) {
    auto plan = plan_build(debian_cross(true));
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_THAT(argvs_of(*plan, "prepare"),
                Contains(std::vector<std::string>{"sed", "-i", "1s/(6\\.1\\.187-1a~tickless1)/(6.1.187-1a~tickless1+quick)/",
                                                  kSrc + "/debian/changelog"}));
    const std::string obj = kSrc + "/debian/build/build_arm64_none_tickless";
    EXPECT_THAT(argvs_of(*plan, "config"),
                ElementsAre(std::vector<std::string>{"dpkg-architecture", "-aarm64", "-c", "debian/rules", "setup"},
                            std::vector<std::string>{"sh", "-c", "\"$@\" </dev/null", "sh", "dpkg-architecture", "-aarm64", "-c",
                                                     "make", "-C", kSrc + "/debian/build/source_none", "O=" + obj,
                                                     "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-",
                                                     "LSMOD=/o/.work/lsmod-quick", "localmodconfig"},
                            std::vector<std::string>{"sh", "/o/.work/quick-check-tickless.sh", obj + "/.config"},
                            std::vector<std::string>{"cp", obj + "/.config", kSrc + "/debian/config/arm64/config.tickless"}));
    const auto setup = std::find_if(plan->steps.begin(), plan->steps.end(),
                                    [](const BuildStep& s) { return s.stage == "config"; });
    EXPECT_EQ(setup->env.at("DEB_BUILD_PROFILES"),
              "nodoc noudeb pkg.linux.nosource pkg.linux.mintools pkg.linux.nokerneldbg pkg.linux.nokerneldbginfo "
              "pkg.linux.nometa cross nocheck");
    EXPECT_EQ(setup->cwd, kSrc);
    EXPECT_THAT(plan->helper_files.at("/o/.work/quick-check-tickless.sh"), HasSubstr("CONFIG_NO_HZ_FULL=y"));
}

TEST(DebianBuildPlan, NativeHasNoCrossPartsAndNativeMarkingsSkipTheRecheck) {
    auto req = debian_cross(false);
    req.mode = BuildMode::native;
    req.host = *arch_names("amd64");
    req.debian_flavour->arch = "amd64";
    auto plan = plan_build(req);
    ASSERT_TRUE(plan.ok());
    for (const auto& argv : argvs_of(*plan, "compile")) EXPECT_THAT(argv, Not(Contains("-aarm64")));
    // A cross build whose control got :native markings: the regenerated
    // control lacks them, the deps stage checked with them.
    req = debian_cross(false);
    req.native_control_path = "debian/control";
    req.native_control_text = "Source: linux\n";
    plan = plan_build(req);
    ASSERT_TRUE(plan.ok());
    EXPECT_THAT(argvs_of(*plan, "compile").front(), Contains("-d"));
}

TEST(DebianBuildPlan, RegenerateScriptChecksTheFlavoursTarget) {
    const std::string script = debian_regenerate_control_script();
    EXPECT_THAT(script, HasSubstr("debian/rules debian/control-real || true"));
    EXPECT_THAT(script, HasSubstr("grep -q \"^setup_${arch}_${featureset}_${flavour}:\" debian/rules.gen"));
}

}  // namespace
}  // namespace kf
