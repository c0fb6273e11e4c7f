#include "chroot/chroot.hpp"
#include "chroot/chroot_preview.hpp"
#include "chroot/target_index.hpp"
#include "deps/control_file.hpp"
#include "test_doubles.hpp"
#include "temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace kf;
using namespace kf::sys;
namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

using test::TempDir;

struct Env {
    Env() {
        ::setenv("KFLAVOUR_MMDEBSTRAP", "mmdebstrap", 1);
        ::setenv("KFLAVOUR_ARCH_TEST", "arch-test", 1);
    }
};

ChrootSpec cross_spec() {
    ChrootSpec s;
    s.suite = "bookworm";
    s.native_arch = "amd64";
    s.hosts = {"arm64"};
    return s;
}

}  // namespace

TEST(Chroot, Names) {
    Env env;
    auto s = cross_spec();
    EXPECT_EQ(default_name(s), "bookworm-amd64+arm64");
    s.hosts = {};
    EXPECT_EQ(default_name(s), "bookworm-amd64");
    s.includes = {"ccache", "python3"};
    std::string with = default_name(s);
    EXPECT_THAT(with, ::testing::MatchesRegex("bookworm-amd64-[0-9a-f]{8}"));
    s.includes = {"python3", "ccache", "ccache"};
    EXPECT_EQ(default_name(s), with) << "include order and duplicates do not matter";
    s.includes = {};
    s.arch = "arm64";
    s.qemu = true;
    EXPECT_EQ(default_name(s), "bookworm-arm64");
    EXPECT_TRUE(check_name("focal-amd64+arm64").ok());
    EXPECT_FALSE(check_name("../etc").ok());
    EXPECT_FALSE(check_name("a/b").ok());
    EXPECT_FALSE(check_name("").ok());
}

TEST(Chroot, DebianCrossArgv) {
    Env env;
    auto s = cross_spec();
    s.includes = {"ccache"};
    Command c = mmdebstrap_command(s, "/c/.x.partial-1.tar", {});
    EXPECT_THAT(c.argv, ElementsAre("mmdebstrap", "--variant=buildd", "--architectures=amd64,arm64",
                                    "--include=crossbuild-essential-arm64,ccache", "--skip=cleanup/apt/lists",
                                    "bookworm", "/c/.x.partial-1.tar"));
    EXPECT_TRUE(c.own_process_group);
    s.mirror = "http://mirror.example/debian";
    s.check_signature = false;
    c = mmdebstrap_command(s, "/t.tar", {});
    EXPECT_EQ(c.argv.back(), "http://mirror.example/debian");
    EXPECT_THAT(c.argv, ::testing::Contains("--aptopt=Acquire::AllowInsecureRepositories \"true\""));
}

TEST(Chroot, UbuntuSourcesSplitArchiveAndPorts) {
    Env env;
    ChrootSpec s;
    s.native_arch = "amd64";
    s.suite = "focal";
    s.hosts = {"arm64", "armhf"};
    const std::string tmpl = slurp(fs::path(KF_SOURCE_DIR) / "templates/ubuntu.sources");
    const std::string text = ubuntu_sources(s, tmpl);
    EXPECT_EQ(text,
              "Types: deb\nURIs: http://archive.ubuntu.com/ubuntu\nSuites: focal focal-updates focal-security\n"
              "Components: main restricted universe multiverse\nArchitectures: amd64\n"
              "Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\n"
              "Types: deb\nURIs: http://ports.ubuntu.com/ubuntu-ports\nSuites: focal focal-updates focal-security\n"
              "Components: main restricted universe multiverse\nArchitectures: arm64 armhf\n"
              "Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n");
    // A ports-only chroot has no archive stanza; mirrors are taken as given.
    s.arch = "arm64";
    s.qemu = true;
    s.hosts = {};
    s.ports_mirror = "http://ports.example/ubuntu-ports";
    EXPECT_EQ(ubuntu_sources(s, tmpl).find("archive.ubuntu.com"), std::string::npos);
    EXPECT_NE(ubuntu_sources(s, tmpl).find("URIs: http://ports.example/ubuntu-ports\n"), std::string::npos);
    // mmdebstrap gets the keyring and the sources file in place of a mirror.
    Command c = mmdebstrap_command(s, "/t.tar", "/c/focal-arm64.sources");
    EXPECT_THAT(c.argv, ::testing::Contains("--keyring=/usr/share/keyrings/ubuntu-archive-keyring.gpg"));
    EXPECT_EQ(c.argv.back(), "/c/focal-arm64.sources");
    EXPECT_EQ(distro_of("noble"), Distro::ubuntu);
    EXPECT_EQ(distro_of("jammy-proposed"), Distro::ubuntu);
    EXPECT_EQ(distro_of("trixie"), Distro::debian);
}

