// sys::boot_set with a RecordingRunner: the exact commands (arch-test, tar,
// the chroot's dpkg, timeout + qemu), the initramfs it writes, and how the
// answers turn into a result; as root and as a user with subuids (a FakeOs
// says which), so the tests run whoever runs them.
#include "boot/boot.hpp"
#include "chroot/chroot.hpp"
#include "archive/gzip.hpp"
#include "test_doubles.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <fstream>
#include <sstream>
#include <regex>
#include <unistd.h>

using namespace kf;
using namespace kf::sys;
namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

const std::string kRelease = "6.1.192-tickless";

std::string gunzip(const std::string& gz) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    std::string out;
    char buf[65536];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.avail_in = uInt(gz.size());
    int rc;
    do {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    } while (rc == Z_OK);
    EXPECT_EQ(rc, Z_STREAM_END);
    inflateEnd(&z);
    return out;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

// A static (no PT_INTERP) little-endian ELF64 header for `machine`, or a
// dynamic one.
std::string fake_elf(uint16_t machine, bool dynamic) {
    std::string b(64 + 56, '\0');
    b.replace(0, 4, "\x7f" "ELF");
    b[4] = 2;
    b[5] = 1;
    b[18] = char(machine & 0xff);
    b[19] = char(machine >> 8);
    b[32] = 64;
    b[54] = 56;
    b[56] = 1;
    b[64] = dynamic ? 3 : 1;
    return b;
}

std::string value_after(const std::vector<std::string>& argv, const std::string& flag) {
    for (size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == flag) return argv[i + 1];
    return {};
}

const char* kDpkgOutput =
    "Selecting previously unselected package linux-image-6.1.192-tickless.\n"
    "kflavour-boot: dpkg -l\n"
    "||/ Name                          Version      Architecture Description\n"
    "+++-=============================-============-============-===========\n"
    "ii  dpkg                          1.21.22      arm64        Debian package management system\n"
    "ii  linux-image-6.1.192-tickless  6.1.192-1    arm64        Linux kernel, version 6.1.192-tickless\n"
    "ii  linux-libc-dev                6.1.192-1    arm64        Linux support headers for userspace development\n";

const char* kConsole =
    "Booting Linux on physical CPU 0x0000000000 [0x411fd070]\r\n"
    "Linux version 6.1.192-tickless (root@host) #1 SMP\r\n"
    "kflavour-boot: begin\r\n"
    "kflavour-boot: release 6.1.192-tickless\r\n"
    "kflavour-boot: cmdline console=ttyAMA0 panic=-1 nohz_full=1\r\n"
    "kflavour-boot: config-source /proc/config.gz\r\n"
    "kflavour-boot: config CONFIG_NO_HZ_FULL=y\r\n"
    "kflavour-boot: end\r\n";

// Sets an environment variable for the test's lifetime.
struct ScopedEnv {
    std::string name;
    std::optional<std::string> old;
    ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
        if (const char* v = std::getenv(name.c_str())) old = v;
        ::setenv(name.c_str(), value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (old) ::setenv(name.c_str(), old->c_str(), 1);
        else ::unsetenv(name.c_str());
    }
};

struct BootFixture : ::testing::Test {
    fs::path tmp;
    std::vector<std::unique_ptr<ScopedEnv>> env;
    BootRequest request;
    test::RecordingRunner runner;
    test::FakeOs os;
    std::string busybox = fake_elf(183, false);
    ProcessOutput qemu_answer{0, kConsole};
    std::string initramfs;  // what qemu was given, decompressed

    void SetUp() override {
        std::string t = (fs::temp_directory_path() / "kf-boot-test.XXXXXX").string();
        tmp = ::mkdtemp(t.data());
        auto set_env = [&](const char* name, const std::string& value) {
            env.push_back(std::make_unique<ScopedEnv>(name, value));
        };
        os.arch = "amd64";
        os.environment["KFLAVOUR_CHROOT_DIR"] = (tmp / "cache").string();
        set_env("TMPDIR", (tmp / "scratch").string());
        set_env("KFLAVOUR_QEMU_SYSTEM_AARCH64", "/opt/qemu/aarch64");
        // tool_path() of these must be the bare names the answers match on.
        set_env("KFLAVOUR_TIMEOUT", "timeout");
        set_env("KFLAVOUR_TAR", "tar");
        set_env("KFLAVOUR_UNSHARE", "unshare");
        set_env("KFLAVOUR_ARCH_TEST", "arch-test");
        fs::create_directories(tmp / "scratch");
        write(tmp / "cache" / (default_name(boot_chroot_spec("bookworm", "arm64", "amd64")) + ".tar"), "");
        write(tmp / "set" / "linux-image-6.1.192-tickless_6.1.192-1_arm64.deb", "");
        write(tmp / "set" / "linux-libc-dev_6.1.192-1_arm64.deb", "");
        request.dir = tmp / "set";
        request.expects = {{"CONFIG_NO_HZ_FULL", "y"}};
        request.cmdline = "nohz_full=1";
        runner.respond = [this](const Command& c) { return answer(c); };
    }
    void TearDown() override {
        env.clear();
        if (!tmp.empty()) fs::remove_all(tmp);
    }

