// cli through the OS seam: the whole program (cli::run) and the inputs cli
// gathers from the environment, the clock and the machine's arch, each
// steered by a FakeOs instead of setenv.
#include "cli/app.hpp"
#include "base/data_dirs.hpp"
#include "new/new_inputs.hpp"

#include "test_doubles.hpp"
#include "temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace kf::cli {
namespace {
namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct Ran {
    int code;
    std::string out, err;
};

Ran run_with(const sys::Os& os, std::vector<std::string> args) {
    args.insert(args.begin(), "kflavour");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::ostringstream out, err;
    const int code = run(int(args.size()), argv.data(), out, err, os);
    return {code, out.str(), err.str()};
}

using test::TempDir;

TEST(CliOs, CacheDirsFollowTheEnvironment) {
    test::FakeOs os;
    os.environment = {{"HOME", "/home/ada"}};
    EXPECT_EQ(sys::kflavour_cache_dir(os), "/home/ada/.cache/kflavour");
    EXPECT_EQ(sys::chroot_cache_dir(os), "/home/ada/.cache/kflavour/chroots");
    EXPECT_EQ(sys::build_ccache_dir(os), "/home/ada/.cache/kflavour/ccache");
    os.environment["XDG_CACHE_HOME"] = "/var/cache/ada";
    EXPECT_EQ(sys::chroot_cache_dir(os), "/var/cache/ada/kflavour/chroots");
    os.environment["KFLAVOUR_CHROOT_DIR"] = "/srv/chroots";
    os.environment["KFLAVOUR_CCACHE_DIR"] = "";  // set but empty: the default
    EXPECT_EQ(sys::chroot_cache_dir(os), "/srv/chroots");
    EXPECT_EQ(sys::build_ccache_dir(os), "/var/cache/ada/kflavour/ccache");
    os.environment.clear();
    EXPECT_EQ(sys::kflavour_cache_dir(os), "/root/.cache/kflavour") << "no HOME";
}

TEST(CliOs, SourceDateEpoch) {
    test::FakeOs os;
    EXPECT_FALSE(sys::source_date_epoch(os).value().has_value());
    os.environment["SOURCE_DATE_EPOCH"] = "1700000000";
    EXPECT_EQ(sys::source_date_epoch(os).value(), 1700000000);
    os.environment["SOURCE_DATE_EPOCH"] = "yesterday";
    auto bad = sys::source_date_epoch(os);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, Exit::bad_input);
    EXPECT_THAT(bad.error().message, HasSubstr("'yesterday'"));
}

TEST(CliOs, ChangelogDateIsTheClockInLocalTimeOrTheEpochInUtc) {
    test::FakeOs os;
    os.clock = 1700000000;  // 2023-11-14 22:13:20 UTC
    os.utc_offset = 60;
    EXPECT_EQ(sys::changelog_date(os).value(), "Tue, 14 Nov 2023 23:13:20 +0100");
    os.environment["SOURCE_DATE_EPOCH"] = "0";
    EXPECT_EQ(sys::changelog_date(os).value(), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(CliOs, MaintainerFromDebfullnameAndDebemail) {
    test::FakeOs os;
    os.environment = {{"DEBFULLNAME", "Ada Lovelace"}, {"DEBEMAIL", "ada@example.org"}};
    TempDir tree;  // no git: the environment must be enough
    auto m = sys::find_maintainer(os, tree.path);
    ASSERT_TRUE(m.ok()) << m.error().describe();
    EXPECT_EQ(m->name, "Ada Lovelace");
    EXPECT_EQ(m->email, "ada@example.org");
}

TEST(CliOs, SearchDirsPutTheEnvironmentsFirst) {
    test::FakeOs os;
    os.environment = {{"KFLAVOUR_FLAVOURS_DIR", "/srv/flavours"}, {"KFLAVOUR_DATA_DIR", "/srv/data"}};
    auto flavours = sys::flavour_search_dirs(os);
    ASSERT_GE(flavours.size(), 2u);
    EXPECT_EQ(flavours[0], "/srv/flavours");
    EXPECT_EQ(flavours[1], "/srv/data/flavours");
    EXPECT_EQ(sys::data_search_dirs(os).at(0), "/srv/data");
}

TEST(CliRun, VersionAndUnknownCommand) {
    test::FakeOs os;
    auto v = run_with(os, {"--version"});
    EXPECT_EQ(v.code, 0);
    EXPECT_THAT(v.out, ::testing::StartsWith("kflavour "));
    auto bad = run_with(os, {"frobnicate"});
    EXPECT_EQ(bad.code, 2);
    EXPECT_THAT(bad.err, ::testing::StartsWith("kflavour: error: "));
}

// `chroot create` with no --arch is the machine's arch, and a foreign one
// needs --qemu: both judged by the Os's native arch.
TEST(CliRun, ChrootCreateDryRunUsesTheMachinesArch) {
    TempDir cache;
    test::FakeOs os;
    os.environment = {{"KFLAVOUR_CHROOT_DIR", cache.path.string()}};
    os.arch = "arm64";
    auto native = run_with(os, {"--dry-run", "chroot", "create", "bookworm"});
    ASSERT_EQ(native.code, 0) << native.err;
    EXPECT_THAT(native.out, HasSubstr("--architectures=arm64 "));
    EXPECT_THAT(native.out, HasSubstr((cache.path / "bookworm-arm64.tar").string()));

    auto foreign = run_with(os, {"chroot", "create", "bookworm", "--arch", "amd64"});
    EXPECT_EQ(foreign.code, 2);
    EXPECT_THAT(foreign.err, HasSubstr("kflavour: error: --arch amd64 is foreign on this arm64 machine"));
    EXPECT_TRUE(fs::is_empty(cache.path)) << "nothing created";
}

TEST(CliRun, ChrootListReadsTheCacheTheOsNames) {
    TempDir cache;
    test::FakeOs os;
    os.environment = {{"KFLAVOUR_CHROOT_DIR", (cache.path / "none-yet").string()}};
    auto listed = run_with(os, {"--json", "chroot", "list"});
    EXPECT_EQ(listed.code, 0) << listed.err;
    const auto j = nlohmann::json::parse(listed.out);
    EXPECT_EQ(j["cache"], (cache.path / "none-yet").string());
    EXPECT_EQ(j["chroots"], nlohmann::json::array());
}

}  // namespace
}  // namespace kf::cli
