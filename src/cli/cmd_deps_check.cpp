// `kflavour deps check --host A`: can the Build-Depends be satisfied for a
// cross build to A in the suite's chroot?
#include "cli/app.hpp"
#include "base/text.hpp"
#include "deps/deps_check_run.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;

namespace {

void render(Context& ctx, const fs::path& file, const std::string& host, const sys::DepsCheckOutcome& out) {
    if (ctx.global.json) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& p : out.problems)
            rows.push_back({{"relation", p.relation}, {"field", p.field}, {"line", p.line}, {"kind", p.kind},
                            {"reason", p.reason}, {"fatal", p.fatal}});
        ctx.out << nlohmann::ordered_json{{"file", file.string()}, {"host", host}, {"build", out.build},
                                          {"chroot", out.chroot}, {"satisfiable", out.satisfiable()},
                                          {"apt", out.apt}, {"problems", rows}}
                       .dump(2)
                << "\n";
        return;
    }
    for (const auto& p : out.problems) {
        std::string where = file.filename().string() + (p.line ? ":" + std::to_string(p.line) : "") + ": ";
        if (p.fatal)
            ctx.out << where << p.relation << ": " << p.kind << ": " << p.reason << "\n";
        else
            ctx.warn(where + p.relation + ": " + p.reason);
    }
    if (out.satisfiable())
        ctx.info("build dependencies satisfiable for " + out.build + " -> " + host + (out.apt == "ok" ? " (apt agrees)" : ""));
}

}  // namespace

// --apt-lists, --chroot, --suite (metadata_options): which lists judge, for deps fix and check.
sys::ListsChoice lists_choice(const Context& ctx, const po::variables_map& vm);  // cmd_deps.cpp

Status run_deps_check(Context& ctx, const po::variables_map& vm) {
    sys::DepsCheckRequest req;
    req.host = vm["host"].as<std::string>();
    req.tree = ctx.global.tree;
    req.lists = lists_choice(ctx, vm);
    sys::SystemRunner runner;
    KF_TRY(sys::DepsCheckOutcome out, sys::check_build_deps(runner, ctx.os, req));
    render(ctx, out.file, req.host, out);
    if (out.satisfiable()) return ok_status();
    Error e;
    e.code = Exit::check_failed;
    const size_t n = out.fatal_count();
    e.message = std::to_string(n) + " build dependenc" + (n == 1 ? "y" : "ies") + " cannot be satisfied for " + req.host;
    return e;
}

}  // namespace kf::cli
