// `kflavour deps check --host A`: can the Build-Depends be satisfied for a
// cross build to A in the suite's chroot?
#include "cli/app.hpp"
#include "base/text.hpp"
#include "cli/deps_control.hpp"
#include "deps/build_deps.hpp"
#include "deps/deps_check.hpp"
#include "base/edit_set.hpp"
#include "tree/tree.hpp"
#include "deps/apt_lists.hpp"
#include "deps/build_depends.hpp"
#include "chroot/chroot.hpp"
#include "base/process.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <ostream>
#include <unistd.h>

namespace kf::cli {
namespace fs = std::filesystem;

namespace {

}  // namespace


Status run_deps_check(Context& ctx, const po::variables_map& vm) {
    const std::string host = vm["host"].as<std::string>();
    KF_TRY(fs::path file, control_file(ctx.global.tree));
    KF_TRY(std::string text, read_text_file(file));
    KF_TRY(auto fields, sys::parse_build_depends(text, file.string(), host));

    // The chroot (or lists) to judge by.
    const auto cache = sys::chroot_cache_dir();
    std::optional<sys::ChrootInfo> chroot;
    std::optional<sys::ScratchDir> scratch;
    fs::path lists;
    if (vm.count("apt-lists")) {
        lists = vm["apt-lists"].as<std::string>();
    } else {
        Result<sys::ChrootInfo> info = vm.count("chroot") ? sys::find_chroot(cache, vm["chroot"].as<std::string>())
                                       : vm.count("suite") ? sys::find_chroot_for_suite(cache, vm["suite"].as<std::string>())
                                                           : Result<sys::ChrootInfo>(bad_input("say which chroot: --suite S or --chroot NAME"));
        if (!info.ok()) return info.error();
        chroot = *info;
        KF_TRY(auto s, sys::ScratchDir::make("kflavour-lists"));
        scratch.emplace(std::move(s));
        sys::SystemRunner runner;
        KF_TRY(auto x, runner.run(sys::extract_command(chroot->tarball, scratch->path(), {"./var/lib/apt/lists/*_Packages*"})));
        if (x.exit_code != 0) return failure("the chroot has no apt lists", chroot->tarball.string());
        lists = scratch->path() / "var/lib/apt/lists";
        if (std::find(chroot->arches.begin(), chroot->arches.end(), host) == chroot->arches.end()) {
            Error e = bad_input("chroot " + chroot->name + " has no " + host + " packages (arches: " +
                                [&] { std::string s; for (auto& a : chroot->arches) s += (s.empty() ? "" : " ") + a; return s; }() + ")");
            e.hint = "kflavour chroot create " + chroot->suite + " --host " + host;
            return e;
        }
    }
    std::string build = chroot && !chroot->arches.empty() ? chroot->arches[0] : "";
    KF_TRY(auto index, sys::AptListsSource::load(lists, build,
                                                 chroot ? "the apt lists of chroot " + chroot->name : ""));
    if (build.empty()) build = index.arches().empty() ? "" : index.arches()[0];
    auto problems = check_cross_deps(text, fields, index, build, host);

    // Conflicts and version constraints: apt's resolver in the chroot (root, or a user namespace).
    std::string apt_result = "skipped";
    std::string apt_output;
    bool fatal = false;
    for (const auto& p : problems) fatal = fatal || p.fatal;
    if (!fatal && chroot) {
        KF_TRY(auto dir, sys::ScratchDir::make("kflavour-depcheck"));
        fs::create_directories(dir.path() / "debian");
        // The source stanza's build-dependency fields, as `build` installs them.
        BuildDepsSpec spec;
        KF_TRY(spec.fields, sys::build_depends_fields(text, file.string()));
        std::ofstream(dir.path() / "debian" / "control") << build_deps_control(spec);
        sys::ChrootRun run{chroot->tarball, {dir.path()}, {"apt-get", "build-dep", "-s", "-a", host, "--arch-only", dir.path().string()}, {}};
        sys::SystemRunner runner;
        KF_TRY(auto out, sys::run_in_chroot(runner, run, nullptr));
        apt_output = out.output;
        apt_result = out.exit_code == 0 ? "ok" : "failed";
        if (out.exit_code != 0) {
            problems.push_back({"(all)", "Build-Depends", 0, "conflict",
                                "apt-get build-dep -a " + host + " cannot resolve them; " + tool_failure_evidence(out.output, 12), true});
            fatal = true;
        }
    }

    if (ctx.global.json) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& p : problems)
            rows.push_back({{"relation", p.relation}, {"field", p.field}, {"line", p.line}, {"kind", p.kind},
                            {"reason", p.reason}, {"fatal", p.fatal}});
        ctx.out << nlohmann::ordered_json{{"file", file.string()}, {"host", host}, {"build", build},
                                          {"chroot", chroot ? chroot->name : ""}, {"satisfiable", !fatal},
                                          {"apt", apt_result}, {"problems", rows}}
                       .dump(2)
                << "\n";
    } else {
        for (const auto& p : problems) {
            std::string where = file.filename().string() + (p.line ? ":" + std::to_string(p.line) : "") + ": ";
            if (p.fatal)
                ctx.out << where << p.relation << ": " << p.kind << ": " << p.reason << "\n";
            else
                ctx.warn(where + p.relation + ": " + p.reason);
        }
        if (!fatal) ctx.info("build dependencies satisfiable for " + build + " -> " + host + (apt_result == "ok" ? " (apt agrees)" : ""));
    }
    if (fatal) {
        Error e;
        e.code = Exit::check_failed;
        size_t n = 0;
        for (const auto& p : problems) n += p.fatal;
        e.message = std::to_string(n) + " build dependenc" + (n == 1 ? "y" : "ies") + " cannot be satisfied for " + host;
        return e;
    }
    return ok_status();
}

}  // namespace kf::cli
