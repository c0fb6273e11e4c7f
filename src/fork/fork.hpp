// `kflavour fork`: a pushable shallow fork of a vendor tree. The plan is
// pure data (names, argv, the commit message); execute_fork() applies it
// with libgit2 and the real git (only for the fetch and the prune).
#pragma once

#include "base/error.hpp"
#include "fork/git_repo.hpp"
#include "base/os.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace kf::sys {

struct ForkRequest {
    std::string url;
    std::string tag;
    std::string branch;                 // empty: "<TAG>-kflavour"
    std::filesystem::path dir;          // empty: the URL's last component, as git clone names it
    std::filesystem::path base = ".";   // -C: what a relative DIR is relative to
    std::optional<std::string> author;  // --author "Name <email>"
    bool quiet = false;
};

struct ForkPlan {
    std::string url;
    std::string tag;
    std::string branch;
    std::filesystem::path dir;
    std::optional<Identity> author;  // from --author; else git config at run time
    std::string message;
    Command fetch;
    Command repack;
    Command prune;
};

Result<ForkPlan> plan_fork(const ForkRequest& request);
// What the plan does, one step a line, for --dry-run.
std::vector<std::string> describe(const ForkPlan& plan);

// The fork commit's message, and back: its first line is "Forked from TAG of URL".
std::string fork_message(const std::string& url, const std::string& tag);
struct ForkOrigin {
    std::string tag;
    std::string url;
};
std::optional<ForkOrigin> parse_fork_message(const std::string& message);

// "linux" for …/linux.git, …/linux/, host:path/linux.git.
std::optional<std::string> default_fork_dir(const std::string& url);

// "Name <email>".
Result<Identity> parse_identity(const std::string& text);

// Author and committer as git picks them: --author, else $GIT_AUTHOR_NAME /
// $GIT_AUTHOR_EMAIL, else user.name / user.email; the committer from
// $GIT_COMMITTER_*, else the config, else the author.
struct Signatures {
    Identity author;
    Identity committer;
};
using Lookup = std::function<std::optional<std::string>(const std::string&)>;
Result<Signatures> choose_signatures(const std::optional<Identity>& author_flag, const Lookup& env,
                                     const Lookup& config);

// What is at DIR now. A fork of the same TAG of the same URL is done already.
enum class ForkTarget { missing, empty_dir, same_fork };
Result<ForkTarget> inspect_fork_target(const ForkPlan& plan);

struct ForkResult {
    std::string commit;
    std::string tree;
    bool already_done = false;
};
using StageReporter = std::function<void(std::string_view stage)>;
// `progress`: where git's fetch progress goes (null: nowhere).
// `os`: the environment the GIT_AUTHOR_*/GIT_COMMITTER_* signatures come from.
Result<ForkResult> execute_fork(const ForkPlan& plan, ProcessRunner& runner, const Os& os, std::ostream* progress,
                                const StageReporter& stage);

}  // namespace kf::sys
