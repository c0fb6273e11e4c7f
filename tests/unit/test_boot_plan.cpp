#include "boot/boot_plan.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

const std::vector<std::string> kArm64Set = {
    "linux-headers-6.1.192-tickless_6.1.192-1_arm64.deb", "linux-image-6.1.192-tickless_6.1.192-1_arm64.deb",
    "linux-libc-dev_6.1.192-1_arm64.deb", "linux-image-6.1.192-tickless-dbg_6.1.192-1_arm64.deb",
    "linux-upstream_6.1.192-1_arm64.changes", "build.log"};

// The 64-byte header and `phnum` program headers of a little-endian ELF64.
std::string elf(uint16_t machine, std::vector<uint32_t> phdr_types) {
    std::string b(64 + 56 * phdr_types.size(), '\0');
    b.replace(0, 4, "\x7f" "ELF");
    b[4] = 2;
    b[5] = 1;
    b[18] = char(machine & 0xff);
    b[19] = char(machine >> 8);
    b[32] = 64;  // e_phoff
    b[54] = 56;  // e_phentsize
    b[56] = char(phdr_types.size());
    for (size_t i = 0; i < phdr_types.size(); ++i) b[64 + 56 * i] = char(phdr_types[i]);
    return b;
}

}  // namespace

TEST(BootPlan, Arches) {
    auto arm = boot_arch("arm64");
    ASSERT_TRUE(arm.ok());
    EXPECT_EQ(arm->qemu, "qemu-system-aarch64");
    EXPECT_EQ(arm->console, "ttyAMA0");
    EXPECT_EQ(arm->halt_applet, "poweroff");
    auto x86 = boot_arch("amd64");
    EXPECT_EQ(x86->qemu, "qemu-system-x86_64");
    EXPECT_EQ(x86->halt_applet, "reboot") << "x86 tinyconfig has no ACPI: poweroff would hang";
    auto bad = boot_arch("s390x");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, Exit::bad_input);
}

TEST(BootPlan, QemuArgvArm64) {
    QemuSpec q{"/usr/bin/qemu-system-aarch64", *boot_arch("arm64"), "/r/boot/vmlinuz-6.1.192-tickless", "/s/initrd.cpio.gz",
               "nohz_full=1", "tcg", 256};
    EXPECT_THAT(qemu_argv(q),
                ElementsAre("/usr/bin/qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-accel", "tcg", "-m", "256",
                            "-nographic", "-no-reboot", "-kernel", "/r/boot/vmlinuz-6.1.192-tickless", "-initrd",
                            "/s/initrd.cpio.gz", "-append", "console=ttyAMA0 panic=-1 nohz_full=1"));
}

TEST(BootPlan, QemuArgvAmd64) {
    QemuSpec q{"qemu-system-x86_64", *boot_arch("amd64"), "K", "I", "  ", "kvm", 512};
    EXPECT_THAT(qemu_argv(q), ElementsAre("qemu-system-x86_64", "-accel", "kvm", "-m", "512", "-nographic", "-no-reboot",
                                          "-kernel", "K", "-initrd", "I", "-append", "console=ttyS0 panic=-1"));
}

TEST(BootPlan, DebFileNames) {
    auto d = parse_deb_filename("linux-image-6.1.192-tickless_6.1.192-1_arm64.deb");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->package, "linux-image-6.1.192-tickless");
    EXPECT_EQ(d->version, "6.1.192-1");
    EXPECT_EQ(d->arch, "arm64");
    EXPECT_FALSE(parse_deb_filename("linux-upstream_6.1.192-1_arm64.changes"));
    EXPECT_FALSE(parse_deb_filename("nounderscores.deb"));
    EXPECT_FALSE(parse_deb_filename("a_b.deb"));
}

TEST(BootPlan, ClassifySet) {
    auto set = classify_debs(kArm64Set, "");
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set->arch, "arm64");
    ASSERT_EQ(set->images.size(), 1u);
    EXPECT_EQ(set->images[0].package, "linux-image-6.1.192-tickless");
    ASSERT_EQ(set->others.size(), 2u);
    EXPECT_EQ(set->others[0].package, "linux-headers-6.1.192-tickless");
    EXPECT_EQ(set->others[1].package, "linux-libc-dev");
    ASSERT_EQ(set->skipped.size(), 1u) << "the debug image is not installed";
    EXPECT_EQ(set->skipped[0].package, "linux-image-6.1.192-tickless-dbg");
}

