// EditSet::apply under injected failures: whichever OS call fails, every
// original file is left present with its old bytes.
#include "base/edit_set.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace kf {
namespace {
namespace fs = std::filesystem;

// The real calls, except that call number `fail_at` of kind `kind` fails
// with `err` (and, with fail_rollback, every rename after that one too).
class FailingFs : public FsCalls {
public:
    enum Kind { on_write, on_link, on_rename, on_none };
    FailingFs(Kind kind, int fail_at, int err = EIO) : kind_(kind), fail_at_(fail_at), err_(err) {}
    bool fail_rollback = false;
    int calls_of(Kind k) const { return counts_[k]; }

    int write_temp(const fs::path& target, const std::string& content, mode_t mode, fs::path* temp) override {
        if (hit(on_write)) return err_;
        return FsCalls::write_temp(target, content, mode, temp);
    }
    int link(const fs::path& from, const fs::path& to) override {
        if (hit(on_link)) return err_;
        return FsCalls::link(from, to);
    }
    int rename(const fs::path& from, const fs::path& to) override {
        if (hit(on_rename) || (fail_rollback && failed_)) return err_;
        return FsCalls::rename(from, to);
    }

private:
    bool hit(Kind k) {
        if (++counts_[k] == fail_at_ && k == kind_) {
            failed_ = true;
            return true;
        }
        return false;
    }
    Kind kind_;
    int fail_at_;
    int err_;
    bool failed_ = false;
    int counts_[4] = {0, 0, 0, 0};
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

// Every regular file under `dir` with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) files[e.path().lexically_relative(dir).string()] = slurp(e.path());
    return files;
}

class EditSetFailures : public ::testing::Test {
protected:
    void SetUp() override {
        char templ[] = "/tmp/kf-editset-XXXXXX";
        ASSERT_NE(::mkdtemp(templ), nullptr);
        dir_ = templ;
        spit(dir_ / "a", "old a\n");
        spit(dir_ / "b", "old b\n");
        spit(dir_ / "c", "old c\n");
        before_ = snapshot(dir_);
        edits_.put(dir_ / "a", "old a\n", "new a\n");
        edits_.put(dir_ / "new", std::nullopt, "created\n");
        edits_.put(dir_ / "b", "old b\n", "new b\n");
        edits_.put(dir_ / "c", "old c\n", "new c\n");
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path dir_;
    std::map<std::string, std::string> before_;
    EditSet edits_;
};

TEST_F(EditSetFailures, NoFailureWritesEveryFileAndLeavesNoTemporary) {
    ASSERT_TRUE(edits_.apply().ok());
    std::map<std::string, std::string> want = {
        {"a", "new a\n"}, {"b", "new b\n"}, {"c", "new c\n"}, {"new", "created\n"}};
    EXPECT_EQ(snapshot(dir_), want);
}

// A failing rename at each step: the originals come back, the created file goes.
TEST_F(EditSetFailures, EveryFailingRenameRestoresEveryOriginal) {
    for (int n = 1; n <= 4; ++n) {
        FailingFs calls(FailingFs::on_rename, n);
        auto st = edits_.apply(calls);
        ASSERT_FALSE(st.ok()) << "rename " << n;
        EXPECT_NE(st.error().message.find("cannot replace"), std::string::npos);
        EXPECT_EQ(snapshot(dir_), before_) << "rename " << n;
    }
}

// The bug of issue 18: a failing link() (no hard links on this file system,
// or the backup name taken) used to leave no backup, and the rollback then
// unlinked the user's file. Now a copy is the backup.
TEST_F(EditSetFailures, FailingLinkThenFailingRenameKeepsOriginals) {
    for (int link_n = 1; link_n <= 3; ++link_n) {
        for (int rename_n = 1; rename_n <= 4; ++rename_n) {
            struct LinkAndRename : FailingFs {
                int link_n, rename_n, links = 0, renames = 0;
                LinkAndRename(int l, int r) : FailingFs(on_none, 0), link_n(l), rename_n(r) {}
                int link(const fs::path& f, const fs::path& t) override {
                    return ++links == link_n ? EPERM : FsCalls::link(f, t);
                }
                int rename(const fs::path& f, const fs::path& t) override {
                    return ++renames == rename_n ? EIO : FsCalls::rename(f, t);
                }
            } calls(link_n, rename_n);
            ASSERT_FALSE(edits_.apply(calls).ok());
            EXPECT_EQ(snapshot(dir_), before_) << "link " << link_n << ", rename " << rename_n;
        }
    }
}

TEST_F(EditSetFailures, EveryLinkFailingStillWritesTheSet) {
    struct NoLinks : FsCalls {
        int link(const fs::path&, const fs::path&) override { return EXDEV; }
    } calls;
    ASSERT_TRUE(edits_.apply(calls).ok());
    EXPECT_EQ(snapshot(dir_).at("b"), "new b\n");
    EXPECT_EQ(snapshot(dir_).size(), 4u);  // no backup copy left behind
}

// Failing writes (temporary or backup copy) happen before any rename.
TEST_F(EditSetFailures, EveryFailingWriteLeavesTheTreeUnchanged) {
    for (int n = 1; n <= 4; ++n) {
        FailingFs calls(FailingFs::on_write, n, ENOSPC);
        auto st = edits_.apply(calls);
        ASSERT_FALSE(st.ok());
        EXPECT_NE(st.error().message.find("No space left"), std::string::npos) << st.error().message;
        EXPECT_EQ(snapshot(dir_), before_) << "write " << n;
    }
}

TEST_F(EditSetFailures, LinkAndCopyBothFailingLeavesTheTreeUnchanged) {
    struct NoBackup : FsCalls {
        int writes = 0;
        int link(const fs::path&, const fs::path&) override { return EPERM; }
        int write_temp(const fs::path& t, const std::string& c, mode_t m, fs::path* out) override {
            return ++writes == 2 ? ENOSPC : FsCalls::write_temp(t, c, m, out);  // a's backup copy
        }
    } calls;
    auto st = edits_.apply(calls);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("cannot back up the original"), std::string::npos);
    EXPECT_EQ(snapshot(dir_), before_);
}

// When even putting back fails, the original's only copy is kept and named.
TEST_F(EditSetFailures, FailingRollbackKeepsTheBackupAndNamesIt) {
    FailingFs calls(FailingFs::on_rename, 3);
    calls.fail_rollback = true;
    auto st = edits_.apply(calls);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("kept as:"), std::string::npos) << st.error().message;
    std::map<std::string, std::string> now = snapshot(dir_);
    int backups_of_a = 0;
    for (const auto& [name, bytes] : now)
        if (name.rfind(".a.kf-", 0) == 0 && bytes == "old a\n") ++backups_of_a;
    EXPECT_EQ(backups_of_a, 1);
}

