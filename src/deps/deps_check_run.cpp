#include "deps/deps_check_run.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "chroot/chroot.hpp"
#include "deps/apt_lists.hpp"
#include "deps/build_depends.hpp"
#include "deps/build_deps.hpp"

#include <algorithm>

namespace kf::sys {
namespace fs = std::filesystem;

bool DepsCheckOutcome::satisfiable() const { return fatal_count() == 0; }

size_t DepsCheckOutcome::fatal_count() const {
    return size_t(std::count_if(problems.begin(), problems.end(), [](const DepProblem& p) { return p.fatal; }));
}

namespace {

// A cross build's lists must hold the host's packages.
Status require_host_arch(const ChrootInfo& chroot, const std::string& host) {
    if (std::find(chroot.arches.begin(), chroot.arches.end(), host) != chroot.arches.end()) return ok_status();
    Error e = bad_input("chroot " + chroot.name + " has no " + host + " packages (arches: " + join(chroot.arches, " ") +
                        ")");
    e.hint = "kflavour chroot create " + chroot.suite + " --host " + host;
    return e;
}

// Conflicts and version constraints: apt's resolver in the chroot (root, or
// a user namespace), on a control file of the source stanza's
// build-dependency fields, as `build` installs them.
Status ask_apt(ProcessRunner& runner, const Os& os, const DepsCheckRequest& req, const std::string& control_text,
               const ChrootInfo& chroot, DepsCheckOutcome& out) {
    KF_TRY(auto dir, ScratchDir::make("kflavour-depcheck"));
    BuildDepsSpec spec;
    KF_TRY(spec.fields, build_depends_fields(control_text, out.file.string()));
    std::error_code ec;
    fs::create_directories(dir.path() / "debian", ec);
    if (ec) return failure("cannot create a directory: " + ec.message(), (dir.path() / "debian").string());
    KF_TRY_STATUS(write_file_atomically(dir.path() / "debian" / "control", build_deps_control(spec)));
    ChrootRun run{chroot.tarball, {dir.path()},
                  {"apt-get", "build-dep", "-s", "-a", req.host, "--arch-only", dir.path().string()}, {}};
    KF_TRY(auto result, run_in_chroot(runner, os, run, nullptr));
    out.apt = result.exit_code == 0 ? "ok" : "failed";
    if (result.exit_code != 0)
        out.problems.push_back({"(all)", "Build-Depends", 0, "conflict",
                                "apt-get build-dep -a " + req.host + " cannot resolve them; " +
                                    tool_failure_evidence(result.output, 12),
                                true});
    return ok_status();
}

}  // namespace

Result<DepsCheckOutcome> check_build_deps(ProcessRunner& runner, const Os& os, const DepsCheckRequest& req) {
    DepsCheckOutcome out;
    KF_TRY(out.file, control_file(req.tree));
    KF_TRY(const std::string control_text, read_text_file(out.file));
    KF_TRY(auto fields, parse_build_depends(control_text, out.file.string(), req.host));
    KF_TRY(ArchiveLists lists,
           load_archive_lists(runner, os, req.lists, "", bad_input("say which chroot: --suite S or --chroot NAME")));
    const auto& chroot = lists.chroot;
    if (chroot) {
        KF_TRY_STATUS(require_host_arch(*chroot, req.host));
        out.chroot = chroot->name;
    }
    const auto& arches = chroot && !chroot->arches.empty() ? chroot->arches : lists.source.arches();
    out.build = arches.empty() ? "" : arches[0];
    out.problems = check_cross_deps(control_text, fields, lists.source, out.build, req.host);
    if (out.satisfiable() && chroot) KF_TRY_STATUS(ask_apt(runner, os, req, control_text, *chroot, out));
    return out;
}

}  // namespace kf::sys
