// fork/graft as data: names, defaults, argv, messages, identities, errors.
#include "fork/fork.hpp"
#include "fork/git_fetch.hpp"
#include "fork/graft.hpp"
#include "test_doubles.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>

namespace kf::sys {
namespace {

using Strings = std::vector<std::string>;

ForkRequest request(std::string url = "https://git.example.org/ubuntu/focal.git", std::string tag = "Ubuntu-5.4.0-200.220") {
    ForkRequest r;
    r.url = std::move(url);
    r.tag = std::move(tag);
    return r;
}

Lookup table(std::map<std::string, std::string> values) {
    return [values](const std::string& key) -> std::optional<std::string> {
        auto it = values.find(key);
        return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

TEST(ForkPlan, DefaultsBranchAndDirLikeGitClone) {
    auto plan = plan_fork(request());
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_EQ(plan->branch, "Ubuntu-5.4.0-200.220-kflavour");
    EXPECT_EQ(plan->dir, "focal");
}

TEST(ForkPlan, DirIsRelativeToDashC) {
    auto r = request();
    r.base = "/srv/trees";
    r.dir = "mine";
    r.branch = "work";
    auto plan = plan_fork(r);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->dir, "/srv/trees/mine");
    EXPECT_EQ(plan->branch, "work");
    EXPECT_EQ(plan->fetch.cwd, "/srv/trees/mine");
}

TEST(ForkPlan, ShallowFetchOfOnlyTheTag) {
    ::unsetenv("KFLAVOUR_GIT");
    auto plan = plan_fork(request("file:///tmp/vendor", "v2"));
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->fetch.argv, (Strings{"git", "fetch", "--depth=1", "--no-tags", "--no-write-fetch-head",
                                         "--progress", "file:///tmp/vendor", "+refs/tags/v2:refs/tags/v2"}));
    EXPECT_EQ(plan->fetch.env.at("GIT_TERMINAL_PROMPT"), "0");
    EXPECT_EQ(plan->fetch.env.at("LC_ALL"), "C");
    EXPECT_EQ(plan->fetch.cwd, "vendor");
    EXPECT_TRUE(plan->fetch.own_process_group);  // so that Ctrl-C is forwarded, and cleanup runs
    EXPECT_EQ(plan->repack.argv, (Strings{"git", "repack", "-a", "-d", "-q"}));
    EXPECT_EQ(plan->prune.argv, (Strings{"git", "prune", "--expire=now"}));
}

TEST(ForkPlan, QuietFetchAndConfigurableGit) {
    ::setenv("KFLAVOUR_GIT", "/opt/git/bin/git", 1);
    auto r = request("file:///tmp/vendor", "v2");
    r.quiet = true;
    auto plan = plan_fork(r);
    ::unsetenv("KFLAVOUR_GIT");
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->fetch.argv, (Strings{"/opt/git/bin/git", "fetch", "--depth=1", "--no-tags",
                                         "--no-write-fetch-head", "--quiet", "file:///tmp/vendor",
                                         "+refs/tags/v2:refs/tags/v2"}));
    EXPECT_EQ(plan->repack.argv[0], "/opt/git/bin/git");
}

TEST(ForkPlan, RelativeLocalPathsBecomeAbsolute) {
    auto r = request("../vendors/focal", "v1");
    r.base = "/srv/trees";
    auto plan = plan_fork(r);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->url, "/srv/vendors/focal");  // the fetch runs inside DIR
    EXPECT_EQ(plan->dir, "/srv/trees/focal");
    EXPECT_NE(plan->message.find("Forked from v1 of /srv/vendors/focal\n"), std::string::npos);
}

TEST(UrlForFetch, OnlyRelativeLocalPathsChange) {
    EXPECT_EQ(url_for_fetch("vendor.git", "/w"), "/w/vendor.git");
    EXPECT_EQ(url_for_fetch("./a/b:c", "/w"), "/w/a/b:c");
    EXPECT_EQ(url_for_fetch("/abs/vendor", "/w"), "/abs/vendor");
    EXPECT_EQ(url_for_fetch("file:///abs/vendor", "/w"), "file:///abs/vendor");
    EXPECT_EQ(url_for_fetch("https://h/x.git", "/w"), "https://h/x.git");
    EXPECT_EQ(url_for_fetch("git@host:kernel/x.git", "/w"), "git@host:kernel/x.git");
}

