#include "verify/verify_report.hpp"
#include "verify/verify_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace kf;

namespace {

DebPackage pkg(std::string name, std::string arch = "arm64", std::string version = "6.1.192-1") {
    DebPackage p;
    p.name = std::move(name);
    p.architecture = std::move(arch);
    p.version = std::move(version);
    return p;
}

std::vector<DebPackage> upstream_set() {
    return {pkg("linux-image-6.1.192-tickless"), pkg("linux-headers-6.1.192-tickless"), pkg("linux-libc-dev")};
}

std::vector<DebPackage> ubuntu_set() {
    const std::string v = "5.4.0-200.220+tickless1";
    return {pkg("linux-image-unsigned-5.4.0-200-tickless", "arm64", v), pkg("linux-modules-5.4.0-200-tickless", "arm64", v),
            pkg("linux-headers-5.4.0-200-tickless", "arm64", v), pkg("linux-headers-5.4.0-200", "all", v),
            pkg("linux-buildinfo-5.4.0-200-tickless", "arm64", v)};
}

std::vector<std::string> messages(const std::vector<Finding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(f.package + ": " + f.message);
    return out;
}

bool mentions(const std::vector<Finding>& fs, const std::string& package, const std::string& text) {
    return std::any_of(fs.begin(), fs.end(),
                       [&](const Finding& f) { return f.package == package && f.message.find(text) != std::string::npos; });
}

MemberFacts elf_file(std::string path, uint16_t machine) {
    MemberFacts m;
    m.path = std::move(path);
    m.elf = ElfInfo{machine, true, true};
    return m;
}

}  // namespace

TEST(VerifyComplete, UpstreamSetIsComplete) {
    EXPECT_EQ(messages(check_complete(upstream_set())), std::vector<std::string>{});
    auto releases = kernel_releases(upstream_set());
    ASSERT_EQ(releases.size(), 1u);
    EXPECT_EQ(releases[0].release, "6.1.192-tickless");
    EXPECT_FALSE(releases[0].ubuntu);
}

TEST(VerifyComplete, UpstreamMissingHeadersAndLibcDev) {
    auto set = upstream_set();
    set.erase(set.begin() + 1, set.end());
    auto f = check_complete(set);
    EXPECT_EQ(f.size(), 2u) << ::testing::PrintToString(messages(f));
    EXPECT_TRUE(mentions(f, "linux-headers-6.1.192-tickless", "missing"));
    EXPECT_TRUE(mentions(f, "linux-libc-dev", "missing"));
}

TEST(VerifyComplete, UpstreamMissingImage) {
    auto set = upstream_set();
    set.erase(set.begin());
    EXPECT_TRUE(mentions(check_complete(set), "linux-image-6.1.192-tickless", "no kernel image package"));
}

TEST(VerifyComplete, UbuntuSetIsComplete) {
    EXPECT_EQ(messages(check_complete(ubuntu_set())), std::vector<std::string>{});
    auto releases = kernel_releases(ubuntu_set());
    ASSERT_EQ(releases.size(), 1u);
    EXPECT_TRUE(releases[0].ubuntu);
    EXPECT_EQ(releases[0].abi, "5.4.0-200");
}

TEST(VerifyComplete, UbuntuNeedsModulesAndCommonHeaders) {
    auto set = ubuntu_set();
    set.erase(set.begin() + 3);  // linux-headers-5.4.0-200
    set.erase(set.begin() + 1);  // linux-modules
    auto f = check_complete(set);
    EXPECT_TRUE(mentions(f, "linux-modules-5.4.0-200-tickless", "missing"));
    EXPECT_TRUE(mentions(f, "linux-headers-5.4.0-200", "binary-headers"));
    EXPECT_EQ(f.size(), 2u);
}

TEST(VerifyComplete, UbuntuToolsNeedPerArchTools) {
    auto set = ubuntu_set();
    set.push_back(pkg("linux-tools-5.4.0-200-tickless", "arm64", set[0].version));
    auto f = check_complete(set);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_TRUE(mentions(f, "linux-tools-5.4.0-200", "binary-perarch"));
    set.push_back(pkg("linux-tools-5.4.0-200", "arm64", set[0].version));
    set.push_back(pkg("linux-tools-common", "all", set[0].version));
    set.push_back(pkg("linux-tools-host", "all", set[0].version));
    EXPECT_EQ(messages(check_complete(set)), std::vector<std::string>{});
    EXPECT_EQ(kernel_releases(set).size(), 1u);
}

