#include "fork/graft.hpp"

#include "fork/git_fetch.hpp"
#include "fork/git_repo.hpp"

namespace kf::sys {
namespace {

struct ForkCommit {
    GitRepo repo;
    std::string commit;
};

// The fork commit is the root of HEAD: the user may have committed on top.
// (libgit2 ignores refs/replace/, so this is the real root even when grafted.)
Result<ForkCommit> find_fork_commit(const std::filesystem::path& dir) {
    KF_TRY(GitRepo repo, GitRepo::discover(dir));
    KF_TRY(std::string head, repo.commit_of("HEAD"));
    KF_TRY(std::string root, repo.root_of(head));
    return ForkCommit{std::move(repo), root};
}

}  // namespace

Result<ForkOrigin> graft_origin(const std::optional<std::string>& from, const std::optional<std::string>& config_url,
                                const std::optional<std::string>& config_tag, const std::string& fork_message) {
    auto from_message = parse_fork_message(fork_message);
    ForkOrigin origin;
    if (from) origin.url = *from;
    else if (config_url) origin.url = *config_url;
    else if (from_message) origin.url = from_message->url;
    if (config_tag) origin.tag = *config_tag;
    else if (from_message) origin.tag = from_message->tag;
    if (origin.tag.empty() || origin.url.empty()) {
        Error e = bad_input("HEAD does not come from `kflavour fork`: its root commit names no tag and URL, "
                            "and kflavour.upstream / kflavour.tag are not set");
        e.hint = "git config kflavour.tag TAG; then kflavour graft --from URL";
        return e;
    }
    return origin;
}

Result<GraftPlan> plan_graft(const GraftRequest& request) {
    KF_TRY(ForkCommit fork, find_fork_commit(request.repo));
    KF_TRY(std::string message, fork.repo.message_of_commit(fork.commit));
    std::optional<std::string> from;
    if (request.from) {
        KF_TRY_STATUS(check_fetch_url(*request.from));
        from = url_for_fetch(*request.from, request.repo);
    }
    KF_TRY(ForkOrigin origin, graft_origin(from, fork.repo.config("kflavour.upstream"),
                                           fork.repo.config("kflavour.tag"), message));
    GraftPlan plan;
    plan.work_dir = fork.repo.work_dir().empty() ? fork.repo.git_dir() : fork.repo.work_dir();
    plan.fork_commit = fork.commit;
    KF_TRY(plan.fork_tree, fork.repo.tree_of_commit(fork.commit));
    plan.url = origin.url;
    plan.tag = origin.tag;
    plan.replace_ref = "refs/replace/" + fork.commit;
    plan.fetch = tag_fetch_command(plan.work_dir, plan.url, plan.tag, Depth::full, request.quiet);
    return plan;
}

std::vector<std::string> describe(const GraftPlan& plan) {
    return {
        plan.fetch.to_shell(),
        "check that " + plan.tag + " still has the fork commit's tree " + plan.fork_tree,
        "point " + plan.replace_ref + " at the commit of " + plan.tag + " (libgit2)",
    };
}

Result<GraftResult> execute_graft(const GraftPlan& plan, ProcessRunner& runner, std::ostream* progress,
                                  const StageReporter& stage) {
    KF_TRY(GitRepo repo, GitRepo::discover(plan.work_dir));
    const std::string tag_ref = "refs/tags/" + plan.tag;
    if (auto grafted_to = repo.reference_target(plan.replace_ref)) {
        auto tag_commit = repo.commit_of(tag_ref);
        if (tag_commit.ok() && *tag_commit == *grafted_to) return GraftResult{*grafted_to, /*already_done=*/true};
    }

    InterruptGuard guard;  // Ctrl-C stops git, and we write no ref
    stage("fetching the history of " + plan.tag + " from " + plan.url);
    KF_TRY_STATUS(run_fetch(runner, plan.fetch, plan.url, plan.tag, progress));
    KF_TRY(std::string tag_commit, repo.commit_of(tag_ref));
    KF_TRY(std::string tag_tree, repo.tree_of_commit(tag_commit));
    // A moved tag would put some other tree's history below the fork.
    if (tag_tree != plan.fork_tree) {
        Error e = bad_input(plan.tag + " at " + plan.url + " is now commit " + tag_commit + ", whose tree " + tag_tree +
                            " is not the fork commit's tree " + plan.fork_tree);
        e.hint = "the tag has moved since the fork; graft the history by hand with git replace";
        return e;
    }
    stage("grafting " + plan.tag + " below " + plan.fork_commit.substr(0, 12));
    KF_TRY_STATUS(repo.set_reference(plan.replace_ref, tag_commit, "kflavour graft: " + plan.tag + " of " + plan.url));
    return GraftResult{tag_commit, /*already_done=*/false};
}

Result<std::string> fork_replace_ref(const std::filesystem::path& repo) {
    KF_TRY(ForkCommit fork, find_fork_commit(repo));
    return "refs/replace/" + fork.commit;
}

Result<bool> undo_graft(const std::filesystem::path& dir) {
    KF_TRY(ForkCommit fork, find_fork_commit(dir));
    const std::string ref = "refs/replace/" + fork.commit;
    if (!fork.repo.reference_target(ref)) return false;
    KF_TRY_STATUS(fork.repo.delete_reference(ref));
    return true;
}

}  // namespace kf::sys
