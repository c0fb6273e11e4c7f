// `kflavour deps fix|check`: the Build-Depends a cross build needs.
#include "chroot/chroot.hpp"
#include "cli/app.hpp"
#include "deps/deps_fix_run.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;

sys::ListsChoice lists_choice(const Context& ctx, const po::variables_map& vm) {
    sys::ListsChoice lists;
    if (vm.count("apt-lists")) lists.apt_lists = fs::path(vm["apt-lists"].as<std::string>());
    if (vm.count("chroot")) lists.chroot = vm["chroot"].as<std::string>();
    if (vm.count("suite")) lists.suite = vm["suite"].as<std::string>();
    lists.chroot_cache = sys::chroot_cache_dir(ctx.os);
    return lists;
}

namespace {


std::string action_word(DepAction a) {
    switch (a) {
    case DepAction::native: return "add :native";
    case DepAction::twin: return "add a :native twin";
    case DepAction::unknown: return "unknown";
    default: return "keep";
    }
}

void render_fix(const Context& ctx, const sys::DepsFixOutcome& done) {
    const auto& file = done.file;
    if (ctx.global.json) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& d : done.plan.decisions)
            rows.push_back({{"package", d.package}, {"field", d.field}, {"line", d.line},
                            {"action", action_word(d.action)}, {"reason", d.reason}});
        ctx.out << nlohmann::ordered_json{{"file", file.string()}, {"metadata", done.metadata},
                                          {"changed", done.plan.changed}, {"written", done.written},
                                          {"decisions", rows}, {"diff", done.edits.unified_diff(ctx.global.tree)}}
                       .dump(2)
                << "\n";
        return;
    }
    for (const auto& d : done.plan.decisions) {
        std::string where = file.filename().string() + ":" + std::to_string(d.line) + ": " + d.package + ": ";
        if (d.action == DepAction::unknown)
            ctx.warn(where + d.reason + "; left as is");
        else if (d.action == DepAction::native || d.action == DepAction::twin)
            ctx.verbose(where + action_word(d.action) + " (" + d.reason + ")");
        else
            ctx.verbose(where + "keep (" + d.reason + ")");
    }
}

Status run_fix(Context& ctx, const po::variables_map& vm) {
    sys::DepsFixRequest req;
    req.tree = ctx.global.tree;
    req.lists = lists_choice(ctx, vm);
    req.build_arch = string_option(vm, "build-arch");
    req.write = vm["write"].as<bool>() && !ctx.global.dry_run;
    sys::SystemRunner runner;
    KF_TRY(sys::DepsFixOutcome done, sys::fix_build_deps(runner, ctx.os, req));
    render_fix(ctx, done);
    if (ctx.global.json) return ok_status();
    if (!req.write)
        ctx.out << done.edits.unified_diff(ctx.global.tree);
    else
        ctx.info(done.edits.empty() ? "nothing to fix in " + done.file.string() : "updated " + done.file.string());
    return ok_status();
}

void metadata_options(po::options_description& d) {
    d.add_options()
        ("suite", po::value<std::string>()->value_name("S"), "use the cached chroot of suite S")
        ("chroot", po::value<std::string>()->value_name("NAME"), "use the cached chroot NAME")
        ("apt-lists", po::value<std::string>()->value_name("DIR"),
         "use the apt lists in DIR (e.g. /var/lib/apt/lists) instead of a chroot's");
}

}  // namespace

Status run_deps_check(Context& ctx, const po::variables_map& vm);  // cmd_deps_check.cpp

Command deps_command() {
    Command fix{"fix", "add the :native markings a cross build needs to the Build-Depends",
                "[--write] [--suite S | --chroot NAME | --apt-lists DIR]",
                [](po::options_description& d, po::positional_options_description&) {
                    d.add_options()("write", po::bool_switch(), "write the file (default: print a diff)")
                        ("build-arch", po::value<std::string>()->value_name("A"),
                         "the build machine's arch, whose lists answer (default: the chroot's own)");
                    metadata_options(d);
                },
                run_fix, {}};
    Command check{"check", "can the build dependencies be satisfied for a cross build to --host?",
                  "--host A [--suite S | --chroot NAME]",
                  [](po::options_description& d, po::positional_options_description&) {
                      d.add_options()("host", po::value<std::string>()->value_name("A")->required(),
                                      "the arch the build is for");
                      metadata_options(d);
                  },
                  run_deps_check, {}};
    return Command{"deps", "Build-Depends for cross builds: fix the :native markings, check satisfiability", "fix|check",
                   nullptr, nullptr, {fix, check}};
}

}  // namespace kf::cli
