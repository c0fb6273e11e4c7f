#include "boot/boot_check.hpp"
#include "boot/boot_plan.hpp"

#include <gtest/gtest.h>

using namespace kf;

namespace {

// A real arm64 6.1 tinyconfig boot, abridged, with a kernel message
// wedged into the output and serial line endings.
const char* kConsole =
    "[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x411fd070]\r\n"
    "[    0.000000] Linux version 6.1.192-tickless (root@host) (aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0) #1 "
    "SMP\r\n"
    "[    0.512000] Run /init as init process\r\n"
    "kflavour-boot: begin\r\n"
    "kflavour-boot: release 6.1.192-tickless\r\n"
    "kflavour-boot: cmdline console=ttyAMA0 panic=-1 nohz_full=1\r\n"
    "kflavour-boot: config-source /proc/config.gz\r\n"
    "kflavour-boot: config CONFIG_NO_HZ_FULL=y\r\n"
    "kflavour-boot: config CONFIG_PREEMPT_RT is not set\r\n"
    "kflavour-boot: config CONFIG_HZ=250\r\n"
    "kflavour-boot: config CONFIG_LOCALVERSION=\"-tickless\"\r\n"
    "kflavour-boot: end\r\n"
    "[    0.700000] reboot: Power down\r\n";

BootCheck check_for(std::vector<std::string> expects, std::string cmdline = "nohz_full=1") {
    BootCheck c;
    c.installed_release = "6.1.192-tickless";
    for (const auto& e : expects) c.expects.push_back(*parse_expect(e));
    c.cmdline = std::move(cmdline);
    c.timeout_seconds = 120;
    return c;
}

}  // namespace

TEST(BootCheck, ParseExpect) {
    auto e = parse_expect("CONFIG_NO_HZ_FULL=y");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->symbol, "CONFIG_NO_HZ_FULL");
    EXPECT_EQ(e->value, "y");
    EXPECT_EQ(parse_expect("CONFIG_CMDLINE=\"a=b\"")->value, "\"a=b\"");
    for (const char* bad : {"NO_HZ_FULL=y", "CONFIG_NO_HZ_FULL", "CONFIG_NO_HZ_FULL=", "CONFIG_=y", "CONFIG_A-B=y", "=y"}) {
        auto r = parse_expect(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().code, Exit::bad_input);
        EXPECT_NE(r.error().message.find(bad), std::string::npos) << "names the argument";
    }
}

TEST(BootCheck, ParseConsole) {
    auto r = parse_console(kConsole);
    EXPECT_TRUE(r.kernel_started);
    EXPECT_TRUE(r.began);
    EXPECT_TRUE(r.ended);
    EXPECT_EQ(r.release, "6.1.192-tickless");
    EXPECT_EQ(r.cmdline, "console=ttyAMA0 panic=-1 nohz_full=1");
    EXPECT_EQ(r.config_source, "/proc/config.gz");
    EXPECT_EQ(r.config.at("CONFIG_NO_HZ_FULL"), "y");
    EXPECT_EQ(r.config.at("CONFIG_PREEMPT_RT"), "n");
    EXPECT_EQ(r.config.at("CONFIG_HZ"), "250");
    EXPECT_EQ(r.config.at("CONFIG_LOCALVERSION"), "\"-tickless\"");
}

TEST(BootCheck, MarkerAfterInterleavedKernelOutput) {
    auto r = parse_console("[    1.0] random: crng initkflavour-boot: release 6.1.0-x\nkflavour-boot: begin\n");
    EXPECT_EQ(r.release, "6.1.0-x");
    EXPECT_TRUE(r.began);
    EXPECT_FALSE(r.ended);
    EXPECT_FALSE(r.kernel_started);
}

