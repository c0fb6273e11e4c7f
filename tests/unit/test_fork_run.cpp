// execute_fork / graft on real libgit2 repositories in a temporary
// directory; the git fetch is a RecordingRunner that writes what a shallow
// fetch would (a tag, its commit, .git/shallow), so no process runs.
#include "fork/fork.hpp"
#include "fork/graft.hpp"
#include "test_doubles.hpp"

#include <git2.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kf::sys {
namespace {
namespace fs = std::filesystem;

std::string hex(const git_oid& oid) {
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return buf;
}

// In the repository at `dir`: README + debian/rules, committed as "vendor
// tip" (whose parent we pretend is beyond the shallow boundary), tagged.
struct FakeShallowFetch {
    explicit FakeShallowFetch(std::string t) : tag(std::move(t)) {}
    std::string tag;
    std::string readme = "vendor tree\n";
    std::string commit;  // set when it ran
    std::string tree;

    ProcessOutput operator()(const Command& cmd) {
        git_repository* repo = nullptr;
        EXPECT_EQ(git_repository_open(&repo, cmd.cwd.c_str()), 0);
        git_oid readme, rules, debian, root, commit_id;
        git_blob_create_from_buffer(&readme, repo, this->readme.data(), this->readme.size());
        git_blob_create_from_buffer(&rules, repo, "#!/usr/bin/make -f\n", 19);
        git_treebuilder* builder = nullptr;
        git_treebuilder_new(&builder, repo, nullptr);
        git_treebuilder_insert(nullptr, builder, "rules", &rules, GIT_FILEMODE_BLOB);
        git_treebuilder_write(&debian, builder);
        git_treebuilder_clear(builder);
        git_treebuilder_insert(nullptr, builder, "README", &readme, GIT_FILEMODE_BLOB);
        git_treebuilder_insert(nullptr, builder, "debian", &debian, GIT_FILEMODE_TREE);
        git_treebuilder_write(&root, builder);
        git_treebuilder_free(builder);
        git_tree* tree_obj = nullptr;
        git_tree_lookup(&tree_obj, repo, &root);
        git_signature* vendor = nullptr;
        git_signature_new(&vendor, "Vendor", "vendor@example.com", 1600000000, 0);
        git_commit_create(&commit_id, repo, nullptr, vendor, vendor, nullptr, "vendor tip\n", tree_obj, 0, nullptr);
        git_reference* ref = nullptr;
        git_reference_create(&ref, repo, ("refs/tags/" + tag).c_str(), &commit_id, 0, nullptr);
        std::ofstream(fs::path(git_repository_path(repo)) / "shallow") << hex(commit_id) << "\n";
        git_reference_free(ref);
        git_signature_free(vendor);
        git_tree_free(tree_obj);
        git_repository_free(repo);
        commit = hex(commit_id);
        tree = hex(root);
        return {0, "Receiving objects: 100% (5/5), done.\n"};
    }
};

class ForkRun : public ::testing::Test {
protected:
    void SetUp() override {
        git_libgit2_init();
        std::string pattern = (fs::temp_directory_path() / "kf-fork-test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        root_ = pattern;
        runner_.respond = [this](const Command& cmd) {
            if (cmd.argv.at(1) == "fetch") return fetch_(cmd);
            return ProcessOutput{};  // repack, prune: nothing to do in a test
        };
    }
    void TearDown() override {
        fs::remove_all(root_);
        git_libgit2_shutdown();
    }

    ForkPlan plan(const std::string& tag = "v2") {
        ForkRequest r;
        r.url = "file:///srv/vendor.git";
        r.tag = tag;
        r.base = root_;
        r.dir = "fork";
        r.author = "Ada <ada@example.org>";
        auto p = plan_fork(r);
        EXPECT_TRUE(p.ok());
        return *p;
    }

    Result<ForkResult> run(const ForkPlan& p) {
        return execute_fork(p, runner_, os_, &progress_, [this](std::string_view s) { stages_.emplace_back(s); });
    }

    fs::path root_;
    FakeShallowFetch fetch_{"v2"};
    test::RecordingRunner runner_;
    test::FakeOs os_;
    std::ostringstream progress_;
    std::vector<std::string> stages_;
};

TEST_F(ForkRun, OneParentlessCommitOfTheTagsTreeOnACheckedOutBranch) {
    ForkPlan p = plan();
    auto result = run(p);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->tree, fetch_.tree);
    EXPECT_NE(result->commit, fetch_.commit);

    auto repo = GitRepo::open_exactly(p.dir);
    ASSERT_TRUE(repo);
    EXPECT_EQ(repo->commit_of("HEAD").value(), result->commit);
    EXPECT_EQ(repo->commit_of("refs/heads/v2-kflavour").value(), result->commit);
    EXPECT_EQ(repo->root_of(result->commit).value(), result->commit);  // no parents
    EXPECT_EQ(repo->tree_of_commit(result->commit).value(), fetch_.tree);
    EXPECT_EQ(repo->message_of_commit(result->commit).value(), p.message);
    EXPECT_EQ(repo->config("kflavour.upstream"), "file:///srv/vendor.git");
    EXPECT_EQ(repo->config("kflavour.tag"), "v2");

