#include "fork/git_fetch.hpp"
#include "base/text.hpp"

#include <optional>

namespace kf::sys {
namespace {

// git's messages are what we classify failures by: keep them untranslated,
// and never let a fetch stop to ask for a password.
Command git_command(const std::filesystem::path& repo, std::vector<std::string> args) {
    Command cmd;
    cmd.argv.push_back(tool_path("git"));
    cmd.argv.insert(cmd.argv.end(), args.begin(), args.end());
    cmd.env = {{"LC_ALL", "C"}, {"GIT_TERMINAL_PROMPT", "0"}};
    cmd.cwd = repo;
    cmd.own_process_group = true;  // Ctrl-C reaches git through InterruptGuard
    return cmd;
}

// A Ctrl-C (or SIGTERM) while git ran: exit 128 + the signal, like a shell.
std::optional<Error> interruption(const Command& cmd) {
    if (!InterruptGuard::interrupted()) return std::nullopt;
    int sig = InterruptGuard::signal_number();
    Error e = failure("interrupted (signal " + std::to_string(sig) + ") during git " + cmd.argv.at(1));
    e.code = Exit(128 + sig);
    return e;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_error_line(std::string_view line) { return starts_with(line, "fatal: ") || starts_with(line, "error: "); }

// The first "fatal:"/"error:" line of git's output, without the prefix:
// the cause; later ones are consequences ("Could not read from remote").
std::string first_error_line(const std::string& output) {
    size_t start = 0;
    while (start < output.size()) {
        size_t end = output.find_first_of("\r\n", start);
        if (end == std::string::npos) end = output.size();
        std::string_view line(output.data() + start, end - start);
        if (is_error_line(line)) return std::string(line.substr(line.find(' ') + 1));
        start = end + 1;
    }
    return {};
}

}  // namespace

Command tag_fetch_command(const std::filesystem::path& repo, const std::string& url, const std::string& tag,
                          Depth depth, bool quiet) {
    std::vector<std::string> args = {"fetch"};
    if (depth == Depth::shallow) args.push_back("--depth=1");
    // Only the one tag, and no FETCH_HEAD: it would be one more name for
    // the vendor commit that fork must leave unreferenced.
    args.insert(args.end(), {"--no-tags", "--no-write-fetch-head", quiet ? "--quiet" : "--progress", url,
                             "+refs/tags/" + tag + ":refs/tags/" + tag});
    return git_command(repo, args);
}

Status check_fetch_url(const std::string& url) {
    if (url.empty()) return bad_input("the URL of the vendor repository is empty");
    if (url[0] == '-') return bad_input(quote_input(url) + " is not a URL (it would be taken for an option of git)");
    return ok_status();
}

// git's own rule (connect.c, url_is_local_not_ssh): a local path has no
// ':' or a '/' before its first ':'.
std::string url_for_fetch(const std::string& url, const std::filesystem::path& base) {
    size_t colon = url.find(':');
    size_t slash = url.find('/');
    bool local = colon == std::string::npos || (slash != std::string::npos && slash < colon);
    if (!local || url.empty() || url[0] == '/') return url;
    return (std::filesystem::absolute(base) / url).lexically_normal().string();
}

Command repack_command(const std::filesystem::path& repo) { return git_command(repo, {"repack", "-a", "-d", "-q"}); }

Command prune_command(const std::filesystem::path& repo) { return git_command(repo, {"prune", "--expire=now"}); }

Error fetch_error(const std::string& url, const std::string& tag, const std::string& git_output) {
    if (git_output.find("couldn't find remote ref") != std::string::npos) {
        Error e = bad_input("tag " + quote_input(tag) + " not found at " + url);
        e.hint = "list the tags there with: git ls-remote --tags " + shell_quote(url);
        return e;
    }
    std::string why = first_error_line(git_output);
    Error e = failure("cannot fetch from " + url + (why.empty() ? "" : ": " + why));
    e.hint = "check the URL, and that you can reach it with: git ls-remote " + shell_quote(url);
    return e;
}

void ProgressFilter::operator()(std::string_view chunk) {
    for (char c : chunk) {
        pending_ += c;
        if (c != '\r' && c != '\n') continue;
        failed_ = failed_ || is_error_line(pending_);
        if (!failed_) out_ << pending_ << std::flush;
        pending_.clear();
    }
}

void ProgressFilter::flush() {
    failed_ = failed_ || is_error_line(pending_);
    if (!pending_.empty() && !failed_) out_ << pending_ << "\n" << std::flush;
    pending_.clear();
}

Status run_fetch(ProcessRunner& runner, const Command& fetch, const std::string& url, const std::string& tag,
                 std::ostream* progress) {
    std::optional<ProgressFilter> filter;
    ProcessRunner::OutputSink sink;
    if (progress) {
        filter.emplace(*progress);
        sink = [&filter](std::string_view chunk) { (*filter)(chunk); };
    }
    KF_TRY(ProcessOutput result, runner.run_streaming(fetch, sink));
    if (filter) filter->flush();
    if (auto e = interruption(fetch)) return *e;
    if (result.exit_code != 0) return fetch_error(url, tag, result.output);
    return ok_status();
}

Status run_git(ProcessRunner& runner, const Command& cmd) {
    auto status = run_checked(runner, cmd, [](const Command& c, const ProcessOutput& out) {
        std::string why = first_error_line(out.output);
        return "`" + c.to_shell() + "` failed (exit " + std::to_string(out.exit_code) + ")" + (why.empty() ? "" : ": " + why);
    });
    if (auto e = interruption(cmd)) return *e;
    return status;
}

}  // namespace kf::sys