    // What the installed set leaves in a root.
    void fill_root(const fs::path& root) {
        write(root / "boot" / ("vmlinuz-" + kRelease), "kernel");
        write(root / "boot" / ("config-" + kRelease), "CONFIG_NO_HZ_FULL=y\n");
        write(root / "usr/bin/busybox", busybox);
        fs::create_directory_symlink("usr/bin", root / "bin");
        write(root / "lib/modules" / kRelease / "modules.dep", "");
    }

    // As root, tar fills the root as dpkg would have; as a user, the one
    // unshare script installs and copies the boot files out (to the dir it
    // makes with mkdir -p). qemu gets the console.
    ProcessOutput answer(const Command& c) {
        const std::string tool = c.argv.at(0);
        if (tool == "tar") {
            fill_root(value_after(c.argv, "-C"));
            return {0, ""};
        }
        if (tool == "unshare") {
            std::smatch out;
            static const std::regex copied_out("; mkdir -p '?([^' ;]*/boot-files)'?;");
            if (std::regex_search(c.argv.back(), out, copied_out)) fill_root(out[1].str());
            return {0, kDpkgOutput};
        }
        if (tool == "timeout") {
            initramfs = gunzip(slurp(value_after(c.argv, "-initrd")));
            return qemu_answer;
        }
        return {0, ""};
    }
};

}  // namespace

TEST_F(BootFixture, CommandsAndPass) {
    auto r = boot_set(runner, os, request, nullptr, nullptr);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    ASSERT_EQ(runner.commands.size(), 4u);
    EXPECT_THAT(runner.commands[0].argv, ElementsAre("arch-test", "arm64")) << "dpkg runs through qemu-user";
    const auto& tar = runner.commands[1].argv;
    ASSERT_EQ(tar.size(), 6u);
    EXPECT_EQ(tar[3], (tmp / "cache" / "bookworm-arm64-f02b7892-essential.tar").string());
    const fs::path root = tar[5];
    EXPECT_EQ(root.parent_path().parent_path(), tmp / "scratch");
    const auto& chroot = runner.commands[2].argv;
    EXPECT_EQ(chroot[0], "unshare");
    EXPECT_THAT(chroot[10], HasSubstr("mount --bind " + (tmp / "set").string())) << "the set is bind-mounted";
    EXPECT_THAT(chroot.back(), HasSubstr("dpkg --force-unsafe-io -i " + (tmp / "set").string() +
                                         "/linux-image-6.1.192-tickless_6.1.192-1_arm64.deb " +
                                         (tmp / "set").string() + "/linux-libc-dev_6.1.192-1_arm64.deb ||"));
    EXPECT_THAT(runner.commands[3].argv,
                ElementsAre("timeout", "--kill-after=5", "120", "/opt/qemu/aarch64", "-M", "virt", "-cpu", "cortex-a57",
                            "-accel", "tcg", "-m", "256", "-nographic", "-no-reboot", "-kernel",
                            (root / "boot" / ("vmlinuz-" + kRelease)).string(), "-initrd",
                            (root.parent_path() / "initrd.cpio.gz").string(), "-append",
                            "console=ttyAMA0 panic=-1 nohz_full=1"));
    for (size_t i = 1; i < 4; ++i) {
        EXPECT_TRUE(runner.commands[i].own_process_group) << "Ctrl-C must reach " << runner.commands[i].argv[0];
        EXPECT_GT(runner.commands[i].kill_after_interrupt, 0)
            << runner.commands[i].argv[0] << " is killed when it ignores Ctrl-C (the chroot's PID 1 does)";
    }

    EXPECT_TRUE(r->verdict.passed);
    EXPECT_EQ(r->release, kRelease);
    EXPECT_EQ(r->chroot, "bookworm-arm64-f02b7892-essential");
    EXPECT_FALSE(r->chroot_created);
    ASSERT_EQ(r->installed.size(), 2u) << "only the set's rows of dpkg -l";
    EXPECT_EQ(r->installed[0].name, "linux-image-6.1.192-tickless");
    EXPECT_EQ(r->installed[0].status, "ii");
    EXPECT_EQ(r->console.find('\r'), std::string::npos);
    EXPECT_EQ(r->module_files, 1u);

    // The initramfs: busybox from the chroot, the generated /init, config, modules.
    EXPECT_THAT(initramfs, HasSubstr("bin/busybox"));
    EXPECT_THAT(initramfs, HasSubstr(busybox));
    EXPECT_THAT(initramfs, HasSubstr("report CONFIG_NO_HZ_FULL\n"));
    EXPECT_THAT(initramfs, HasSubstr("$bb poweroff -f\n"));
    EXPECT_THAT(initramfs, HasSubstr("boot/config-6.1.192-tickless"));
    EXPECT_THAT(initramfs, HasSubstr("lib/modules/6.1.192-tickless/modules.dep"));
    EXPECT_THAT(initramfs, HasSubstr("dev/console"));
    EXPECT_TRUE(fs::is_empty(tmp / "scratch")) << "scratch root removed";
}