    std::ifstream readme(p.dir / "README");
    std::string line;
    std::getline(readme, line);
    EXPECT_EQ(line, "vendor tree");
    EXPECT_TRUE(fs::exists(p.dir / "debian" / "rules"));
}

TEST_F(ForkRun, DropsTheShallowBoundary) {
    ForkPlan p = plan();
    ASSERT_TRUE(run(p).ok());
    auto repo = GitRepo::open_exactly(p.dir);
    EXPECT_EQ(repo->reference_target("refs/tags/v2"), std::nullopt);
    EXPECT_FALSE(fs::exists(p.dir / ".git" / "shallow"));
    ASSERT_EQ(runner_.commands.size(), 3u);
    EXPECT_EQ(runner_.commands[0].argv, p.fetch.argv);
    EXPECT_EQ(runner_.commands[1].argv, p.repack.argv);
    EXPECT_EQ(runner_.commands[2].argv, p.prune.argv);
    EXPECT_EQ(progress_.str(), "Receiving objects: 100% (5/5), done.\n");
    EXPECT_EQ(stages_.size(), 3u);
}

TEST_F(ForkRun, ForkingTheSameTagAgainDoesNothing) {
    ForkPlan p = plan();
    auto first = run(p);
    ASSERT_TRUE(first.ok());
    runner_.commands.clear();
    auto again = run(p);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->already_done);
    EXPECT_EQ(again->commit, first->commit);
    EXPECT_TRUE(runner_.commands.empty());
}

TEST_F(ForkRun, AnotherForkInDirIsBadInput) {
    ASSERT_TRUE(run(plan()).ok());
    auto other = run(plan("v3"));
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, Exit::bad_input);
    EXPECT_NE(other.error().message.find("already a different git repository (a fork of v2"), std::string::npos);
}

TEST_F(ForkRun, NonEmptyDirIsBadInputAndUntouched) {
    ForkPlan p = plan();
    fs::create_directories(p.dir);
    std::ofstream(p.dir / "notes.txt") << "mine\n";
    auto result = run(p);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Exit::bad_input);
    EXPECT_EQ(result.error().message, p.dir.string() + " exists and is not empty");
    EXPECT_TRUE(runner_.commands.empty());
    EXPECT_TRUE(fs::exists(p.dir / "notes.txt"));
    EXPECT_FALSE(fs::exists(p.dir / ".git"));
}

TEST_F(ForkRun, AFailedFetchLeavesNothingBehind) {
    runner_.respond = [](const Command&) { return ProcessOutput{128, "fatal: couldn't find remote ref refs/tags/v2\n"}; };
    ForkPlan p = plan();
    auto result = run(p);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Exit::bad_input);
    EXPECT_FALSE(fs::exists(p.dir));

    fs::create_directories(p.dir);  // an empty DIR stays, emptied again
    ASSERT_FALSE(run(p).ok());
    EXPECT_TRUE(fs::exists(p.dir));
    EXPECT_TRUE(fs::is_empty(p.dir));
}

TEST_F(ForkRun, GraftPointsAReplaceRefAtTheTagCommitAndUndoRemovesIt) {
    ForkPlan p = plan();
    auto fork = run(p);
    ASSERT_TRUE(fork.ok());
    GraftRequest request;
    request.repo = p.dir;
    auto graft = plan_graft(request);
    ASSERT_TRUE(graft.ok()) << graft.error().message;
    EXPECT_EQ(graft->fork_commit, fork->commit);
    EXPECT_EQ(graft->url, p.url);
    EXPECT_EQ(graft->tag, "v2");
    EXPECT_EQ(graft->replace_ref, "refs/replace/" + fork->commit);

    fetch_.tag = "v2";  // the full fetch brings the same tag back
    auto grafted = execute_graft(*graft, runner_, nullptr, [](std::string_view) {});
    ASSERT_TRUE(grafted.ok()) << grafted.error().message;
    EXPECT_EQ(grafted->tag_commit, fetch_.commit);
    auto repo = GitRepo::open_exactly(p.dir);
    EXPECT_EQ(repo->reference_target(graft->replace_ref), fetch_.commit);
    EXPECT_EQ(runner_.commands.back().argv, graft->fetch.argv);

    EXPECT_EQ(undo_graft(p.dir).value(), true);
    EXPECT_EQ(repo->reference_target(graft->replace_ref), std::nullopt);
    EXPECT_EQ(undo_graft(p.dir).value(), false);
}

TEST_F(ForkRun, GraftRefusesATagThatHasMoved) {
    ForkPlan p = plan();
    ASSERT_TRUE(run(p).ok());
    fetch_.readme = "retagged\n";  // upstream moved v2 to another tree
    GraftRequest request;
    request.repo = p.dir;
    auto graft = plan_graft(request);
    ASSERT_TRUE(graft.ok());
    auto grafted = execute_graft(*graft, runner_, nullptr, [](std::string_view) {});
    ASSERT_FALSE(grafted.ok());
    EXPECT_EQ(grafted.error().code, Exit::bad_input);
    EXPECT_NE(grafted.error().message.find("is not the fork commit's tree"), std::string::npos);
    EXPECT_EQ(GitRepo::open_exactly(p.dir)->reference_target(graft->replace_ref), std::nullopt);
}

}  // namespace
}  // namespace kf::sys
