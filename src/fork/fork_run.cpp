// The side-effecting half of fork: look at DIR, then apply the plan.
#include "fork/fork.hpp"

#include "fork/git_fetch.hpp"

#include <cstdlib>
#include <system_error>

namespace kf::sys {
namespace fs = std::filesystem;
namespace {

// Takes back what a failed fork left: DIR itself if fork made it, else
// what fork put into it (it was empty), so that the user can simply retry.
class TargetCleanup {
public:
    TargetCleanup(fs::path dir, ForkTarget before) : dir_(std::move(dir)), before_(before) {}
    TargetCleanup(const TargetCleanup&) = delete;
    TargetCleanup& operator=(const TargetCleanup&) = delete;
    ~TargetCleanup() {
        if (!armed_) return;
        std::error_code ec;
        if (before_ == ForkTarget::missing) {
            fs::remove_all(dir_, ec);
            return;
        }
        for (const auto& entry : fs::directory_iterator(dir_, ec)) fs::remove_all(entry.path(), ec);
    }
    void keep() { armed_ = false; }

private:
    fs::path dir_;
    ForkTarget before_;
    bool armed_ = true;
};

Error already_a_repository(const ForkPlan& plan, const GitRepo& repo) {
    auto upstream = repo.config("kflavour.upstream");
    auto tag = repo.config("kflavour.tag");
    std::string what = upstream ? " (a fork of " + tag.value_or("?") + " of " + *upstream + ")" : "";
    Error e = bad_input(plan.dir.string() + " is already a different git repository" + what);
    e.hint = "give a new or empty DIR";
    return e;
}

Result<Signatures> signatures_for(const ForkPlan& plan, const GitRepo& repo, const Os& os) {
    return choose_signatures(plan.author, [&os](const std::string& name) { return os.env(name); },
                             [&repo](const std::string& key) { return repo.config(key); });
}

// After this the branch is the whole history: no shallow graft point, no
// name for the vendor commit, and (after repack and prune) no vendor
// commit or tag object in the store — only the trees and blobs the fork
// commit shares with it.
Status drop_shallow_boundary(const ForkPlan& plan, GitRepo& repo, ProcessRunner& runner) {
    KF_TRY_STATUS(repo.delete_reference("refs/tags/" + plan.tag));
    std::error_code ec;
    fs::remove(repo.git_dir() / "shallow", ec);
    if (ec) return failure("cannot remove " + (repo.git_dir() / "shallow").string() + ": " + ec.message());
    KF_TRY_STATUS(run_git(runner, plan.repack));
    return run_git(runner, plan.prune);
}

Result<ForkResult> existing_fork(const ForkPlan& plan) {
    auto repo = GitRepo::open_exactly(plan.dir);
    if (!repo) return failure("cannot open " + plan.dir.string());
    KF_TRY(std::string head, repo->commit_of("HEAD"));
    KF_TRY(std::string root, repo->root_of(head));
    KF_TRY(std::string tree, repo->tree_of_commit(root));
    return ForkResult{root, tree, /*already_done=*/true};
}

}  // namespace

Result<ForkTarget> inspect_fork_target(const ForkPlan& plan) {
    std::error_code ec;
    if (!fs::exists(plan.dir, ec)) return ForkTarget::missing;
    if (!fs::is_directory(plan.dir, ec)) return bad_input(plan.dir.string() + " exists and is not a directory");
    if (fs::is_empty(plan.dir, ec)) return ForkTarget::empty_dir;
    if (auto repo = GitRepo::open_exactly(plan.dir)) {
        if (repo->config("kflavour.upstream") == plan.url && repo->config("kflavour.tag") == plan.tag)
            return ForkTarget::same_fork;
        return already_a_repository(plan, *repo);
    }
    Error e = bad_input(plan.dir.string() + " exists and is not empty");
    e.hint = "give a new or empty DIR";
    return e;
}

Result<ForkResult> execute_fork(const ForkPlan& plan, ProcessRunner& runner, const Os& os, std::ostream* progress,
                                const StageReporter& stage) {
    KF_TRY(ForkTarget target, inspect_fork_target(plan));
    if (target == ForkTarget::same_fork) return existing_fork(plan);
    // Ctrl-C stops git, not us: the cleanup below still runs.
    InterruptGuard guard;

    std::error_code ec;
    fs::create_directories(plan.dir, ec);
    if (ec) return failure("cannot create " + plan.dir.string() + ": " + ec.message());
    TargetCleanup cleanup(plan.dir, target);
    KF_TRY(GitRepo repo, GitRepo::init(plan.dir));
    KF_TRY(Signatures who, signatures_for(plan, repo, os));  // before the long fetch

    stage("fetching " + plan.tag + " from " + plan.url + " (depth 1)");
    KF_TRY_STATUS(run_fetch(runner, plan.fetch, plan.url, plan.tag, progress));
    KF_TRY(std::string tag_commit, repo.commit_of("refs/tags/" + plan.tag));
    KF_TRY(std::string tree, repo.tree_of_commit(tag_commit));

    stage("committing the tree of " + plan.tag + " as the only commit of branch " + plan.branch);
    KF_TRY(std::string commit, repo.create_parentless_commit(tree, who.author, who.committer, plan.message));
    KF_TRY_STATUS(repo.create_branch_and_check_out(plan.branch, commit));
    KF_TRY_STATUS(repo.set_config("kflavour.upstream", plan.url));
    KF_TRY_STATUS(repo.set_config("kflavour.tag", plan.tag));

    stage("dropping the shallow boundary and the vendor commit");
    KF_TRY_STATUS(drop_shallow_boundary(plan, repo, runner));
    cleanup.keep();
    return ForkResult{commit, tree, /*already_done=*/false};
}

}  // namespace kf::sys
