#include "build/build_plan.hpp"
#include "tree/kernel_version.hpp"
#include "base/edit_set.hpp"
#include "build/build_run.hpp"
#include "build_requests.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kf {
namespace {
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kFocal = std::string(KF_TEST_DATA) + "/ubuntu-focal-5.4.0-200";

namespace fs = std::filesystem;
using test::Argvs;
using test::argvs_of;

BuildRequest upstream_cross() { return test::upstream_cross_request(); }

BuildRequest ubuntu_cross() {
    BuildRequest r;
    r.kind = TreeKind::ubuntu;
    r.tree = kFocal;
    r.debian_name = "debian.master";
    r.flavours = {"tickless"};
    r.mode = BuildMode::cross;
    r.build_arch = "amd64";
    r.host = *arch_names("arm64");
    r.jobs = 8;
    r.out = "/out/x";
    r.package_version = "5.4.0-200.220+tickless1";
    r.changelog_version = "5.4.0-200.220+tickless1";
    auto rules = read_file(kFocal + "/debian.master/rules.d/arm64.mk");
    EXPECT_TRUE(rules.ok());
    r.dkms_knobs = dkms_variables(rules.value());
    return r;
}

TEST(BuildPlan, ArchTable) {
    EXPECT_EQ(arch_names("amd64")->karch, "x86_64");
    EXPECT_EQ(arch_names("arm64")->triplet, "aarch64-linux-gnu");
    EXPECT_EQ(arch_names("arm64")->elf_machine, 183);
    EXPECT_EQ(arch_names("amd64")->elf_machine, 62);
    EXPECT_FALSE(arch_names("vax"));
}

TEST(BuildPlan, UpstreamCrossExactCommands) {
    auto plan = plan_build(upstream_cross());
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    const auto& p = plan.value();
    const std::vector<std::string> make = {"make", "-C", "/src/linux", "O=/out/tickless-arm64/.work/obj-tickless",
                                           "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-",
                                           "CC=ccache aarch64-linux-gnu-gcc", "HOSTCC=ccache gcc",
                                           "LOCALVERSION=-tickless", "KDEB_PKGVERSION=6.1.192-1",
                                           "KBUILD_DEBARCH=arm64", "KBUILD_BUILD_VERSION=1"};
    auto with = [&](std::vector<std::string> extra) {
        auto v = make;
        v.insert(v.end(), extra.begin(), extra.end());
        return v;
    };
    EXPECT_THAT(argvs_of(p, "prepare"),
                ElementsAre(ElementsAre("rm", "-rf", "/out/tickless-arm64/.work"),
                            ElementsAre("mkdir", "-p", "/out/tickless-arm64/.work/obj-tickless"),
                            ElementsAre("cp", "/src/linux/kflavour/tickless/arm64.config",
                                        "/out/tickless-arm64/.work/obj-tickless/.config")));
    auto config = argvs_of(p, "config");
    ASSERT_EQ(config.size(), 2u);
    EXPECT_EQ(config[0], with({"olddefconfig"}));
    // The resolved config against olddefconfig's, the compiler's name line left out.
    ASSERT_EQ(config[1].size(), 5u);
    EXPECT_EQ(config[1][0], "bash");
    EXPECT_THAT(config[1][2], HasSubstr("diff -u"));
    EXPECT_THAT(config[1][2], HasSubstr("grep -Ev '^(# )?(CONFIG_CC_VERSION_TEXT|"));
    EXPECT_THAT(config[1][2], HasSubstr("|CONFIG_RUSTC_VERSION|"));
    EXPECT_THAT(config[1][2], HasSubstr("|CONFIG_RUSTC_HAS_[A-Z0-9_]*|"));
    EXPECT_EQ(config[1][3], "/src/linux/kflavour/tickless/arm64.config");
    EXPECT_EQ(config[1][4], "/out/tickless-arm64/.work/obj-tickless/.config");
    EXPECT_THAT(argvs_of(p, "compile"), ElementsAre(with({"-j2"})));
    EXPECT_THAT(argvs_of(p, "package"),
                ElementsAre(with({"-j2", "bindeb-pkg",
                                  "DPKG_FLAGS=--hook-buildinfo=/out/tickless-arm64/.work/fix-headers-tickless.sh"})));
    EXPECT_EQ(p.env.at("CCACHE_DIR"), "/cache/ccache");
    // Fixed for the whole build: the package stage does not link vmlinux again.
    EXPECT_EQ(p.env.at("KBUILD_BUILD_TIMESTAMP"), "Tue Nov 14 22:13:20 UTC 2023");
    EXPECT_THAT(p.releases, ElementsAre("6.1.192-tickless"));
    ASSERT_EQ(p.helper_files.size(), 1u);
    const auto& fix = p.helper_files.begin()->second;
    EXPECT_TRUE(fix.starts_with("#!/bin/bash\n")) << "dpkg-buildpackage runs hooks with sh";
    EXPECT_THAT(fix, HasSubstr("HOSTCC=aarch64-linux-gnu-gcc"));
    EXPECT_THAT(fix, HasSubstr("M=\"$hdr\" scripts/"));
    // Not bindeb-pkg's MAKEFLAGS: they would rebuild the objtree's fixdep for the target.
    EXPECT_THAT(fix, HasSubstr("env -i PATH=\"$PATH\" HOME=\"${HOME:-/root}\" LC_ALL=C.UTF-8 make -C /out/tickless-arm64/.work/obj-tickless ARCH=arm64"));
    EXPECT_THAT(fix, HasSubstr("target_em=183"));
}

TEST(BuildPlan, UpstreamNativeHasNoCrossPartsAndNoHeaderFix) {
    auto r = upstream_cross();
    r.mode = BuildMode::native;
    r.host = *arch_names("amd64");
    r.ccache_dir.reset();
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    auto package = argvs_of(plan.value(), "package");
    ASSERT_EQ(package.size(), 1u);
    for (const auto& a : package[0]) {
        EXPECT_THAT(a, Not(HasSubstr("CROSS_COMPILE")));
        EXPECT_THAT(a, Not(HasSubstr("ccache")));
        EXPECT_THAT(a, Not(HasSubstr("hook")));
    }
    EXPECT_THAT(package[0], ::testing::Contains("ARCH=x86_64"));
    EXPECT_TRUE(plan.value().helper_files.empty());
    EXPECT_FALSE(plan.value().env.count("CCACHE_DIR"));
}

TEST(BuildPlan, UpstreamRefusesPathsMakeCannotTake) {
    auto r = upstream_cross();
    r.out = "/out/my build";
    auto plan = plan_build(r);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().code, Exit::bad_input);
    EXPECT_THAT(plan.error().message, HasSubstr("my build"));
}

