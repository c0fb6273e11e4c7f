// `kflavour deps check --host A`: can the Build-Depends be satisfied for a
// cross build to A in the suite's chroot?
#include "cli/app.hpp"
#include "base/text.hpp"
#include "base/fs.hpp"
#include "chroot/chroot.hpp"
#include "deps/control_file.hpp"
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

Status run_deps_check(Context& ctx, const po::variables_map& vm) {
    sys::DepsCheckRequest req;
    req.host = vm["host"].as<std::string>();
    KF_TRY(req.control_file, sys::control_file(ctx.global.tree));
    KF_TRY(req.control_text, read_text_file(req.control_file));
    if (vm.count("apt-lists")) req.lists.apt_lists = fs::path(vm["apt-lists"].as<std::string>());
    if (vm.count("chroot")) req.lists.chroot = vm["chroot"].as<std::string>();
    if (vm.count("suite")) req.lists.suite = vm["suite"].as<std::string>();
    req.lists.chroot_cache = sys::chroot_cache_dir(ctx.os);
    sys::SystemRunner runner;
    KF_TRY(sys::DepsCheckOutcome out, sys::check_build_deps(runner, ctx.os, req));
    render(ctx, req.control_file, req.host, out);
    if (out.satisfiable()) return ok_status();
    Error e;
    e.code = Exit::check_failed;
    const size_t n = out.fatal_count();
    e.message = std::to_string(n) + " build dependenc" + (n == 1 ? "y" : "ies") + " cannot be satisfied for " + req.host;
    return e;
}

}  // namespace kf::cli
