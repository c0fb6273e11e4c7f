// What kflavour runs the real `git` for: fetching a tag (libgit2 1.5 cannot
// fetch shallow) and dropping unreachable objects (libgit2 cannot prune,
// and its pack builder recompresses what git's repack copies). Commands are
// built as data here and run through a ProcessRunner.
#pragma once

#include "base/error.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>

namespace kf::sys {

enum class Depth { shallow, full };

// `git fetch` of refs/tags/TAG from URL into refs/tags/TAG of the
// repository at `repo`. Progress is forced on (git only draws it on a
// terminal otherwise) unless `quiet`.
Command tag_fetch_command(const std::filesystem::path& repo, const std::string& url, const std::string& tag,
                          Depth depth, bool quiet);

// A URL git must not take for an option ("--upload-pack=…").
Status check_fetch_url(const std::string& url);

// `url` as git should fetch it from DIR: git takes a relative local path
// ("../vendor") relative to where it runs, and fetches run inside DIR, so
// such a path is made absolute against `base`. URLs ("scheme://", and
// scp-like "host:path") are returned as they are.
std::string url_for_fetch(const std::string& url, const std::filesystem::path& base);

// `git repack -a -d` and `git prune --expire=now`: after them the object
// store holds only what references reach.
Command repack_command(const std::filesystem::path& repo);
Command prune_command(const std::filesystem::path& repo);

// Why a fetch failed, from git's output: a missing tag is bad input (2),
// anything else (unreachable URL, …) an operational failure (3).
Error fetch_error(const std::string& url, const std::string& tag, const std::string& git_output);

// Passes git's output through to `out` until its first "fatal:"/"error:"
// line: from there on git explains its failure, which kflavour reports
// itself as one `kflavour: error:` line.
class ProgressFilter {
public:
    explicit ProgressFilter(std::ostream& out) : out_(out) {}
    void operator()(std::string_view chunk);
    void flush();  // the last line, if it had no end

private:
    std::ostream& out_;
    std::string pending_;  // the unfinished line
    bool failed_ = false;
};

// Runs a fetch, with its output to `progress` (null: nowhere); a failure
// becomes fetch_error(), an interruption (under an InterruptGuard) exit
// 128 + the signal.
Status run_fetch(ProcessRunner& runner, const Command& fetch, const std::string& url, const std::string& tag,
                 std::ostream* progress);

// Runs a git command that must succeed (base's run_checked): its first
// "fatal:" or "error:" line goes into the error; a Ctrl-C names the command.
Status run_git(ProcessRunner& runner, const Command& cmd);

}  // namespace kf::sys