TEST(BuildPlan, NoFlavourIsBadInput) {
    auto r = upstream_cross();
    r.flavours.clear();
    EXPECT_EQ(plan_build(r).error().code, Exit::bad_input);
}

TEST(BuildPlan, UbuntuCrossTargetsKnobsAndEnvironment) {
    auto plan = plan_build(ubuntu_cross());
    ASSERT_TRUE(plan.ok());
    const auto& p = plan.value();
    const std::string src = "/out/x/.work/src/" + fs::path(kFocal).filename().string();
    // A build copy: Ubuntu's rules write into the tree and its parent.
    EXPECT_THAT(argvs_of(p, "prepare"),
                ElementsAre(ElementsAre("rm", "-rf", "/out/x/.work"), ElementsAre("mkdir", "-p", "/out/x/.work/src"),
                            ElementsAre("cp", "-a", "--reflink=auto", "--", kFocal, src),
                            ElementsAre("dpkg-architecture", "-aarm64", "-c", "fakeroot", "debian/rules", "clean")));
    EXPECT_TRUE(argvs_of(p, "deps").empty());  // not in a chroot
    EXPECT_THAT(argvs_of(p, "compile"),
                ElementsAre(ElementsAre("dpkg-architecture", "-aarm64", "-c", "fakeroot", "debian/rules",
                                        "binary-headers", "binary-tickless", "binary-perarch", "skipabi=true",
                                        "skipmodule=true", "skipdbg=true", "do_zfs=false",
                                        "do_dkms_wireguard=false", "disable_d_i=true", "do_doc_package=false",
                                        "WERROR=0", "do_tools=true", "do_tools_usbip=false")));
    for (const auto& s : p.steps)
        if (s.stage == "compile") {
            EXPECT_EQ(s.cwd, src);
        }
    EXPECT_EQ(p.env.at("DEB_BUILD_OPTIONS"), "parallel=8");
    EXPECT_EQ(p.env.at("CROSS_COMPILE"), "aarch64-linux-gnu-");
    EXPECT_THAT(p.knobs, ::testing::Contains("do_dkms_wireguard=false"));
    // The packages land next to the build copy; collect takes only this version's.
    auto collect = argvs_of(p, "collect");
    ASSERT_EQ(collect.size(), 2u);
    EXPECT_THAT(collect[0][2], HasSubstr("*_5.4.0-200.220+tickless1_*.deb"));
    EXPECT_EQ(collect[0][3], "/out/x/.work/src");
    EXPECT_THAT(collect[1], ElementsAre("rm", "-rf", "/out/x/.work"));
}

