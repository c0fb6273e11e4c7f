// check_installable on a small Packages file: OR groups, versioned relations,
// versioned Provides, arch qualifiers and Multi-Arch, arch-all, the set itself.
#include "archive/package_index.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace kf;
using namespace kf::sys;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

const char* packages = R"(Package: libc6
Version: 2.36-9+deb12u13
Architecture: arm64
Multi-Arch: same

Package: libc6
Version: 2.40-1
Architecture: amd64
Multi-Arch: same

Package: python3
Version: 3.11.2-1+b1
Architecture: arm64
Multi-Arch: allowed

Package: perl
Version: 5.36.0-7
Architecture: arm64

Package: linux-base
Version: 4.9
Architecture: all

Package: initramfs-tools
Version: 0.142
Architecture: all
Provides: linux-initramfs-tool

Package: gcc-12
Version: 12.2.0-14
Architecture: arm64
Provides: c-compiler (= 12.2.0), cc
)";

class Installable : public ::testing::Test {
protected:
    TempDir dir;
    PackageIndex target;
    DebPackage image;
    std::vector<DebPackage> set;

    void SetUp() override {
        std::ofstream(dir.path / "Packages") << packages;
        auto loaded = PackageIndex::load({dir.path / "Packages"}, "arm64");
        ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
        target = std::move(*loaded);
        image.name = "linux-image-6.1.192-tickless";
        image.version = "6.1.192-1";
        image.architecture = "arm64";
        DebPackage modules = image;
        modules.name = "linux-modules-6.1.192-tickless";
        set = {image, modules};
    }

    // The messages for `depends` on the image.
    std::vector<std::string> problems(const std::string& depends, const std::string& pre_depends = "") {
        image.depends = depends;
        image.pre_depends = pre_depends;
        std::vector<std::string> out;
        for (const auto& f : check_installable(image, PackageIndex::of_set(set), target, "arm64", "bookworm")) {
            EXPECT_EQ(f.check, Check::installable);
            out.push_back(f.message);
        }
        return out;
    }
};

using Messages = std::vector<std::string>;

}  // namespace

TEST_F(Installable, KeepsOnlyTheHostArchAndAll) { EXPECT_EQ(target.size(), 6u); }

TEST_F(Installable, MetByTheIndexAndTheSet) {
    EXPECT_EQ(problems("libc6 (>= 2.34), linux-base (>= 4.3~), linux-modules-6.1.192-tickless (= 6.1.192-1)"), Messages{});
    EXPECT_EQ(problems("", "libc6 (>= 2.36)"), Messages{});
    EXPECT_EQ(problems("perl (<< 6), perl (<= 5.36.0-7), perl (>> 5.30), perl (= 5.36.0-7)"), Messages{});
}

TEST_F(Installable, NewerThanTheTargetNamesWhatItHas) {
    EXPECT_EQ(problems("libc6 (>= 2.38)"),
              Messages{"Depends: libc6 (>= 2.38) but bookworm has 2.36-9+deb12u13: built against a newer libc6 than "
                       "the target; build in a bookworm chroot"});
    EXPECT_EQ(problems("", "libc6 (>> 2.36-9+deb12u13)").size(), 1u);
    EXPECT_EQ(problems("perl (<< 5.30)"), Messages{"Depends: perl (<< 5.30) but bookworm has 5.36.0-7"});
}

TEST_F(Installable, OrGroupsNeedOneAlternative) {
    EXPECT_EQ(problems("no-such | initramfs-tools"), Messages{});
    EXPECT_EQ(problems("no-such | libc6 (>= 3)"),
              Messages{"Depends: no-such but bookworm has no no-such for arm64; or libc6 (>= 3) but bookworm has "
                       "2.36-9+deb12u13: built against a newer libc6 than the target; build in a bookworm chroot"});
}

TEST_F(Installable, Provides) {
    EXPECT_EQ(problems("linux-initramfs-tool, cc, c-compiler (>= 12)"), Messages{});
    // An unversioned Provides cannot meet a versioned relation.
    EXPECT_EQ(problems("cc (>= 1)"), Messages{"Depends: cc (>= 1) but bookworm has cc only as provided by gcc-12"});
    EXPECT_EQ(problems("c-compiler (>= 13)"),
              Messages{"Depends: c-compiler (>= 13) but bookworm has c-compiler only as provided by gcc-12 (= 12.2.0)"});
}

TEST_F(Installable, ArchQualifiers) {
    EXPECT_EQ(problems("python3:any, libc6:native, libc6:arm64"), Messages{});
    // :any needs Multi-Arch: allowed; amd64 packages are not in an arm64 index.
    EXPECT_EQ(problems("perl:any").size(), 1u);
    EXPECT_EQ(problems("libc6:amd64").size(), 1u);
}

TEST_F(Installable, TheSetsOwnVersionsCount) {
    EXPECT_EQ(problems("linux-modules-6.1.192-tickless (= 6.1.192-2)"),
              Messages{"Depends: linux-modules-6.1.192-tickless (= 6.1.192-2) but the set has 6.1.192-1"});
}

TEST_F(Installable, UnparsableFieldIsAFinding) {
    EXPECT_EQ(problems("libc6 (>= 2.34").size(), 1u);
}

TEST(PackageIndexLoad, MissingFileIsBadInput) {
    auto r = PackageIndex::load({"/nonexistent/Packages"}, "arm64");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Exit::bad_input);
}

// What a boot chroot needs for an image beyond the set: the first
// alternative of each group the set's names don't meet (Ubuntu's image).
TEST(PackageIndex, ArchiveDependsAreWhatTheSetLacks) {
    kf::DebPackage image;
    image.name = "linux-image-unsigned-5.4.0-200-tickless";
    image.depends = "kmod, linux-base (>= 4.5ubuntu1~16.04.1), linux-modules-5.4.0-200-tickless, "
                    "initramfs-tools | linux-initramfs-tool, linux-headers-x | kmod";
    image.pre_depends = "dpkg (>= 1.10)";
    auto need = kf::sys::archive_depends(image, {"linux-modules-5.4.0-200-tickless", "linux-headers-x"});
    ASSERT_TRUE(need.ok());
    EXPECT_EQ(*need, (std::vector<std::string>{"dpkg", "kmod", "linux-base", "initramfs-tools"}));
}