TEST(BootCheck, Pass) {
    auto v = judge_boot(parse_console(kConsole),
                        check_for({"CONFIG_NO_HZ_FULL=y", "CONFIG_HZ=250", "CONFIG_PREEMPT_RT=n",
                                   "CONFIG_LOCALVERSION=-tickless"}));
    EXPECT_TRUE(v.passed) << (v.failures.empty() ? "" : v.failures[0]);
    ASSERT_EQ(v.expects.size(), 4u);
    EXPECT_TRUE(v.expects[0].holds);
    EXPECT_EQ(v.expects[0].actual, "y");
}

TEST(BootCheck, ExpectFailsNamingTheSymbol) {
    auto v = judge_boot(parse_console(kConsole), check_for({"CONFIG_NO_HZ_FULL=y", "CONFIG_PREEMPT_RT=y"}));
    EXPECT_FALSE(v.passed);
    ASSERT_EQ(v.failures.size(), 1u);
    EXPECT_EQ(v.failures[0], "CONFIG_PREEMPT_RT: expected y, the running kernel has it not set (/proc/config.gz)");
    EXPECT_TRUE(v.expects[0].holds);
    EXPECT_FALSE(v.expects[1].holds);
    EXPECT_FALSE(judge_boot(parse_console(kConsole), check_for({"CONFIG_HZ=100"})).passed);
}

TEST(BootCheck, SymbolTheGuestDidNotReport) {
    // /init reports every symbol it is given, so a missing one means the
    // initramfs asked for something else: not a pass, even for =n.
    auto v = judge_boot(parse_console(kConsole), check_for({"CONFIG_NOT_ASKED=n"}));
    EXPECT_FALSE(v.passed);
    EXPECT_EQ(v.failures.at(0), "CONFIG_NOT_ASKED was not reported by the guest");
}

TEST(BootCheck, WrongRelease) {
    auto c = check_for({});
    c.installed_release = "6.1.192-other";
    auto v = judge_boot(parse_console(kConsole), c);
    ASSERT_EQ(v.failures.size(), 1u);
    EXPECT_EQ(v.failures[0], "the running kernel is '6.1.192-tickless', the installed one is '6.1.192-other'");
}

TEST(BootCheck, CmdlineMustReachTheGuest) {
    auto v = judge_boot(parse_console(kConsole), check_for({}, "nohz_full=1 isolcpus=1"));
    ASSERT_EQ(v.failures.size(), 1u);
    EXPECT_NE(v.failures[0].find("'isolcpus=1'"), std::string::npos);
}

TEST(BootCheck, TimeoutAndSilence) {
    auto c = check_for({"CONFIG_NO_HZ_FULL=y"});
    c.timed_out = true;
    auto v = judge_boot(parse_console(""), c);
    EXPECT_FALSE(v.passed);
    ASSERT_EQ(v.failures.size(), 2u);
    EXPECT_EQ(v.failures[0], "the boot did not finish within 120 s (--timeout)");
    EXPECT_NE(v.failures[1].find("printed nothing"), std::string::npos);
    EXPECT_EQ(v.expects[0].actual, "");
    EXPECT_FALSE(v.expects[0].holds);
}

TEST(BootCheck, InitCutShort) {
    std::string console = kConsole;
    console = console.substr(0, console.find("kflavour-boot: config CONFIG_NO_HZ_FULL"));
    auto v = judge_boot(parse_console(console), check_for({"CONFIG_NO_HZ_FULL=y"}));
    EXPECT_FALSE(v.passed);
    EXPECT_EQ(v.failures.at(0), "/init did not get to the end of its checks");
}

namespace {

// A 6.12 arm64 PREEMPT_RT boot, abridged: what /init prints on a real-time kernel.
const char* kRtConsole =
    "[    0.000000] Linux version 6.12.57-rt (root@host) (aarch64-linux-gnu-gcc) #1 SMP PREEMPT_RT\r\n"
    "kflavour-boot: begin\r\n"
    "kflavour-boot: release 6.12.57-rt\r\n"
    "kflavour-boot: cmdline console=ttyAMA0 panic=-1\r\n"
    "kflavour-boot: version #1 SMP PREEMPT_RT Thu Jan  1 00:00:00 UTC 1970\r\n"
    "kflavour-boot: realtime 1\r\n"
    "kflavour-boot: config-source /proc/config.gz\r\n"
    "kflavour-boot: config CONFIG_PREEMPT_RT=y\r\n"
    "kflavour-boot: end\r\n";

BootCheck realtime_check(std::string release) {
    BootCheck c;
    c.installed_release = std::move(release);
    c.expects = with_realtime_expect({});
    c.timeout_seconds = 120;
    c.realtime = true;
    return c;
}

}  // namespace

