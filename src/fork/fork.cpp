// The pure half of fork: names, defaults, the message, the plan.
#include "fork/fork.hpp"
#include "base/text.hpp"

#include "fork/git_fetch.hpp"

namespace kf::sys {
namespace {

const std::string kFirstLinePrefix = "Forked from ";
const std::string kOf = " of ";

std::string trim(std::string s) {
    size_t b = s.find_first_not_of(" \t");
    size_t e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<std::string> nonempty(std::optional<std::string> s) {
    if (s && s->empty()) return std::nullopt;
    return s;
}

}  // namespace

std::string fork_message(const std::string& url, const std::string& tag) {
    const std::string quoted_url = shell_quote(url);
    const std::string tag_ref = "+refs/tags/" + tag + ":refs/tags/" + tag;
    return kFirstLinePrefix + tag + kOf + url + "\n"
           "\n"
           "This commit holds the tree of " + tag + " without its history, so that\n"
           "the branch can be pushed anywhere. To see the vendor history below it:\n"
           "\n"
           "    kflavour graft\n"
           "\n"
           "or, with git alone:\n"
           "\n"
           "    git fetch " + quoted_url + " " + shell_quote(tag_ref) + "\n"
           "    git replace <this commit> " + shell_quote(tag + "^{commit}") + "\n"
           "\n"
           "`kflavour graft --undo` (or `git replace -d <this commit>`) hides it again.\n";
}

std::optional<ForkOrigin> parse_fork_message(const std::string& message) {
    std::string first = message.substr(0, message.find('\n'));
    if (first.rfind(kFirstLinePrefix, 0) != 0) return std::nullopt;
    first.erase(0, kFirstLinePrefix.size());
    // A tag name has no spaces, so the first " of " ends it.
    size_t of = first.find(kOf);
    if (of == 0 || of == std::string::npos) return std::nullopt;
    ForkOrigin origin{first.substr(0, of), trim(first.substr(of + kOf.size()))};
    if (origin.url.empty()) return std::nullopt;
    return origin;
}

std::optional<std::string> default_fork_dir(const std::string& url) {
    std::string path = url;
    while (!path.empty() && path.back() == '/') path.pop_back();
    if (path.size() >= 5 && path.compare(path.size() - 5, 5, "/.git") == 0) path.resize(path.size() - 5);
    size_t cut = path.find_last_of("/:");
    std::string name = cut == std::string::npos ? path : path.substr(cut + 1);
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0) name.resize(name.size() - 4);
    if (name.empty() || name == "." || name == "..") return std::nullopt;
    return name;
}

Result<Identity> parse_identity(const std::string& text) {
    size_t open = text.rfind('<');
    size_t close = text.rfind('>');
    Identity who;
    if (open != std::string::npos && close == text.size() - 1 && close > open + 1) {
        who.name = trim(text.substr(0, open));
        who.email = text.substr(open + 1, close - open - 1);
    }
    if (who.name.empty() || who.email.empty() || who.email.find_first_of("<> ") != std::string::npos)
        return bad_input("--author must look like 'Name <email>', not " + quote_input(text));
    return who;
}

Result<Signatures> choose_signatures(const std::optional<Identity>& author_flag, const Lookup& env,
                                     const Lookup& config) {
    auto pick = [&](const std::string& env_var, const std::string& key) {
        auto value = nonempty(env(env_var));
        return value ? value : nonempty(config(key));
    };
    Signatures s;
    if (author_flag) {
        s.author = *author_flag;
    } else {
        auto name = pick("GIT_AUTHOR_NAME", "user.name");
        auto email = pick("GIT_AUTHOR_EMAIL", "user.email");
        if (!name || !email) {
            Error e = bad_input("no author for the fork commit: git's user.name and user.email are not set");
            e.hint = "git config --global user.name 'Your Name'; git config --global user.email you@example.com"
                     " (or pass --author 'Name <email>')";
            return e;
        }
        s.author = {*name, *email};
    }
    auto name = pick("GIT_COMMITTER_NAME", "user.name");
    auto email = pick("GIT_COMMITTER_EMAIL", "user.email");
    s.committer = {name.value_or(s.author.name), email.value_or(s.author.email)};
    return s;
}

Result<ForkPlan> plan_fork(const ForkRequest& request) {
    if (request.url.empty()) return bad_input("fork needs the URL of the vendor repository");
    KF_TRY_STATUS(check_fetch_url(request.url));
    ForkPlan plan;
    plan.url = url_for_fetch(request.url, request.base);
    plan.tag = request.tag;
    if (plan.tag.empty() || !is_valid_reference_name("refs/tags/" + plan.tag))
        return bad_input("--tag needs a valid tag name, not " + quote_input(plan.tag));
    plan.branch = request.branch.empty() ? plan.tag + "-kflavour" : request.branch;
    if (!is_valid_reference_name("refs/heads/" + plan.branch))
        return bad_input(quote_input(plan.branch) + " is not a valid branch name");
    std::filesystem::path dir = request.dir;
    if (dir.empty()) {
        auto name = default_fork_dir(plan.url);
        if (!name) return bad_input("cannot name a directory after " + plan.url + "; give DIR");
        dir = *name;
    }
    plan.dir = (request.base / dir).lexically_normal();
    if (request.author) {
        KF_TRY(plan.author, parse_identity(*request.author));
    }
    plan.message = fork_message(plan.url, plan.tag);
    plan.fetch = tag_fetch_command(plan.dir, plan.url, plan.tag, Depth::shallow, request.quiet);
    plan.repack = repack_command(plan.dir);
    plan.prune = prune_command(plan.dir);
    return plan;
}

std::vector<std::string> describe(const ForkPlan& plan) {
    const std::string dir = plan.dir.string();
    std::vector<std::string> lines = {
        "create " + dir + " and a git repository in it (libgit2)",
        plan.fetch.to_shell(),
        "commit the tree of " + plan.tag + " with no parents (libgit2), message:",
    };
    size_t start = 0;
    while (start < plan.message.size()) {
        size_t end = plan.message.find('\n', start);
        std::string line = plan.message.substr(start, end - start);
        lines.push_back(line.empty() ? line : "    " + line);
        start = end + 1;
    }
    lines.push_back("create branch " + plan.branch + " at that commit and check it out (libgit2)");
    lines.push_back("set kflavour.upstream = " + plan.url + " and kflavour.tag = " + plan.tag +
                    " in " + dir + "/.git/config (libgit2)");
    lines.push_back("drop the shallow boundary: delete refs/tags/" + plan.tag + " and .git/shallow (libgit2)");
    lines.push_back(plan.repack.to_shell());
    lines.push_back(plan.prune.to_shell());
    return lines;
}

}  // namespace kf::sys
