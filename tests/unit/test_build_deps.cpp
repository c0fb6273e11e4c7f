// deps/build_deps: the control file apt-get build-dep reads, the prepared
// chroot's name, the commands, and apt's unmet-dependency lines.
#include "deps/build_deps.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

BuildDepsSpec focal_cross() {
    BuildDepsSpec s;
    s.base_chroot = "bookworm-amd64+arm64-1a2b3c4d";
    s.host = "arm64";
    s.profiles = build_profiles(true);
    s.fields = {{"Build-Depends", "debhelper (>= 9),\n cpio,\n bc:native <!stage1>,"},
                {"Build-Depends-Indep", "xmlto <!stage1>"}};
    return s;
}

}  // namespace

TEST(BuildDeps, ControlHoldsTheFieldsAndAPackageStanza) {
    EXPECT_EQ(build_deps_control(focal_cross()),
              "Source: kflavour-build-deps\n"
              "Build-Depends: debhelper (>= 9),\n cpio,\n bc:native <!stage1>,\n"
              "Build-Depends-Indep: xmlto <!stage1>\n"
              "\nPackage: kflavour-build-deps\nArchitecture: any\nDescription: build-dependencies\n");
}

TEST(BuildDeps, BlankContinuationLinesAreDropped) {
    BuildDepsSpec s;
    s.fields = {{"Build-Depends", "a,\n   \n b"}, {"Build-Depends-Arch", " \n "}};
    EXPECT_THAT(build_deps_control(s), HasSubstr("Build-Depends: a,\n b\n"));
    EXPECT_THAT(build_deps_control(s), Not(HasSubstr("Build-Depends-Arch")));
}

TEST(BuildDeps, NameIsTheBasePlusAHashOfWhatItHolds) {
    const auto spec = focal_cross();
    const std::string name = prepared_chroot_name(spec);
    EXPECT_THAT(name, StartsWith("bookworm-amd64+arm64-1a2b3c4d-bd"));
    EXPECT_EQ(name.size(), spec.base_chroot.size() + 3 + 8);
    EXPECT_EQ(prepared_chroot_name(spec), name);  // stable: the second build finds it
    auto other = spec;
    other.fields[0].second += "\n zlib1g-dev";
    EXPECT_NE(prepared_chroot_name(other), name);
    other = spec;
    other.host = "armhf";
    EXPECT_NE(prepared_chroot_name(other), name);
    other = spec;
    other.profiles.clear();
    EXPECT_NE(prepared_chroot_name(other), name);
    other = spec;
    other.base_chroot = "trixie-amd64+arm64";
    EXPECT_NE(prepared_chroot_name(other), name);
}

TEST(BuildDeps, CommandCarriesHostAndProfiles) {
    EXPECT_THAT(build_dep_command("arm64", {"cross", "nocheck"}, "./"),
                ElementsAre("apt-get", "-q", "-y", "--no-install-recommends", "build-dep", "--host-architecture=arm64",
                            "--build-profiles=cross,nocheck", "./"));
    EXPECT_THAT(build_dep_command("", {}, "/tmp/x"),
                ElementsAre("apt-get", "-q", "-y", "--no-install-recommends", "build-dep", "/tmp/x"));
    EXPECT_THAT(build_profiles(false), ElementsAre());
}

TEST(BuildDeps, ScriptUpdatesInstallsHostLibcAndCleans) {
    EXPECT_EQ(build_deps_script(focal_cross(), "/tmp/kflavour-build-deps"),
              "set -e\napt-get -q update\n"
              "apt-get -q -y --no-install-recommends build-dep --host-architecture=arm64 "
              "--build-profiles=cross,nocheck /tmp/kflavour-build-deps\n"
              "apt-get -q -y --no-install-recommends install libc6-dev:arm64\n"
              "apt-get clean\nrm -rf /tmp/kflavour-build-deps\n");
    auto native = focal_cross();
    native.host.clear();
    native.profiles.clear();
    EXPECT_THAT(build_deps_script(native, "/d"), Not(HasSubstr("libc6-dev")));
}

// What apt-get build-dep prints when bookworm lacks focal's dh-systemd.
TEST(BuildDeps, UnmetLinesAreTheChainAndTheErrors) {
    const std::string apt = "Reading package lists...\n"
                            "Building dependency tree...\n"
                            "Some packages could not be installed. This may mean that you have\n"
                            "requested an impossible situation.\n\n"
                            "The following packages have unmet dependencies:\n"
                            " builddeps:/tmp/kflavour-build-deps : Depends: dh-systemd but it is not installable\n"
                            "                                      Depends: kernel-wedge:arm64 but it is not installable\n"
                            "E: Unable to correct problems, you have held broken packages.\n"
                            "E: The following information from --solver 3.0 may provide additional context:\n";
    EXPECT_THAT(unmet_dependency_lines(apt),
                ElementsAre("The following packages have unmet dependencies:",
                            " builddeps:/tmp/kflavour-build-deps : Depends: dh-systemd but it is not installable",
                            "                                      Depends: kernel-wedge:arm64 but it is not installable",
                            "E: Unable to correct problems, you have held broken packages.",
                            "E: The following information from --solver 3.0 may provide additional context:"));
    EXPECT_THAT(unmet_dependency_lines("Reading package lists...\n"), ElementsAre());
}
