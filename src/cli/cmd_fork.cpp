// `kflavour fork` and `kflavour graft` (docs/fork.md).
#include "cli/app.hpp"
#include "fork/fork.hpp"
#include "fork/graft.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

namespace kf::cli {
namespace {

// Stage lines on stderr with the time since the command started, so that
// stdout stays the result (or the JSON).
class StageLog {
public:
    explicit StageLog(const Context& ctx) : ctx_(ctx), start_(std::chrono::steady_clock::now()) {}
    void operator()(std::string_view stage) const {
        if (ctx_.global.verbosity < 0) return;
        std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
        char elapsed[32];
        std::snprintf(elapsed, sizeof elapsed, "[%6.1fs] ", took.count());
        ctx_.err << elapsed << stage << "\n" << std::flush;
    }

private:
    const Context& ctx_;
    std::chrono::steady_clock::time_point start_;
};

std::ostream* progress_stream(const Context& ctx) { return ctx.global.verbosity < 0 ? nullptr : &ctx.err; }

void print_lines(const Context& ctx, const std::vector<std::string>& lines) {
    for (const auto& line : lines) ctx.out << line << "\n";
}

std::string optional_string(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

Status run_fork(Context& ctx, const po::variables_map& vm) {
    sys::ForkRequest request;
    request.url = optional_string(vm, "url");
    request.tag = optional_string(vm, "tag");
    request.branch = optional_string(vm, "branch");
    request.dir = optional_string(vm, "dir");
    request.base = ctx.global.tree;
    if (vm.count("author")) request.author = vm["author"].as<std::string>();
    request.quiet = ctx.global.verbosity < 0;
    KF_TRY(sys::ForkPlan plan, sys::plan_fork(request));
    if (ctx.global.dry_run) {
        KF_TRY(sys::ForkTarget target, sys::inspect_fork_target(plan));
        if (target == sys::ForkTarget::same_fork)
            ctx.out << plan.dir.string() << " is already a fork of " << plan.tag << " of " << plan.url << "\n";
        else
            print_lines(ctx, sys::describe(plan));
        return ok_status();
    }

    sys::SystemRunner runner;
    StageLog stage(ctx);
    KF_TRY(sys::ForkResult result, sys::execute_fork(plan, runner, ctx.os, progress_stream(ctx), stage));
    if (ctx.global.json) {
        nlohmann::json j = {{"dir", plan.dir.string()}, {"branch", plan.branch}, {"commit", result.commit},
                            {"tree", result.tree},       {"tag", plan.tag},       {"upstream", plan.url},
                            {"already_done", result.already_done}};
        ctx.out << j.dump(2) << "\n";
    } else if (result.already_done) {
        ctx.info(plan.dir.string() + " is already a fork of " + plan.tag + " of " + plan.url + "; nothing to do");
    } else {
        ctx.info("forked " + plan.tag + " of " + plan.url + " into " + plan.dir.string() + ": branch " + plan.branch +
                 " is one commit, " + result.commit);
    }
    return ok_status();
}

Status run_graft_undo(Context& ctx) {
    if (ctx.global.dry_run) {
        KF_TRY(std::string ref, sys::fork_replace_ref(ctx.global.tree));
        ctx.out << "delete " << ref << " (libgit2)\n";
        return ok_status();
    }
    KF_TRY(bool removed, sys::undo_graft(ctx.global.tree));
    if (ctx.global.json) ctx.out << nlohmann::json{{"removed", removed}}.dump(2) << "\n";
    else ctx.info(removed ? "removed the graft: the branch is the fork commit alone again" : "no graft to undo");
    return ok_status();
}

Status run_graft(Context& ctx, const po::variables_map& vm) {
    if (vm.count("undo") && vm["undo"].as<bool>()) {
        if (vm.count("from")) return bad_input("graft: --undo and --from do not go together");
        return run_graft_undo(ctx);
    }
    sys::GraftRequest request;
    request.repo = ctx.global.tree;
    if (vm.count("from")) request.from = vm["from"].as<std::string>();
    request.quiet = ctx.global.verbosity < 0;
    KF_TRY(sys::GraftPlan plan, sys::plan_graft(request));
    if (ctx.global.dry_run) {
        print_lines(ctx, sys::describe(plan));
        return ok_status();
    }
    sys::SystemRunner runner;
    StageLog stage(ctx);
    KF_TRY(sys::GraftResult result, sys::execute_graft(plan, runner, progress_stream(ctx), stage));
    if (ctx.global.json) {
        nlohmann::json j = {{"fork_commit", plan.fork_commit}, {"replace_ref", plan.replace_ref},
                            {"tag", plan.tag},                 {"tag_commit", result.tag_commit},
                            {"upstream", plan.url},            {"already_done", result.already_done}};
        ctx.out << j.dump(2) << "\n";
    } else {
        ctx.info(std::string(result.already_done ? "already grafted: " : "grafted: ") + plan.replace_ref + " -> " +
                 plan.tag + " (" + result.tag_commit + "); undo with kflavour graft --undo");
    }
    return ok_status();
}

}  // namespace

Command fork_command() {
    return Command{
        "fork",
        "shallow-fork a vendor tree at TAG into a new repository: one pushable parentless commit",
        "URL --tag TAG [--branch NAME] [--author 'NAME <EMAIL>'] [DIR]",
        [](po::options_description& d, po::positional_options_description& p) {
            d.add_options()
                ("url", po::value<std::string>()->value_name("URL"), "the vendor repository, any URL git fetches (the first argument)")
                ("dir", po::value<std::string>()->value_name("DIR"),
                 "where to create the fork, new or empty (the second argument; default: named after URL,"
                 " like git clone)")
                ("tag", po::value<std::string>()->value_name("TAG")->required(), "the vendor tag to fork")
                ("branch", po::value<std::string>()->value_name("NAME"), "the new branch (default: TAG-kflavour)")
                ("author", po::value<std::string>()->value_name("'NAME <EMAIL>'"),
                 "author of the fork commit (default: git's user.name and user.email)");
            p.add("url", 1).add("dir", 1);
        },
        run_fork,
        {}};
}

Command graft_command() {
    return Command{
        "graft",
        "show the vendor history below a fork's commit (a refs/replace/ ref); --undo removes it",
        "[--from URL] [--undo]",
        [](po::options_description& d, po::positional_options_description&) {
            d.add_options()
                ("from", po::value<std::string>()->value_name("URL"),
                 "where the history lives (default: kflavour.upstream, set by fork)")
                ("undo", po::bool_switch(), "remove the graft: the branch is the fork commit alone again");
        },
        run_graft,
        {}};
}

}  // namespace kf::cli