TEST(BootPlan, ClassifyErrors) {
    auto none = classify_debs({"linux-libc-dev_6.1.192-1_arm64.deb"}, "");
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, Exit::bad_input);
    EXPECT_THAT(none.error().message, HasSubstr("no linux-image-*.deb"));
    auto wrong = classify_debs(kArm64Set, "amd64");
    ASSERT_FALSE(wrong.ok());
    EXPECT_THAT(wrong.error().message, HasSubstr("linux-image-*_amd64.deb"));
    auto mixed = classify_debs({"linux-image-1_1_arm64.deb", "linux-image-1_1_amd64.deb"}, "");
    ASSERT_FALSE(mixed.ok());
    EXPECT_THAT(mixed.error().message, HasSubstr("pass --arch"));
    auto chosen = classify_debs({"linux-image-1_1_arm64.deb", "linux-image-1_1_amd64.deb", "x_1_all.deb"}, "amd64");
    ASSERT_TRUE(chosen.ok());
    EXPECT_EQ(chosen->arch, "amd64");
    ASSERT_EQ(chosen->others.size(), 1u);
    EXPECT_EQ(chosen->others[0].package, "x");
}

TEST(BootPlan, InstallScript) {
    auto set = *classify_debs(kArm64Set, "");
    std::string s = install_script(set, "/sets/it's");
    EXPECT_THAT(s, HasSubstr("dpkg --force-unsafe-io -i '/sets/it'\\''s/linux-image-6.1.192-tickless_6.1.192-1_arm64.deb' "
                             "'/sets/it'\\''s/linux-headers-6.1.192-tickless_6.1.192-1_arm64.deb' "
                             "'/sets/it'\\''s/linux-libc-dev_6.1.192-1_arm64.deb' ||"));
    EXPECT_THAT(s, HasSubstr("for p in linux-image-6.1.192-tickless linux-headers-6.1.192-tickless linux-libc-dev; do"));
    EXPECT_THAT(s, HasSubstr("echo \"kflavour-boot: not installable: $p\""));
    EXPECT_THAT(s, HasSubstr("\ndpkg -l\n"));
    EXPECT_THAT(s, ::testing::Not(HasSubstr("-dbg")));
}

TEST(BootPlan, InstallOutput) {
    const char* out =
        "Unpacking linux-headers-6.1.192-tickless (6.1.192-1) ...\n"
        "dpkg-deb: error: unexpected end of file in archive member header in /s/linux-headers.deb\n"
        "dpkg: dependency problems prevent configuration of foo:\n"
        " foo depends on libbar (>= 2); however:\n"
        "  Package libbar is not installed.\n"
        "kflavour-boot: not installable: linux-headers-6.1.192-tickless\n"
        "kflavour-boot: not installable: foo\n";
    EXPECT_THAT(not_installed(out), ElementsAre("linux-headers-6.1.192-tickless", "foo"));
    EXPECT_THAT(install_problems(out),
                ElementsAre("dpkg-deb: error: unexpected end of file in archive member header in /s/linux-headers.deb",
                            "foo depends on libbar (>= 2); however:", "Package libbar is not installed."));
}

TEST(BootPlan, DpkgList) {
    const char* out =
        "Desired=Unknown/Install/Remove/Purge/Hold\n"
        "| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n"
        "|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n"
        "||/ Name                          Version      Architecture Description\n"
        "+++-=============================-============-============-===========\n"
        "ii  base-files                    12.4+deb12u5 arm64        Debian base system miscellaneous files\n"
        "ii  libc6:arm64                   2.36-9       arm64        GNU C Library: Shared libraries\n"
        "ii  linux-image-6.1.192-tickless  6.1.192-1    arm64        Linux kernel, version 6.1.192-tickless\n"
        "iU  linux-headers-6.1.192-tickless 6.1.192-1   arm64        Linux kernel headers\n";
    auto rows = parse_dpkg_list(out);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[1].name, "libc6");
    EXPECT_EQ(rows[2].status, "ii");
    EXPECT_EQ(rows[2].name, "linux-image-6.1.192-tickless");
    EXPECT_EQ(rows[2].version, "6.1.192-1");
    EXPECT_EQ(rows[2].arch, "arm64");
    EXPECT_EQ(rows[3].status, "iU");
}