// A user with subuids: no tar as root, one unshare that installs and copies
// the boot files out, one that removes the namespace's root; then qemu on
// the copied kernel. Same verdict as root's.
TEST_F(BootFixture, AsAUserWithSubuids) {
    os.root = false;
    auto r = boot_set(runner, os, request, nullptr, nullptr);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    ASSERT_EQ(runner.commands.size(), 4u);
    EXPECT_THAT(runner.commands[0].argv, ElementsAre("arch-test", "arm64"));
    const auto& install = runner.commands[1].argv;
    EXPECT_EQ(install[0], "unshare");
    EXPECT_THAT(install, ::testing::Contains("--map-auto")) << "the subuid/subgid ranges";
    EXPECT_THAT(install.back(), HasSubstr((tmp / "cache" / "bookworm-arm64-f02b7892-essential.tar").string()));
    EXPECT_THAT(install.back(), HasSubstr("mount --bind " + (tmp / "set").string()));
    EXPECT_THAT(install.back(), HasSubstr("dpkg --force-unsafe-io -i "));
    const auto& cleanup = runner.commands[2].argv;
    EXPECT_THAT(cleanup, ::testing::Contains("--map-root-user"));
    EXPECT_THAT(cleanup, ::testing::Contains("--one-file-system"));
    const fs::path files = value_after(runner.commands[3].argv, "-kernel");
    EXPECT_EQ(files.filename(), "vmlinuz-" + kRelease);
    EXPECT_EQ(files.parent_path().parent_path().filename(), "boot-files") << "the kernel copied out of the namespace";
    EXPECT_TRUE(r->verdict.passed);
    EXPECT_EQ(r->release, kRelease);
    ASSERT_EQ(r->installed.size(), 2u);
    EXPECT_THAT(initramfs, HasSubstr("boot/config-6.1.192-tickless"));
    EXPECT_TRUE(fs::is_empty(tmp / "scratch")) << "scratch removed";
}

// On an arm64 machine the arm64 set's dpkg runs natively: no arch-test, and
// the chroot is named as a native one.
TEST_F(BootFixture, NativeArchComesFromTheOs) {
    os.arch = "arm64";
    write(tmp / "cache" / (default_name(boot_chroot_spec("bookworm", "arm64", "arm64")) + ".tar"), "");
    auto r = boot_set(runner, os, request, nullptr, nullptr);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(runner.commands[0].argv[0], "tar") << "no arch-test for the machine's own arch";
    EXPECT_EQ(r->chroot, default_name(boot_chroot_spec("bookworm", "arm64", "arm64")));
}

TEST_F(BootFixture, TimeoutIsAFailedCheck) {
    qemu_answer = {124, "Linux version 6.1.192-tickless\r\nkflavour-boot: begin\r\n"};
    request.timeout_seconds = 7;
    auto r = boot_set(runner, os, request, nullptr, nullptr);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(runner.commands[3].argv[2], "7");
    EXPECT_TRUE(r->timed_out);
    EXPECT_FALSE(r->verdict.passed);
    EXPECT_EQ(r->verdict.failures.at(0), "the boot did not finish within 7 s (--timeout)");
}

TEST_F(BootFixture, QemuThatCannotStartIsAFailure) {
    qemu_answer = {1, "qemu-system-aarch64: could not load kernel\n"};
    auto r = boot_set(runner, os, request, nullptr, nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Exit::failure);
    EXPECT_THAT(r.error().message, HasSubstr("could not load kernel"));
    EXPECT_TRUE(fs::is_empty(tmp / "scratch"));
}

TEST_F(BootFixture, WrongBusybox) {
    busybox = fake_elf(62, false);  // the host's, not the chroot arch's
    auto r = boot_set(runner, os, request, nullptr, nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("not a static arm64 program"));
    EXPECT_THAT(r.error().hint, HasSubstr("busybox-static"));
    EXPECT_EQ(runner.commands.size(), 3u) << "no qemu";
    busybox = fake_elf(183, true);  // dynamic
    runner.commands.clear();
    EXPECT_FALSE(boot_set(runner, os, request, nullptr, nullptr).ok());
}

TEST_F(BootFixture, ImageThatDoesNotInstall) {
    runner.respond = [this](const Command& c) {
        if (c.argv[0] == "unshare")
            return ProcessOutput{0, "kflavour-boot: not installable: linux-image-6.1.192-tickless\nkflavour-boot: dpkg -l\n"};
        return answer(c);
    };
    auto r = boot_set(runner, os, request, nullptr, nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Exit::check_failed);
    EXPECT_THAT(r.error().message, HasSubstr("linux-image-6.1.192-tickless does not install"));
}

TEST(BootGzip, RoundTrip) {
    std::string data;
    for (int i = 0; i < 10000; ++i) data += "line " + std::to_string(i) + "\n";
    auto gz = gzip(data);
    ASSERT_TRUE(gz.ok());
    EXPECT_EQ(gz->substr(0, 2), "\x1f\x8b") << "gzip magic (the kernel's RD_GZIP wants gzip, not zlib)";
    EXPECT_LT(gz->size(), data.size() / 3);
    EXPECT_EQ(gunzip(*gz), data);
}
