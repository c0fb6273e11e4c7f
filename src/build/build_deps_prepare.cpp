// prepare_build_deps (build/build_request.hpp): a Debian or Ubuntu tree's
// own build-dependencies, installed once into a cached chroot.
#include "build/build_request.hpp"

#include "base/fs.hpp"
#include "chroot/chroot.hpp"
#include "deps/build_depends.hpp"
#include "deps/build_deps.hpp"
#include "deps/build_deps_chroot.hpp"
#include "deps/control_file.hpp"

#include <unistd.h>

namespace kf::sys {
namespace fs = std::filesystem;
namespace {

// The control file as the build copy needs it, judged by the base chroot's
// lists; says which retired build-dependencies it left out.
Status mark_control(ProcessRunner& runner, const Os& os, const Reporter& report, BuildRequest& req,
                    const ChrootInfo& base, const fs::path& file, const std::string& text, std::string& marked) {
    std::vector<RetiredDep> dropped;
    KF_TRY(marked, build_copy_control(runner, os, file, text, base, req.mode == BuildMode::cross, dropped));
    for (const auto& d : dropped)
        report.progress("  build-deps: left out " + d.package + " (" + file.filename().string() + ":" +
                        std::to_string(d.line) + "): not in " + base.name + "; " + d.reason);
    if (marked != text) {
        req.native_control_path = file.lexically_relative(req.tree).string();
        req.native_control_text = marked;
    }
    return ok_status();
}

}  // namespace

Status prepare_build_deps(ProcessRunner& runner, const Os& os, const Reporter& report, BuildRequest& req,
                          BuildChroot& bc, bool dry_run, const std::function<void(std::string_view)>& output) {
    KF_TRY(fs::path file, control_file(req.tree));
    KF_TRY(std::string text, read_text_file(file));
    const fs::path chroots = chroot_cache_dir(os);
    auto base = find_chroot(chroots, bc.name);
    if (!base.ok() && !dry_run) return base.error();
    std::string marked = text;
    if (base.ok()) KF_TRY_STATUS(mark_control(runner, os, report, req, *base, file, text, marked));
    // A chroot cache this user can't write to (a shared one, made by root):
    // the build installs the build-dependencies in its own throw-away copy.
    if (!dry_run && ::access(chroots.c_str(), W_OK) != 0) {
        req.build_deps_prepared = false;
        report.progress("  build-deps installed by the build itself (the chroot cache " + chroots.string() +
                        " is not writable, so no prepared chroot is kept)");
        return ok_status();
    }
    BuildDepsSpec spec{bc.name, req.mode == BuildMode::cross ? req.host.debian : "", request_profiles(req), {}};
    KF_TRY(spec.fields, build_depends_fields(marked, file.string()));
    if (arch_only_build_deps(req.kind)) {
        spec.arch_only = true;
        std::erase_if(spec.fields, [](const auto& f) { return f.first == "Build-Depends-Indep"; });
    }
    bc.base = bc.name;
    bc.name = prepared_chroot_name(spec);
    bc.tarball = chroot_paths(chroots, bc.name).tarball;
    bc.cached = path_exists(bc.tarball);
    if (dry_run) return ok_status();
    if (!bc.cached) report.progress("chroot " + bc.name + ": installing the tree's build-dependencies");
    KF_TRY(auto prepared, prepare_build_deps_chroot(runner, os, chroots, *base, spec, output));
    report.progress("  build-deps " + clock_time(prepared.seconds) + "  " + prepared.name +
                    (prepared.reused ? " (cached)" : " (prepared)"));
    return ok_status();
}

}  // namespace kf::sys