// A cross build repairs each flavour's headers package after the binary
// targets: Ubuntu's rules build its scripts/ for the build machine.
TEST(BuildPlan, UbuntuCrossRebuildsEachFlavoursHeaderProgramsForTheTarget) {
    auto r = ubuntu_cross();
    r.flavours = {"generic", "tickless"};
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    const auto& p = plan.value();
    const std::string src = "/out/x/.work/src/" + fs::path(kFocal).filename().string();
    EXPECT_THAT(argvs_of(p, "package"), ElementsAre(ElementsAre("bash", "/out/x/.work/fix-headers-generic.sh"),
                                                    ElementsAre("bash", "/out/x/.work/fix-headers-tickless.sh")));
    std::vector<std::string> stages;
    for (const auto& s : p.steps)
        if (stages.empty() || stages.back() != s.stage) stages.push_back(s.stage);
    EXPECT_THAT(stages, ElementsAre("prepare", "compile", "package", "collect"));
    const auto& script = p.helper_files.at("/out/x/.work/fix-headers-tickless.sh");
    EXPECT_THAT(script, HasSubstr("src=" + src + "\n"));
    EXPECT_THAT(script, HasSubstr("objtree=" + src + "/debian/build/build-tickless\n"));
    EXPECT_THAT(script, HasSubstr("flavour=tickless\n"));
    EXPECT_THAT(script, HasSubstr("target_em=183\n"));
    EXPECT_THAT(script, HasSubstr("\"$src\"/../linux-headers-*_arm64.deb"));
    EXPECT_THAT(script, HasSubstr("make -C " + src + "/debian/build/build-tickless ARCH=arm64 "
                                  "CROSS_COMPILE=aarch64-linux-gnu- HOSTCC=aarch64-linux-gnu-gcc -j8 M=\"$ext\" scripts/"));
    EXPECT_THAT(script, HasSubstr("printf 'subdir-y := basic mod\\n'"));
    EXPECT_THAT(script, Not(HasSubstr("generic")));
}

TEST(BuildPlan, UbuntuNativeAndEmulatedKeepTheirHeaderPrograms) {
    for (auto mode : {BuildMode::native, BuildMode::emulated}) {
        auto r = ubuntu_cross();
        r.mode = mode;
        if (mode == BuildMode::native) r.host = *arch_names("amd64");
        auto plan = plan_build(r);
        ASSERT_TRUE(plan.ok());
        EXPECT_TRUE(argvs_of(plan.value(), "package").empty());
        EXPECT_FALSE(plan.value().helper_files.count("/out/x/.work/fix-headers-tickless.sh"));
    }
}

// In a chroot: the :native-marked control.stub.in goes into the build copy
// before Ubuntu's clean makes debian/control from it; then apt-get
// build-dep for the host arch with the cross profile.
TEST(BuildPlan, UbuntuCrossInChrootMarksCleansAndChecksBuildDepends) {
    auto r = ubuntu_cross();
    r.in_chroot = true;
    r.native_control_path = "debian.master/control.stub.in";
    r.native_control_text = "Source: SRCPKGNAME\nBuild-Depends: bc:native\n";
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    const auto& p = plan.value();
    const std::string src = "/out/x/.work/src/" + fs::path(kFocal).filename().string();
    EXPECT_EQ(argvs_of(p, "prepare").size(), 3u);
    EXPECT_THAT(argvs_of(p, "deps"),
                ElementsAre(ElementsAre("cp", "/out/x/.work/native-control.stub.in", src + "/debian.master/control.stub.in"),
                            ElementsAre("dpkg-architecture", "-aarm64", "-c", "fakeroot", "debian/rules", "clean"),
                            ElementsAre("apt-get", "-q", "-y", "--no-install-recommends", "build-dep", "--arch-only",
                                        "--host-architecture=arm64", "--build-profiles=cross,nocheck", "./")));
    EXPECT_EQ(p.data_files.at("/out/x/.work/native-control.stub.in"), r.native_control_text);
    // The helper is written after prepare made the work dir, before deps copies it.
    auto script = render_script(p, "");
    EXPECT_LT(script.find("cp -a --reflink=auto"), script.find("cat >/out/x/.work/native-control.stub.in"));
    EXPECT_LT(script.find("cat >/out/x/.work/native-control.stub.in"), script.find("debian/rules clean"));
}