// What a quick cross build of Debian 6.1's tickless flavour makes with
// kflavour's profiles (nodoc, noudeb, nosource, mintools, no debug, no meta).
std::vector<DebPackage> debian_set() {
    const std::string v = "6.1.187-1a~tickless1+quick";
    return {pkg("linux-image-6.1.0-53-tickless", "arm64", v), pkg("linux-headers-6.1.0-53-tickless", "arm64", v),
            pkg("linux-headers-6.1.0-53-common", "all", v),   pkg("linux-headers-6.1.0-53-common-rt", "all", v),
            pkg("linux-kbuild-6.1", "arm64", v),              pkg("linux-libc-dev", "arm64", v),
            pkg("linux-support-6.1.0-53", "all", v),          pkg("linux-image-arm64-signed-template", "arm64", v)};
}

TEST(VerifyComplete, DebianSetIsCompleteAndHasOneRelease) {
    auto set = debian_set();
    EXPECT_TRUE(check_complete(set).empty()) << ::testing::PrintToString(messages(check_complete(set)));
    auto releases = kernel_releases(set);
    ASSERT_EQ(releases.size(), 1u);
    EXPECT_EQ(releases[0].release, "6.1.0-53-tickless");
    EXPECT_TRUE(releases[0].debian);
    EXPECT_FALSE(releases[0].ubuntu);
    EXPECT_EQ(releases[0].abi, "6.1.0-53");
}

TEST(VerifyComplete, DebianHeadersNeedCommonHeadersAndKbuild) {
    auto set = debian_set();
    std::erase_if(set, [](const DebPackage& p) { return p.name == "linux-headers-6.1.0-53-common"; });
    auto found = check_complete(set);
    EXPECT_TRUE(mentions(found, "linux-headers-6.1.0-53-common", "linux-headers-6.1.0-53-tickless depends on it"))
        << ::testing::PrintToString(messages(found));
    // Without linux-kbuild the set no longer reads as Debian's: it is judged
    // as Ubuntu's shape, which asks for the modules package.
    set = debian_set();
    std::erase_if(set, [](const DebPackage& p) { return p.name == "linux-image-6.1.0-53-tickless"; });
    found = check_complete(set);
    EXPECT_TRUE(mentions(found, "linux-image-6.1.0-53-tickless", "has no kernel image package"));
}

TEST(VerifyComplete, DebianRtFlavourNeedsTheRtCommonHeadersAndUnsignedImageCounts) {
    const std::string v = "6.1.187-1";
    std::vector<DebPackage> set = {pkg("linux-image-6.1.0-53-rt-arm64-unsigned", "arm64", v),
                                   pkg("linux-headers-6.1.0-53-rt-arm64", "arm64", v), pkg("linux-kbuild-6.1", "arm64", v),
                                   pkg("linux-headers-6.1.0-53-common", "all", v)};
    auto found = check_complete(set);
    ASSERT_EQ(found.size(), 1u) << ::testing::PrintToString(messages(found));
    EXPECT_TRUE(mentions(found, "linux-headers-6.1.0-53-common-rt", "depends on it"));
}

TEST(VerifyComplete, VersionsMustAgreeWithTheImage) {
    auto set = upstream_set();
    set[2].version = "6.1.192-2";
    auto f = check_complete(set);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_TRUE(mentions(f, "linux-libc-dev", "version 6.1.192-2 differs from 6.1.192-1 (linux-image-6.1.192-tickless)"));
}

TEST(VerifyComplete, NoKernelAtAll) {
    auto f = check_complete({pkg("hello")});
    EXPECT_TRUE(mentions(f, "(set)", "no kernel image"));
    VerifyReport r{"d", "arm64", "t", {pkg("hello")}, f};
    EXPECT_NE(format_report(r).find("\n(set)                      FAIL         -"), std::string::npos) << format_report(r);
}

TEST(VerifyCpu, ArchitectureFieldAndNative) {
    auto set = upstream_set();
    set[2].architecture = "amd64";
    EXPECT_EQ(native_arch_of(set), "arm64");
    EXPECT_TRUE(check_cpu(set[0], "arm64").empty());
    EXPECT_TRUE(mentions(check_cpu(set[2], "arm64"), "linux-libc-dev", "Architecture: amd64 in a set for arm64"));
    EXPECT_TRUE(check_cpu(pkg("linux-headers-5.4.0-200", "all"), "arm64").empty());
    EXPECT_EQ(native_arch_of({pkg("x", "all")}), "");
}

TEST(VerifyCpu, EachForeignElfIsNamedByPath) {
    auto headers = pkg("linux-headers-6.1.192-tickless");
    headers.files = {elf_file("/usr/src/linux-headers-6.1.192-tickless/scripts/basic/fixdep", 62),
                     elf_file("/usr/src/linux-headers-6.1.192-tickless/scripts/mod/modpost", 62),
                     elf_file("/usr/src/linux-headers-6.1.192-tickless/scripts/ok", 183),
                     elf_file("/lib/firmware/some-dsp.elf", 62),
                     MemberFacts{"/usr/src/linux-headers-6.1.192-tickless/Makefile", 10, "", {}, {}, {}}};
    auto f = check_cpu(headers, "arm64");
    EXPECT_EQ(f.size(), 2u);
    EXPECT_TRUE(mentions(f, headers.name, "scripts/basic/fixdep: ELF for x86-64, not arm64"));
    EXPECT_TRUE(mentions(f, headers.name, "scripts/mod/modpost: ELF for x86-64, not arm64"));
}