TEST(Chroot, CreateIsAtomicAndCached) {
    Env env;
    TempDir cache;
    test::RecordingRunner runner;
    // A fake mmdebstrap: write the target argument.
    runner.respond = [](const Command& c) {
        if (c.argv[0] == "mmdebstrap") std::ofstream(c.argv[c.argv.size() - 1]) << "tar";
        return ProcessOutput{0, ""};
    };
    auto r = create_chroot(runner, cross_spec(), cache.path, "", false, nullptr);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_FALSE(r->reused);
    ASSERT_EQ(runner.commands.size(), 1u);
    const std::string target = runner.commands[0].argv.back();
    EXPECT_THAT(target, ::testing::MatchesRegex(".*/\\.bookworm-amd64\\+arm64\\.partial-[0-9]+\\.tar"));
    EXPECT_FALSE(fs::exists(target));
    EXPECT_TRUE(fs::exists(cache.path / "bookworm-amd64+arm64.tar"));
    EXPECT_TRUE(fs::exists(cache.path / "bookworm-amd64+arm64.json"));

    // Again: a no-op; --refresh runs mmdebstrap again.
    r = create_chroot(runner, cross_spec(), cache.path, "", false, nullptr);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->reused);
    EXPECT_EQ(runner.commands.size(), 1u);
    r = create_chroot(runner, cross_spec(), cache.path, "", true, nullptr);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(runner.commands.size(), 2u);

    auto list = list_chroots(cache.path);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].suite, "bookworm");
    EXPECT_THAT((*list)[0].arches, ElementsAre("amd64", "arm64"));
    EXPECT_TRUE(find_chroot_for_suite(cache.path, "bookworm", "amd64").ok());
    EXPECT_FALSE(find_chroot_for_suite(cache.path, "trixie", "amd64").ok());
    EXPECT_TRUE(remove_chroot(cache.path, "bookworm-amd64+arm64").ok());
    EXPECT_TRUE(fs::is_empty(cache.path));
}

TEST(Chroot, FailedCreateLeavesNothing) {
    Env env;
    TempDir cache;
    test::RecordingRunner runner;
    runner.respond = [](const Command& c) {
        std::ofstream(c.argv.back()) << "half";
        return ProcessOutput{1, "E: apt failed\n"};
    };
    auto r = create_chroot(runner, cross_spec(), cache.path, "", false, nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("E: apt failed"), std::string::npos);
    // No tarball, no partial, no metadata: only mmdebstrap's whole output.
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(cache.path)) left.push_back(e.path().filename().string());
    EXPECT_THAT(left, ElementsAre("bookworm-amd64+arm64.log"));
    EXPECT_THAT(r.error().message, HasSubstr("full output: " + (cache.path / "bookworm-amd64+arm64.log").string()));
    EXPECT_EQ(list_chroots(cache.path).value().size(), 0u);
}