// Every flavour target comes with binary-perarch, so linux-tools-V-F never
// lacks linux-tools-V; --full drops the knobs.
TEST(BuildPlan, UbuntuAlwaysBuildsPerarchAndFullDropsKnobs) {
    auto r = ubuntu_cross();
    r.flavours = {"generic", "tickless"};
    r.full = true;
    r.mode = BuildMode::native;
    r.host = *arch_names("amd64");
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    EXPECT_THAT(argvs_of(plan.value(), "compile"),
                ElementsAre(ElementsAre("fakeroot", "debian/rules", "binary-headers", "binary-generic",
                                        "binary-tickless", "binary-perarch")));
    EXPECT_TRUE(plan.value().knobs.empty());
    EXPECT_FALSE(plan.value().env.count("CROSS_COMPILE"));
}

// Ubuntu's rules switch the tools off in any cross build; kflavour switches
// them back on (but usbip, whose configure has no --host), --full or not.
TEST(BuildPlan, UbuntuCrossBuildsTheToolsEvenWithFull) {
    auto r = ubuntu_cross();
    r.full = true;
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    EXPECT_THAT(plan.value().knobs, ElementsAre("do_tools=true", "do_tools_usbip=false"));
    EXPECT_THAT(argvs_of(plan.value(), "compile"),
                ElementsAre(ElementsAre("dpkg-architecture", "-aarm64", "-c", "fakeroot", "debian/rules", "binary-headers",
                                        "binary-tickless", "binary-perarch", "do_tools=true", "do_tools_usbip=false")));
}

// The compressor reaches every dpkg-deb of the build: bindeb-pkg's builddeb
// (KDEB_COMPRESS), the cross headers repack, dh_builddeb (the environment).
TEST(BuildPlan, CompressionReachesEveryDpkgDeb) {
    auto up = upstream_cross();
    up.compression = "zstd";
    auto plan = plan_build(up);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan.value().env.at("KDEB_COMPRESS"), "zstd");
    EXPECT_THAT(plan.value().helper_files.begin()->second,
                HasSubstr("dpkg-deb --root-owner-group ${KDEB_COMPRESS:+-Z\"$KDEB_COMPRESS\"} --build"));
    auto ub = ubuntu_cross();
    ub.compression = "xz";
    plan = plan_build(ub);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan.value().env.at("DPKG_DEB_COMPRESSOR_TYPE"), "xz");
    // Unset: dpkg-deb's own default, nothing in the environment.
    for (auto r : {upstream_cross(), ubuntu_cross()}) {
        plan = plan_build(r);
        ASSERT_TRUE(plan.ok());
        EXPECT_FALSE(plan.value().env.count("KDEB_COMPRESS"));
        EXPECT_FALSE(plan.value().env.count("DPKG_DEB_COMPRESSOR_TYPE"));
    }
}

TEST(BuildPlan, DkmsVariablesFromRulesMk) {
    EXPECT_THAT(dkms_variables("do_zfs = true\ndo_dkms_vbox    = true\ndo_dkms_wireguard = true\n"
                               "do_dkms_vbox = false\n"),
                ElementsAre("do_dkms_vbox", "do_dkms_wireguard"));
}

// A Debian source package cross-built to arm64 in a chroot.
BuildRequest debian_cross_in_chroot() {
    BuildRequest r;
    r.kind = TreeKind::debian;
    r.tree = "/src/hello";
    r.mode = BuildMode::cross;
    r.host = *arch_names("arm64");
    r.jobs = 2;
    r.out = "/out/hello";
    r.in_chroot = true;
    return r;
}