TEST(ForkPlan, RejectsBadNames) {
    EXPECT_EQ(plan_fork(request("u", "")).error().code, Exit::bad_input);
    EXPECT_EQ(plan_fork(request("u", "bad..tag")).error().code, Exit::bad_input);
    EXPECT_EQ(plan_fork(request("u", "has space")).error().code, Exit::bad_input);
    auto r = request();
    r.branch = "no~branch";
    EXPECT_EQ(plan_fork(r).error().code, Exit::bad_input);
    EXPECT_EQ(plan_fork(request("--upload-pack=touch /tmp/x", "v1")).error().code, Exit::bad_input);
    r = request("/", "v1");
    EXPECT_FALSE(plan_fork(r).ok());  // no name to derive DIR from
    r = request();
    r.author = "nobody";
    EXPECT_EQ(plan_fork(r).error().code, Exit::bad_input);
}

TEST(ForkPlan, DescribeListsEveryStepAndCommand) {
    auto plan = plan_fork(request("file:///v", "v2"));
    ASSERT_TRUE(plan.ok());
    auto lines = describe(*plan);
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    EXPECT_NE(all.find(plan->fetch.to_shell()), std::string::npos);
    EXPECT_NE(all.find("    Forked from v2 of file:///v\n"), std::string::npos);
    EXPECT_NE(all.find("create branch v2-kflavour"), std::string::npos);
    EXPECT_NE(all.find("git repack -a -d -q"), std::string::npos);
    EXPECT_NE(all.find("git prune --expire=now"), std::string::npos);
}

TEST(DefaultForkDir, NamesLikeGitClone) {
    EXPECT_EQ(default_fork_dir("https://h/ubuntu/focal.git"), "focal");
    EXPECT_EQ(default_fork_dir("https://h/ubuntu/focal/"), "focal");
    EXPECT_EQ(default_fork_dir("file:///srv/linux/.git"), "linux");
    EXPECT_EQ(default_fork_dir("git@host:kernel/jammy.git"), "jammy");
    EXPECT_EQ(default_fork_dir("/local/path/vendor"), "vendor");
    EXPECT_EQ(default_fork_dir("https://example.org/"), "example.org");
    EXPECT_EQ(default_fork_dir("/"), std::nullopt);
}

TEST(ForkMessage, NamesUrlAndTagAndHowToGraft) {
    std::string m = fork_message("file:///srv/v.git", "v2");
    EXPECT_EQ(m.substr(0, m.find('\n')), "Forked from v2 of file:///srv/v.git");
    EXPECT_EQ(m.substr(m.find('\n'), 2), "\n\n");  // a blank line after the subject
    EXPECT_NE(m.find("    kflavour graft\n"), std::string::npos);
    EXPECT_NE(m.find("    git fetch file:///srv/v.git +refs/tags/v2:refs/tags/v2\n"), std::string::npos);
    EXPECT_NE(m.find("    git replace <this commit> 'v2^{commit}'\n"), std::string::npos);
}

TEST(ForkMessage, ParsesBack) {
    auto origin = parse_fork_message(fork_message("https://h/a of b.git", "v1.2"));
    ASSERT_TRUE(origin);
    EXPECT_EQ(origin->tag, "v1.2");
    EXPECT_EQ(origin->url, "https://h/a of b.git");
    EXPECT_FALSE(parse_fork_message("Initial commit\n"));
    EXPECT_FALSE(parse_fork_message("Forked from nothing\n"));
}

TEST(Identity, ParsesNameAndEmail) {
    auto who = parse_identity("  Ada Lovelace <ada@example.org>");
    ASSERT_TRUE(who.ok());
    EXPECT_EQ(who->name, "Ada Lovelace");
    EXPECT_EQ(who->email, "ada@example.org");
    for (const char* bad : {"Ada", "<ada@x>", "Ada <>", "Ada <a b>", "Ada <ada@x> trailing"})
        EXPECT_EQ(parse_identity(bad).error().code, Exit::bad_input) << bad;
}

TEST(Identity, AuthorFlagThenEnvThenConfig) {
    auto config = table({{"user.name", "Config"}, {"user.email", "config@x"}});
    auto none = table({});
    auto s = choose_signatures(Identity{"Flag", "flag@x"}, none, config);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->author.name, "Flag");
    EXPECT_EQ(s->committer.name, "Config");

    s = choose_signatures(std::nullopt, table({{"GIT_AUTHOR_NAME", "Env"}}), config);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->author.name, "Env");
    EXPECT_EQ(s->author.email, "config@x");

    s = choose_signatures(Identity{"Flag", "flag@x"}, none, none);  // no config: committer = author
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->committer.email, "flag@x");

    auto missing = choose_signatures(std::nullopt, none, table({{"user.name", "Only Name"}}));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Exit::bad_input);
    EXPECT_NE(missing.error().hint.find("user.email"), std::string::npos);
}

