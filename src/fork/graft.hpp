// `kflavour graft`: show the vendor history below a fork commit by fetching
// it in full and adding refs/replace/<fork commit> -> TAG's commit (what
// `git replace` does); `--undo` removes that ref again.
#pragma once

#include "base/error.hpp"
#include "fork/fork.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace kf::sys {

struct GraftRequest {
    std::filesystem::path repo = ".";  // -C
    std::optional<std::string> from;   // --from URL
    bool quiet = false;
};

struct GraftPlan {
    std::filesystem::path work_dir;
    std::string fork_commit;  // the root of HEAD
    std::string fork_tree;
    std::string url;
    std::string tag;
    std::string replace_ref;  // refs/replace/<fork_commit>
    Command fetch;
};

// Where the history lives: --from, else kflavour.upstream, else the fork
// commit's message; the tag from kflavour.tag, else the message.
Result<ForkOrigin> graft_origin(const std::optional<std::string>& from, const std::optional<std::string>& config_url,
                                const std::optional<std::string>& config_tag, const std::string& fork_message);

// Reads the repository at (or above) request.repo.
Result<GraftPlan> plan_graft(const GraftRequest& request);
std::vector<std::string> describe(const GraftPlan& plan);

struct GraftResult {
    std::string tag_commit;
    bool already_done = false;
};
Result<GraftResult> execute_graft(const GraftPlan& plan, ProcessRunner& runner, std::ostream* progress,
                                  const StageReporter& stage);

// refs/replace/<root of HEAD> of the repository at (or above) `repo`.
Result<std::string> fork_replace_ref(const std::filesystem::path& repo);
// Removes that ref; false when there was none.
Result<bool> undo_graft(const std::filesystem::path& repo);

}  // namespace kf::sys