TEST(BuildPlan, DebianCrossInChrootChecksBuildDependsFirst) {
    auto r = debian_cross_in_chroot();
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    auto prepare = argvs_of(plan.value(), "prepare");
    ASSERT_EQ(prepare.size(), 3u);
    EXPECT_THAT(prepare[2], ElementsAre("cp", "-a", "--reflink=auto", "--", "/src/hello", "/out/hello/.work/src/hello"));
    // The chroot was prepared with them: this installs nothing, it checks.
    EXPECT_THAT(argvs_of(plan.value(), "deps"),
                ElementsAre(ElementsAre("apt-get", "-q", "-y", "--no-install-recommends", "build-dep",
                                        "--host-architecture=arm64", "--build-profiles=cross,nocheck", "./")));
    EXPECT_THAT(argvs_of(plan.value(), "compile"),
                ElementsAre(ElementsAre("dpkg-buildpackage", "-b", "-uc", "-us", "-j2", "-aarm64", "-Pcross,nocheck")));
}

// A chroot that was not prepared (a cache the user can't write): the build
// installs the build-dependencies itself, as sbuild would.
TEST(BuildPlan, DebianCrossInUnpreparedChrootInstallsBuildDepends) {
    auto r = debian_cross_in_chroot();
    r.build_deps_prepared = false;
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    EXPECT_THAT(argvs_of(plan.value(), "deps"),
                ElementsAre(ElementsAre("apt-get", "-q", "update"),
                            ElementsAre("apt-get", "-q", "-y", "--no-install-recommends", "build-dep",
                                        "--host-architecture=arm64", "--build-profiles=cross,nocheck", "./"),
                            ElementsAre("apt-get", "-q", "-y", "--no-install-recommends", "install", "libc6-dev:arm64")));
}

TEST(BuildPlan, DebianWithoutChrootHasNoDepsStage) {
    BuildRequest r;
    r.kind = TreeKind::debian;
    r.tree = "/src/hello";
    r.host = *arch_names("amd64");
    r.out = "/out/hello";
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(argvs_of(plan.value(), "deps").empty());
}

TEST(BuildPlan, ScriptHasStageMarkersHelpersAndEnv) {
    auto plan = plan_build(upstream_cross());
    ASSERT_TRUE(plan.ok());
    auto script = render_script(plan.value(), "# header\n");
    EXPECT_TRUE(script.starts_with("#!/bin/bash\n# header\nset -euo pipefail\n"));
    EXPECT_THAT(script, HasSubstr("export CCACHE_DIR=/cache/ccache\n"));
    EXPECT_THAT(script, HasSubstr("\necho '::kflavour-stage compile'\n"));
    EXPECT_THAT(script, HasSubstr("'CC=ccache aarch64-linux-gnu-gcc'"));
    // The hook is written after prepare removed the work dir, before it is used.
    auto helper = script.find("cat >/out/tickless-arm64/.work/fix-headers-tickless.sh <<'KFLAVOUR_EOF'");
    ASSERT_NE(helper, std::string::npos);
    EXPECT_LT(script.find("rm -rf /out/tickless-arm64/.work"), helper);
    EXPECT_LT(helper, script.find("::kflavour-stage config"));
    EXPECT_EQ(stage_marker("::kflavour-stage compile\n"), "compile");
    EXPECT_EQ(stage_marker("  CC  init/main.o"), "");
}

TEST(BuildPlan, KernelVersionFromMakefile) {
    EXPECT_EQ(kernel_version_from_makefile("# SPDX\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\nEXTRAVERSION =\nNAME = x\n")
                  .value(),
              "6.1.192");
    EXPECT_EQ(kernel_version_from_makefile("VERSION = 5\nPATCHLEVEL = 4\nSUBLEVEL = 0\nEXTRAVERSION = -rc1\n").value(),
              "5.4.0-rc1");
    EXPECT_FALSE(kernel_version_from_makefile("all:\n\techo\n").ok());
}

TEST(BuildRun, DebFileNames) {
    sys::BuiltPackage p;
    ASSERT_TRUE(sys::parse_deb_file_name("linux-image-6.1.192-tickless_6.1.192-1_arm64.deb", p));
    EXPECT_EQ(p.package, "linux-image-6.1.192-tickless");
    EXPECT_EQ(p.version, "6.1.192-1");
    EXPECT_EQ(p.architecture, "arm64");
    EXPECT_FALSE(sys::parse_deb_file_name("notes.txt", p));
}

}  // namespace
}  // namespace kf