TEST_F(EditSetFailures, ChangedFileIsRefusedBeforeAnyWrite) {
    spit(dir_ / "b", "edited meanwhile\n");
    before_ = snapshot(dir_);
    FailingFs calls(FailingFs::on_none, 0);
    ASSERT_FALSE(edits_.apply(calls).ok());
    EXPECT_EQ(calls.calls_of(FailingFs::on_write), 0);
    EXPECT_EQ(snapshot(dir_), before_);
}

TEST(StaleTemps, RemovesOnlyTemporariesOfDeadRuns) {
    char templ[] = "/tmp/kf-sweep-XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    fs::path dir = templ;
    pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);  // a PID that is surely gone now
    const std::string dead = std::to_string(child), alive = std::to_string(::getppid());
    spit(dir / (".annotations.kf-" + dead + "-AbC123"), "partial");
    spit(dir / (".annotations.kf-" + dead + "-AbC123.orig"), "old");
    spit(dir / (".annotations.kf-" + alive + "-XyZ789"), "in use");
    spit(dir / ".annotations.kf-x-AbC123", "not ours");
    spit(dir / "annotations", "real");
    EXPECT_EQ(sweep_stale_temps(dir), 2u);
    std::map<std::string, std::string> want = {{".annotations.kf-" + alive + "-XyZ789", "in use"},
                                               {".annotations.kf-x-AbC123", "not ours"},
                                               {"annotations", "real"}};
    EXPECT_EQ(snapshot(dir), want);
    fs::remove_all(dir);
}

TEST(ReadFile, RefusesWhatIsNotARegularFileOfBoundedSize) {
    auto dir = read_file("/tmp");
    ASSERT_FALSE(dir.ok());
    EXPECT_EQ(dir.error().code, Exit::bad_input);
    EXPECT_NE(dir.error().message.find("directory"), std::string::npos);
    auto zero = read_file("/dev/zero");
    ASSERT_FALSE(zero.ok());
    EXPECT_NE(zero.error().message.find("not a regular file"), std::string::npos);
    auto big = read_file("/proc/self/exe", 1024);
    ASSERT_FALSE(big.ok());
    EXPECT_NE(big.error().message.find("at most 1024 bytes"), std::string::npos) << big.error().message;
    auto missing = read_file("/nonexistent/x");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().file, "/nonexistent/x");
}

TEST(ReadMadeFile, ItsErrorsAreTheOperationsFailure) {
    auto missing = read_made_file("/nonexistent/x");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Exit::failure);
    EXPECT_EQ(missing.error().file, "/nonexistent/x");
    auto dir = read_made_file("/tmp");
    ASSERT_FALSE(dir.ok());
    EXPECT_EQ(dir.error().code, Exit::failure);
    auto self = read_made_file("/proc/self/status");
    ASSERT_TRUE(self.ok()) << self.error().message;
    EXPECT_NE(self->find("Name:"), std::string::npos);
}

}  // namespace
}  // namespace kf