TEST(VerifyCpu, KernelImageArch) {
    auto image = pkg("linux-image-6.1.192-tickless");
    MemberFacts vmlinuz{"/boot/vmlinuz-6.1.192-tickless", 10, "", {}, std::string("amd64"), {}};
    image.files = {vmlinuz};
    EXPECT_TRUE(mentions(check_cpu(image, "arm64"), image.name, "a kernel for amd64, not arm64"));
    EXPECT_TRUE(check_cpu(image, "amd64").empty() == false);  // Architecture: arm64 field
    image.files[0].image_arch = "";
    EXPECT_TRUE(mentions(check_cpu(image, "arm64"), image.name, "not a kernel image kflavour recognizes"));
    image.files[0].image_arch = "arm64";
    EXPECT_TRUE(check_cpu(image, "arm64").empty());
}

TEST(VerifyConsistent, Md5sums) {
    auto p = pkg("linux-libc-dev");
    p.files = {MemberFacts{"/usr/include/a.h", 1, "0123456789abcdef0123456789abcdef", {}, {}, {}},
               MemberFacts{"/usr/include/b.h", 1, "ffffffffffffffffffffffffffffffff", {}, {}, {}}};
    p.md5sums = "0123456789abcdef0123456789abcdef  usr/include/a.h\n"
                "ffffffffffffffffffffffffffffffff  usr/include/b.h\n";
    EXPECT_TRUE(check_consistent(p, {}).empty());
    p.md5sums = "0123456789abcdef0123456789abcdef  usr/include/a.h\n"
                "00000000000000000000000000000000  usr/include/b.h\n"
                "11111111111111111111111111111111  usr/include/gone.h\n"
                "garbage\n";
    auto f = check_consistent(p, {});
    ASSERT_EQ(f.size(), 3u) << ::testing::PrintToString(messages(f));
    EXPECT_TRUE(mentions(f, p.name, "/usr/include/b.h: md5sum differs"));
    EXPECT_TRUE(mentions(f, p.name, "/usr/include/gone.h: in DEBIAN/md5sums but not in the package"));
    EXPECT_TRUE(mentions(f, p.name, "malformed line: garbage"));
}

TEST(VerifyConsistent, Vermagic) {
    auto image = pkg("linux-image-6.1.192-tickless");
    image.files = {MemberFacts{"/boot/vmlinuz-6.1.192-tickless", 1, "", {}, std::string("arm64"), {}},
                   MemberFacts{"/lib/modules/6.1.192-tickless/kernel/a.ko", 1, "", {}, {}, std::string("6.1.192-tickless SMP aarch64")},
                   MemberFacts{"/lib/modules/6.1.192-tickless/kernel/b.ko", 1, "", {}, {}, std::string("6.1.192-other SMP aarch64")},
                   MemberFacts{"/lib/modules/6.1.192-tickless/kernel/c.ko", 1, "", {}, {}, {}}};
    auto images = image_releases({image});
    EXPECT_EQ(images, std::set<std::string>{"6.1.192-tickless"});
    auto f = check_consistent(image, images);
    ASSERT_EQ(f.size(), 2u) << ::testing::PrintToString(messages(f));
    EXPECT_TRUE(mentions(f, image.name, "b.ko: vermagic says 6.1.192-other, but it is installed for 6.1.192-tickless"));
    EXPECT_TRUE(mentions(f, image.name, "c.ko: no vermagic"));
    EXPECT_TRUE(mentions(check_consistent(image, {"6.1.192-else"}), image.name, "a.ko: vermagic 6.1.192-tickless matches no kernel image"));
}