// mmdebstrap's cause is its first line; the usage screen after it is not
// evidence. The error shows apt's and mmdebstrap's error lines first.
TEST(Chroot, FailedCreateShowsTheErrorBeforeTheUsageScreen) {
    Env env;
    TempDir cache;
    test::RecordingRunner runner;
    std::string usage;
    for (int i = 0; i < 40; ++i) usage += "  --option" + std::to_string(i) + "  does a thing\n";
    runner.respond = [&](const Command&) {
        return ProcessOutput{2, "E: keyring \"/usr/share/keyrings/x.gpg\" does not exist\nUsage:\n" + usage};
    };
    auto r = create_chroot(runner, cross_spec(), cache.path, "", false, nullptr);
    ASSERT_FALSE(r.ok());
    const auto& m = r.error().message;
    EXPECT_THAT(m, HasSubstr("mmdebstrap failed (exit 2); its errors:\n  E: keyring \"/usr/share/keyrings/x.gpg\" does not exist\n"
                             "last lines of its output:\n"));
    EXPECT_LT(m.find("E: keyring"), m.find("--option39"));
}

TEST(Chroot, MissingUbuntuKeyringStopsBeforeMmdebstrap) {
    Env env;
    TempDir cache;
    test::RecordingRunner runner;
    ChrootSpec spec;
    spec.suite = "focal";
    spec.keyring = (cache.path / "no-such-keyring.gpg").string();
    auto r = create_chroot(runner, spec, cache.path, "", false, nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(runner.commands.empty());
    EXPECT_THAT(r.error().message, HasSubstr("keyring for focal's archive does not exist: " + spec.keyring));
    EXPECT_THAT(r.error().hint, HasSubstr("the package ubuntu-keyring"));
    EXPECT_THAT(r.error().hint, HasSubstr("--keyring FILE"));
}

TEST(Chroot, KeyringGoesToMmdebstrapAndTheUbuntuSources) {
    ChrootSpec spec;
    spec.suite = "focal";
    spec.native_arch = "amd64";
    spec.hosts = {"arm64"};
    spec.keyring = "/tmp/k/ubuntu-archive-keyring.gpg";
    auto cmd = mmdebstrap_command(spec, "/c/x.tar", "/c/x.sources");
    EXPECT_THAT(cmd.argv, ::testing::Contains("--keyring=/tmp/k/ubuntu-archive-keyring.gpg"));
    EXPECT_THAT(ubuntu_sources(spec, "Signed-By: @KEYRING@\n"), HasSubstr("Signed-By: /tmp/k/ubuntu-archive-keyring.gpg\n"));
    ChrootSpec debian;
    debian.suite = "bookworm";
    EXPECT_THAT(mmdebstrap_command(debian, "/c/x.tar", {}).argv, Not(::testing::Contains(::testing::StartsWith("--keyring"))));
    EXPECT_TRUE(check_keyring(debian).ok());  // apt's own trusted keys
}

TEST(Chroot, ForeignArchNeedsQemuAndBinfmt) {
    Env env;
    TempDir cache;
    test::RecordingRunner runner;
    ChrootSpec s;
    s.suite = "bookworm";
    s.arch = "arm64";
    s.native_arch = "amd64";
    auto r = create_chroot(runner, s, cache.path, "", false, nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "--arch arm64 is foreign on this amd64 machine");
    EXPECT_NE(r.error().hint.find("--qemu"), std::string::npos);
    s.qemu = true;
    runner.respond = [](const Command& c) {
        return c.argv[0] == "arch-test" ? ProcessOutput{1, "arm64: not supported on this machine/kernel\n"}
                                        : ProcessOutput{0, ""};
    };
    r = create_chroot(runner, s, cache.path, "", false, nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(runner.commands[0].argv, ElementsAre("arch-test", "arm64"));
    EXPECT_NE(r.error().hint.find("update-binfmts --enable qemu-aarch64"), std::string::npos);
    EXPECT_EQ(runner.commands.size(), 1u) << "mmdebstrap not run";
}

TEST(Chroot, ExecCommandMountsAndChroots) {
    ::setenv("KFLAVOUR_UNSHARE", "unshare", 1);
    ChrootRun run{"/c/x.tar", {"/src"}, {"apt-get", "build-dep", "-s", "."}, {}};
    Command c = chroot_exec_command(run, "/tmp/root");
    ASSERT_GE(c.argv.size(), 12u);
    EXPECT_EQ(c.argv[0], "unshare");
    EXPECT_THAT(std::vector<std::string>(c.argv.end() - 4, c.argv.end()), ElementsAre("apt-get", "build-dep", "-s", "."));
    EXPECT_NE(c.argv[10].find("mount --bind /src /tmp/root/src"), std::string::npos) << c.argv[10];
    EXPECT_NE(c.argv[10].find("exec chroot /tmp/root"), std::string::npos);
    EXPECT_TRUE(c.own_process_group);
    EXPECT_EQ(c.kill_after_interrupt, 5) << "PID 1 of the namespace ignores SIGINT";
    // An unprivileged user: the same command inside a user namespace that also extracts and removes.
    Command u = chroot_exec_unprivileged_command(run, "/tmp/s");
    ASSERT_GE(u.argv.size(), 14u);
    EXPECT_THAT(std::vector<std::string>(u.argv.begin(), u.argv.begin() + 4),
                ElementsAre("unshare", "--map-auto", "--map-root-user", "--mount"));
    EXPECT_THAT(std::vector<std::string>(u.argv.end() - 4, u.argv.end()), ElementsAre("apt-get", "build-dep", "-s", "."));
    EXPECT_EQ(u.kill_after_interrupt, 5);
    const std::string& script = u.argv[12];
    EXPECT_NE(script.find("r=/tmp/s/root; mkdir"), std::string::npos) << script;
    EXPECT_EQ(script.find("rm "), std::string::npos) << "never remove through the mounts: " << script;
    EXPECT_NE(script.find(" -x -f /c/x.tar -C \"$r\" --exclude='./dev/*'"), std::string::npos) << script;
    EXPECT_NE(script.find("mount --bind /src \"$r\"/src"), std::string::npos) << script;
    EXPECT_NE(script.find("exec chroot \"$r\" \"$@\""), std::string::npos) << script;
    EXPECT_THAT(chroot_cleanup_unprivileged_command("/tmp/s").argv,
                ElementsAre("unshare", "--map-auto", "--map-root-user", "--", ::testing::EndsWith("rm"), "-rf",
                            "--one-file-system", "/tmp/s/root"));
    Command x = extract_command("/c/x.tar", "/d", {"./var/lib/apt/lists/*_Packages*"});
    EXPECT_THAT(x.argv, ElementsAre(::testing::EndsWith("tar"), "-x", "-f", "/c/x.tar", "-C", "/d", "--wildcards",
                                    "./var/lib/apt/lists/*_Packages*"));
    EXPECT_EQ(extract_apt_lists_command("/c/x.tar", "/d").argv, x.argv);
    EXPECT_EQ(chroot_apt_lists("/d"), std::filesystem::path("/d/var/lib/apt/lists"));
}

// What is foreign follows the machine's arch (Os::native_arch), not amd64.
TEST(Chroot, ForeignIsRelativeToTheMachine) {
    Env env;
    TempDir cache;
    test::RecordingRunner runner;
    ChrootSpec s;
    s.suite = "bookworm";
    s.arch = "amd64";
    s.native_arch = "arm64";
    auto r = create_chroot(runner, s, cache.path, "", false, nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "--arch amd64 is foreign on this arm64 machine");
    s.native_arch = "amd64";
    s.arch = "";
    EXPECT_EQ(default_name(s), "bookworm-amd64") << "no --arch: the machine's";
    s.native_arch = "riscv64";
    EXPECT_EQ(default_name(s), "bookworm-riscv64");
}

// deps (its lists) and verify (its index) extract a chroot's apt lists the
// same way, and a tarball without them fails the same way: tar's words, the
// --refresh hint, exit 3 (it was exit 2 with no output from verify).
TEST(Chroot, AptListsExtractionIsOneForDepsAndVerify) {
    test::RecordingRunner runner;
    runner.respond = [](const Command&) {
        return ProcessOutput{2, "tar: ./var/lib/apt/lists/*_Packages*: Not found in archive\n"};
    };
    ChrootInfo chroot;
    chroot.name = "bookworm-amd64+arm64";
    chroot.arches = {"amd64", "arm64"};
    chroot.tarball = "/cache/bookworm-amd64+arm64.tar";
    auto lists = chroot_lists(runner, chroot, "");
    auto index = chroot_index_files(runner, chroot, "arm64");
    ASSERT_FALSE(lists.ok());
    ASSERT_FALSE(index.ok());
    ASSERT_EQ(runner.commands.size(), 2u);
    for (const auto& c : runner.commands) {
        const fs::path scratch = c.argv.at(5);  // tar -x -f TARBALL -C DIR
        EXPECT_EQ(c.argv, extract_apt_lists_command(chroot.tarball, scratch).argv);
        EXPECT_FALSE(fs::exists(scratch)) << "the scratch dir outlived the failure";
    }
    for (const Error& e : {lists.error(), index.error()}) {
        EXPECT_EQ(e.code, Exit::failure);
        EXPECT_THAT(e.message, HasSubstr("Not found in archive"));
        EXPECT_THAT(e.hint, HasSubstr("chroot create --refresh"));
        EXPECT_EQ(e.file, chroot.tarball.string());
    }
}

TEST(Chroot, DryRunPreviewIsWhatCreateWouldRun) {
    Env env;
    ChrootSpec s = cross_spec();
    s.name = default_name(s);
    const auto debian = preview_create(s, "/c", "");
    EXPECT_FALSE(debian.keyring_problem);
    const std::string mmdebstrap = mmdebstrap_command(s, chroot_paths("/c", s.name).partial, {}).to_shell();
    EXPECT_EQ(debian.text, mmdebstrap + "\n# then rename to /c/" + s.name + ".tar\n");
    EXPECT_THAT(debian.text, Not(HasSubstr(".sources")));  // a Debian suite has no sources file

    ChrootSpec focal;
    focal.suite = "focal";
    focal.native_arch = "amd64";
    focal.name = "focal-amd64";
    focal.keyring = "/no/such/keyring.gpg";
    const auto ubuntu = preview_create(focal, "/c", "Signed-By: @KEYRING@\n");
    ASSERT_TRUE(ubuntu.keyring_problem);
    EXPECT_THAT(ubuntu.keyring_problem->message, HasSubstr("/no/such/keyring.gpg"));
    EXPECT_EQ(ubuntu.text.rfind("# /c/focal-amd64.sources\nSigned-By: /no/such/keyring.gpg\n\n", 0), 0u) << ubuntu.text;
    EXPECT_THAT(ubuntu.text, HasSubstr(" /c/focal-amd64.sources\n# then rename to /c/focal-amd64.tar\n"));
}

// The binfmt entry to enable is qemu's name for the CPU, from the arch table.
TEST(Chroot, BinfmtHintNamesQemusEntryForTheArch) {
    EXPECT_THAT(binfmt_hint("arm64"), HasSubstr("update-binfmts --enable qemu-aarch64 (check with: arch-test arm64)"));
    EXPECT_THAT(binfmt_hint("ppc64el"), HasSubstr("--enable qemu-ppc64le "));
    EXPECT_THAT(binfmt_hint("powerpc"), HasSubstr("--enable qemu-ppc "));
    EXPECT_THAT(binfmt_hint("sparc64"), HasSubstr("--enable qemu-sparc64 "));  // unknown: the name as given
}