TEST(BootCheck, RealtimeKernelShowsAllThreeProofs) {
    auto report = parse_console(kRtConsole);
    EXPECT_EQ(report.version, "#1 SMP PREEMPT_RT Thu Jan  1 00:00:00 UTC 1970");
    EXPECT_EQ(report.realtime, "1");
    auto v = judge_boot(report, realtime_check("6.12.57-rt"));
    EXPECT_TRUE(v.passed) << (v.failures.empty() ? "" : v.failures[0]);
    ASSERT_EQ(v.realtime_proofs.size(), 3u);
    EXPECT_EQ(v.realtime_proofs[0], "uname -v says PREEMPT_RT: #1 SMP PREEMPT_RT Thu Jan  1 00:00:00 UTC 1970");
    EXPECT_EQ(v.realtime_proofs[1], "/sys/kernel/realtime reads 1");
    EXPECT_EQ(v.realtime_proofs[2], "CONFIG_PREEMPT_RT=y in /proc/config.gz");
}

TEST(BootCheck, TicklessKernelBootedAsRealtimeNamesEachMissingProof) {
    std::string console = kConsole;
    const std::string begin = "kflavour-boot: config-source";
    console.insert(console.find(begin), "kflavour-boot: version #1 SMP\r\nkflavour-boot: realtime absent\r\n");
    auto v = judge_boot(parse_console(console), [] {
        auto c = check_for({"CONFIG_PREEMPT_RT=y"});
        c.realtime = true;
        return c;
    }());
    EXPECT_FALSE(v.passed);
    ASSERT_EQ(v.failures.size(), 2u);
    EXPECT_EQ(v.failures[0], "CONFIG_PREEMPT_RT: expected y, the running kernel has it not set (/proc/config.gz)");
    EXPECT_EQ(v.failures[1], "not a real-time kernel: uname -v does not say PREEMPT_RT ('#1 SMP')");
    // /sys/kernel/realtime is optional (mainline 6.12 has none): absent is not a failure.
    ASSERT_EQ(v.realtime_proofs.size(), 1u);
}

TEST(BootCheck, RealtimeFileReadingZeroFails) {
    std::string console = kRtConsole;
    console.replace(console.find("realtime 1"), 10, "realtime 0");
    auto v = judge_boot(parse_console(console), realtime_check("6.12.57-rt"));
    ASSERT_EQ(v.failures.size(), 1u);
    EXPECT_EQ(v.failures[0], "not a real-time kernel: /sys/kernel/realtime reads '0'");
}

TEST(BootCheck, WhenABootMustProveRealtime) {
    EXPECT_TRUE(requests_realtime({*parse_expect("CONFIG_PREEMPT_RT=y")}, ""));
    EXPECT_FALSE(requests_realtime({*parse_expect("CONFIG_PREEMPT_RT=n")}, ""));
    EXPECT_TRUE(requests_realtime({}, "CONFIG_HZ=100\nCONFIG_PREEMPT_RT=y\n"));
    EXPECT_FALSE(requests_realtime({}, "# CONFIG_PREEMPT_RT is not set\nCONFIG_PREEMPT_RT_FULL=y\n"));
    EXPECT_FALSE(requests_realtime({}, ""));
    auto e = with_realtime_expect({*parse_expect("CONFIG_HZ=100")});
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[1].symbol, "CONFIG_PREEMPT_RT");
    EXPECT_EQ(with_realtime_expect(e).size(), 2u) << "not added twice";
}
