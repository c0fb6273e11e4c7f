#include "new/debian_new.hpp"

#include "archive/dpkg.hpp"
#include "base/fs.hpp"
#include "base/process.hpp"
#include "base/text.hpp"
#include "new/new_inputs.hpp"

namespace kf::sys {
namespace fs = std::filesystem;
namespace {

// What debian/rules debian/control-real writes besides the maintainer files.
constexpr const char* kControlFiles[] = {"control", "rules.gen", "control.md5sum"};

Error copy_failed(const fs::path& path, const std::error_code& ec) {
    return failure("cannot copy the tree's debian/ to a scratch directory: " + ec.message(), path.string());
}

// Only debian/ goes to the scratch copy: gencontrol.py reads nothing else.
Status scratch_copy(const fs::path& root, const fs::path& scratch, const EditSet& edits) {
    std::error_code ec;
    fs::copy(root / "debian", scratch / "debian", fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    if (ec) return copy_failed(root / "debian", ec);
    for (const auto& e : edits.edits()) {
        fs::path target = scratch / e.path.lexically_relative(root);
        fs::create_directories(target.parent_path(), ec);
        if (ec) return copy_failed(target, ec);
        KF_TRY_STATUS(write_file_atomically(target, e.after));
    }
    for (const char* made : kControlFiles) fs::remove(scratch / "debian" / made, ec);
    return ok_status();
}

// Debian's own target: it writes debian/control, rules.gen, control.md5sum
// and the per-package maintainer files, then fails on purpose ("NEVER run
// during the automated build"): success is the files being there.
Status run_gencontrol(ProcessRunner& runner, const fs::path& scratch) {
    // Its own process group: Ctrl-C reaches make and python through the caller's InterruptGuard.
    Command cmd{{"debian/rules", "debian/control-real"}, {}, scratch, true, 0};
    KF_TRY(ProcessOutput out, runner.run(cmd));
    if (InterruptGuard::interrupted())
        return InterruptGuard::error("debian/control not regenerated, nothing written, scratch dir removed");
    for (const char* made : kControlFiles)
        if (!path_exists(scratch / "debian" / made))
            return with_hint(failure(std::string("the tree's debian/rules debian/control-real wrote no debian/") + made +
                                     "\n" + tool_failure_evidence(out.output, 15)),
                             "it needs python3, python3-jinja2, python3-dacite and kernel-wedge (the tree's "
                             "Build-Depends for debian/control)");
    return ok_status();
}

// Every file gencontrol changed or added under debian/ (not its debian/build
// scratch), into the plan.
Status take_generated(const fs::path& scratch, const fs::path& root, EditSet& edits) {
    std::error_code ec;
    fs::recursive_directory_iterator it(scratch / "debian", ec), end;
    if (ec) return failure(ec.message(), (scratch / "debian").string());
    for (; it != end; it.increment(ec)) {
        if (ec) return failure(ec.message(), it->path().string());
        fs::path rel = it->path().lexically_relative(scratch);
        if (rel == fs::path("debian/build")) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
        if (edits.after(root / rel)) continue;  // planned here; the copy holds the planned text
        KF_TRY(std::string after, read_file(it->path()));
        std::optional<std::string> before;
        if (path_exists(root / rel)) {
            KF_TRY(before, read_file(root / rel));
        }
        if (before && *before == after) continue;
        edits.put(root / rel, std::move(before), std::move(after));
    }
    return ok_status();
}

Status regenerate_control(ProcessRunner& runner, const Tree& tree, NewPlan& plan) {
    InterruptGuard guard;  // outlives the scratch dir: a signal ends in its removal, not in a leftover
    KF_TRY(ScratchDir scratch, ScratchDir::make("kflavour-control"));
    KF_TRY_STATUS(scratch_copy(tree.root, scratch.path(), plan.edits));
    KF_TRY_STATUS(run_gencontrol(runner, scratch.path()));
    return take_generated(scratch.path(), tree.root, plan.edits);
}

}  // namespace

Result<NewPlan> new_debian_flavour(ProcessRunner& runner, const Os& os, const Tree& tree,
                                   const DebianNewRequest& req, bool dry_run) {
    KF_TRY(DebianTree debian, read_debian_tree(tree.root));
    KF_TRY(PlanServices services, new_plan_services(os, tree.root));
    KF_TRY(NewPlan plan, plan_debian_flavour(debian, req, services));
    if (!plan.nothing_to_do) KF_TRY_STATUS(regenerate_control(runner, tree, plan));
    KF_TRY_STATUS(apply_new_plan(plan, dry_run));
    return plan;
}

}  // namespace kf::sys