TEST(BootPlan, InstalledRelease) {
    auto set = *classify_debs(kArm64Set, "");
    EXPECT_EQ(*installed_release({"System.map-6.1.192-tickless", "config-6.1.192-tickless", "vmlinuz-6.1.192-tickless"}, set),
              "6.1.192-tickless");
    // A kernel the chroot already had is not the one to boot.
    EXPECT_EQ(*installed_release({"vmlinuz-6.1.0-9-arm64", "vmlinuz-6.1.192-tickless"}, set), "6.1.192-tickless");
    EXPECT_FALSE(installed_release({"config-6.1.192-tickless"}, set).ok());
    EXPECT_FALSE(installed_release({"vmlinuz-a", "vmlinuz-b"}, set).ok());
}

TEST(BootPlan, InitScript) {
    std::string s = init_script({"6.1.192-tickless", {"CONFIG_NO_HZ_FULL", "CONFIG_PREEMPT_RT"}, "reboot"});
    EXPECT_TRUE(s.starts_with("#!/bin/busybox sh\n"));
    EXPECT_THAT(s, HasSubstr("$bb mount -t proc proc /proc\n"));
    EXPECT_THAT(s, HasSubstr("$bb mount -t sysfs sysfs /sys\n"));
    EXPECT_THAT(s, HasSubstr("echo \"kflavour-boot: release $($bb uname -r)\"\n"));
    EXPECT_THAT(s, HasSubstr("echo \"kflavour-boot: cmdline $($bb cat /proc/cmdline)\"\n"));
    // The real-time proofs: uname -v and /sys/kernel/realtime, which older RT kernels lack.
    EXPECT_THAT(s, HasSubstr("echo \"kflavour-boot: version $($bb uname -v)\"\n"));
    EXPECT_THAT(s, HasSubstr("if [ -r /sys/kernel/realtime ]; then echo \"kflavour-boot: realtime $($bb cat "
                             "/sys/kernel/realtime)\"; else echo 'kflavour-boot: realtime absent'; fi\n"));
    EXPECT_THAT(s, HasSubstr("if [ -r /proc/config.gz ]; then\n    source=/proc/config.gz; config() { $bb zcat /proc/config.gz; }\n"));
    EXPECT_THAT(s, HasSubstr("elif [ -r /boot/config-6.1.192-tickless ]; then\n"));
    // Each symbol reported once, in order, before the end marker and the halt.
    auto a = s.find("report CONFIG_NO_HZ_FULL\n"), b = s.find("report CONFIG_PREEMPT_RT\n"),
         end = s.find("echo 'kflavour-boot: end'\n"), halt = s.find("$bb reboot -f\n");
    ASSERT_NE(a, std::string::npos);
    EXPECT_LT(a, b);
    EXPECT_LT(b, end);
    EXPECT_LT(end, halt);
    EXPECT_EQ(halt + std::string("$bb reboot -f\n").size(), s.size());
    EXPECT_THAT(init_script({"r", {}, "poweroff"}), HasSubstr("$bb poweroff -f\n"));
}

TEST(BootPlan, ReadElf) {
    auto st = read_elf(elf(183, {1, 1}));
    ASSERT_TRUE(st);
    EXPECT_EQ(st->machine, 183);
    EXPECT_FALSE(st->dynamic);
    auto dyn = read_elf(elf(62, {6, 3, 1}));
    ASSERT_TRUE(dyn);
    EXPECT_EQ(dyn->machine, 62);
    EXPECT_TRUE(dyn->dynamic);
    EXPECT_FALSE(read_elf("#!/bin/sh\n"));
    std::string truncated = elf(183, {1, 3});
    EXPECT_FALSE(read_elf(truncated.substr(0, 100))) << "program headers past the end";
}