TEST(VerifyReport, TableShowsEachCheckAndMissingPackages) {
    VerifyReport r;
    r.set = "out/";
    r.host = "arm64";
    r.target = "bookworm (3 packages for arm64 from --packages)";
    r.packages = upstream_set();
    r.findings = {{"linux-headers-6.1.192-tickless", Check::cpu, "/usr/src/x/fixdep: ELF for x86-64, not arm64"},
                  {"linux-modules-x", Check::complete, "missing from the set: why"}};
    const std::string table = format_report(r);
    EXPECT_EQ(table,
              "verify out/ for arm64 against bookworm (3 packages for arm64 from --packages)\n\n"
              "PACKAGE                         VERSION    ARCH   complete     installable  cpu          consistent\n"
              "linux-image-6.1.192-tickless    6.1.192-1  arm64  ok           ok           ok           ok\n"
              "linux-headers-6.1.192-tickless  6.1.192-1  arm64  ok           ok           FAIL         ok\n"
              "linux-libc-dev                  6.1.192-1  arm64  ok           ok           ok           ok\n"
              "linux-modules-x                 (missing)         FAIL         -            -            -\n"
              "\nproblems:\n"
              "  linux-headers-6.1.192-tickless: cpu: /usr/src/x/fixdep: ELF for x86-64, not arm64\n"
              "  linux-modules-x: complete: missing from the set: why\n"
              "\nverify: FAILED: 2 problems\n");
    r.findings.clear();
    EXPECT_TRUE(r.ok());
    EXPECT_NE(format_report(r).find("verify: ok: 3 packages pass every check"), std::string::npos);
}

// make vdso_install's compat images are for the host's 32-bit ABIs (Ubuntu's
// linux-modules ships them); the same ELF elsewhere, or a 64-bit foreign
// one in vdso/, is still wrong.
TEST(VerifyCpu, CompatVdsoImagesAreTheHosts) {
    auto modules = pkg("linux-modules-5.4.0-200-tickless");
    modules.architecture = "amd64";
    auto elf32 = [](std::string path, uint16_t machine) {
        auto m = elf_file(std::move(path), machine);
        m.elf->is64 = false;
        return m;
    };
    modules.files = {elf32("/lib/modules/5.4.0-200-tickless/vdso/vdso32.so", 3),
                     elf32("/lib/modules/5.4.0-200-tickless/vdso/vdsox32.so", 62),
                     elf_file("/lib/modules/5.4.0-200-tickless/vdso/vdso64.so", 62),
                     elf32("/lib/modules/5.4.0-200-tickless/kernel/x.so", 3),
                     elf_file("/lib/modules/5.4.0-200-tickless/vdso/vdso.so", 183)};
    auto f = check_cpu(modules, "amd64");
    ASSERT_EQ(f.size(), 2u);
    EXPECT_TRUE(mentions(f, modules.name, "kernel/x.so: ELF for Intel 80386, not amd64"));
    EXPECT_TRUE(mentions(f, modules.name, "vdso/vdso.so: ELF for"));
    modules.architecture = "arm64";
    modules.files = {elf32("/lib/modules/6.1.0-tickless/vdso/vdso32.so", 40)};
    EXPECT_TRUE(check_cpu(modules, "arm64").empty());
    modules.architecture = "amd64";
    EXPECT_EQ(check_cpu(modules, "amd64").size(), 1u);
}

TEST(VerifyRules, DeviceTreesOfTheImagePackage) {
    auto set = upstream_set();
    auto file = [](std::string path) {
        MemberFacts m;
        m.path = std::move(path);
        return m;
    };
    // bindeb-pkg installs them under /usr/lib/linux-image-REL/, vendor by vendor.
    set[0].files = {file("/boot/vmlinuz-6.12.117-rt"),
                    file("/usr/lib/linux-image-6.12.117-rt/broadcom/bcm2711-rpi-4-b.dtb"),
                    file("/usr/lib/linux-image-6.12.117-rt/broadcom/bcm2837-rpi-3-b.dtb")};
    set[1].files = {file("/usr/src/linux-headers-6.12.117-rt/scripts/dtc/include-prefixes/x.dtb")};
    const auto trees = device_trees(set);
    EXPECT_EQ(trees, (std::vector<std::string>{"broadcom/bcm2711-rpi-4-b.dtb", "broadcom/bcm2837-rpi-3-b.dtb"}))
        << "only the image package's";
    EXPECT_TRUE(check_device_trees(set, trees, {"bcm2711-rpi-4-b", "broadcom/bcm2837-rpi-3-b.dtb"}).empty());
    auto missing = check_device_trees(set, trees, {"bcm2712-rpi-5-b", "rockchip/bcm2711-rpi-4-b"});
    ASSERT_EQ(missing.size(), 2u);
    EXPECT_EQ(missing[0].package, "linux-image-6.1.192-tickless");
    EXPECT_EQ(missing[0].check, Check::complete);
    EXPECT_EQ(missing[0].message, "no device tree bcm2712-rpi-5-b.dtb (--dtb) in the image package; it carries 2");
    // Ubuntu's place for them.
    set[0].files = {file("/lib/firmware/5.4.0-200-tickless/device-tree/broadcom/bcm2711-rpi-4-b.dtb")};
    EXPECT_EQ(device_trees(set), (std::vector<std::string>{"broadcom/bcm2711-rpi-4-b.dtb"}));
}