TEST(FetchError, MissingTagIsBadInput) {
    Error e = fetch_error("file:///v", "v9", "fatal: couldn't find remote ref refs/tags/v9\n");
    EXPECT_EQ(e.code, Exit::bad_input);
    EXPECT_EQ(e.message, "tag 'v9' not found at file:///v");
}

TEST(FetchError, UnreachableIsAFailureNamingTheCause) {
    Error e = fetch_error("file:///nope", "v1",
                          "fatal: '/nope' does not appear to be a git repository\n"
                          "fatal: Could not read from remote repository.\n\nPlease make sure…\n");
    EXPECT_EQ(e.code, Exit::failure);
    EXPECT_EQ(e.message, "cannot fetch from file:///nope: '/nope' does not appear to be a git repository");
}

TEST(ProgressFilter, PassesProgressAndStopsAtTheFirstError) {
    std::ostringstream out;
    ProgressFilter filter(out);
    filter("Receiving objects:  50% (1/2)\rReceiving obj");
    filter("ects: 100% (2/2), done.\n");
    filter("fatal: couldn't find remote ref\nPlease make sure\n");
    filter("tail");
    filter.flush();
    EXPECT_EQ(out.str(), "Receiving objects:  50% (1/2)\rReceiving objects: 100% (2/2), done.\n");
}

TEST(RunFetch, StreamsProgressAndClassifiesFailure) {
    test::RecordingRunner runner;
    runner.respond = [](const Command&) { return ProcessOutput{128, "remote: Counting\rfatal: couldn't find remote ref refs/tags/x\n"}; };
    std::ostringstream progress;
    Command fetch = tag_fetch_command("d", "file:///v", "x", Depth::shallow, false);
    Status st = run_fetch(runner, fetch, "file:///v", "x", &progress);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, Exit::bad_input);
    EXPECT_EQ(progress.str(), "remote: Counting\r");
    ASSERT_EQ(runner.commands.size(), 1u);
    EXPECT_EQ(runner.commands[0].argv, fetch.argv);
}

TEST(RunChecked, AFailedCommandNamesItselfAndTheCause) {
    test::RecordingRunner runner;
    runner.respond = [](const Command&) { return ProcessOutput{1, "error: bad pack\n"}; };
    Status st = run_git(runner, repack_command("d"));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, Exit::failure);
    EXPECT_NE(st.error().message.find("git repack -a -d -q` failed (exit 1): bad pack"), std::string::npos);
}

TEST(RunChecked, TheDefaultWordingNamesTheProgramTheCommandAndItsOutput) {
    test::RecordingRunner runner;
    runner.respond = [](const Command&) { return ProcessOutput{2, "E: no such suite\n"}; };
    Status st = run_checked(runner, Command{{"/usr/bin/apt-ftparchive", "generate", "c.conf"}, {}, {}});
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, Exit::failure);
    EXPECT_NE(st.error().message.find("apt-ftparchive failed (exit 2): /usr/bin/apt-ftparchive generate c.conf"),
              std::string::npos)
        << st.error().message;
    EXPECT_NE(st.error().message.find("E: no such suite"), std::string::npos) << st.error().message;
    runner.respond = [](const Command&) { return ProcessOutput{0, ""}; };
    EXPECT_TRUE(run_checked(runner, Command{{"true"}, {}, {}}).ok());
}

TEST(GraftPlan, FullFetchOfTheTag) {
    ::unsetenv("KFLAVOUR_GIT");
    Command fetch = tag_fetch_command("/w/f", "file:///v", "v2", Depth::full, false);
    EXPECT_EQ(fetch.argv, (Strings{"git", "fetch", "--no-tags", "--no-write-fetch-head", "--progress", "file:///v",
                                   "+refs/tags/v2:refs/tags/v2"}));
    EXPECT_EQ(fetch.cwd, "/w/f");
}

TEST(GraftOrigin, FromThenConfigThenMessage) {
    std::string message = fork_message("file:///msg", "vmsg");
    auto o = graft_origin(std::nullopt, std::nullopt, std::nullopt, message);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->url, "file:///msg");
    EXPECT_EQ(o->tag, "vmsg");
    o = graft_origin(std::nullopt, std::string("file:///cfg"), std::string("vcfg"), message);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->url, "file:///cfg");
    EXPECT_EQ(o->tag, "vcfg");
    o = graft_origin(std::string("file:///from"), std::string("file:///cfg"), std::nullopt, message);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->url, "file:///from");
    EXPECT_EQ(o->tag, "vmsg");
    auto bad = graft_origin(std::string("file:///from"), std::nullopt, std::nullopt, "Initial commit\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, Exit::bad_input);
}

}  // namespace
}  // namespace kf::sys
