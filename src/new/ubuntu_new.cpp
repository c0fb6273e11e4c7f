#include "new/ubuntu_new.hpp"

#include "base/fs.hpp"
#include "new/new_inputs.hpp"
#include "tree/annotations.hpp"
#include "tree/resolve_run.hpp"

namespace kf::sys {
namespace fs = std::filesystem;
namespace {

// Run the kernel's Kconfig over the planned annotations, one arch at a time
// (docs/config-resolve.md); the plan's annotations edit gets the result.
Status resolve_planned(ProcessRunner& runner, const Os& os, const Reporter& report, const Tree& tree,
                       const NewRequest& req, bool allow_dropped, NewPlan& plan) {
    const fs::path file = tree.annotations_file();
    const std::string* planned = plan.edits.after(file);
    if (!planned) return ok_status();
    KF_TRY(Annotations notes, Annotations::parse(*planned, file, include_loader_for(file)));
    for (const auto& arch : plan.arches) {
        KF_TRY(ResolveOutcome r,
               resolve_flavour(runner, os, report, notes, arch, req.name, req.settings, tree.root, allow_dropped));
        report.verbose(describe_timings(r.timings));
    }
    KF_TRY(std::string before, read_text_file(file));
    plan.edits.put(file, std::move(before), notes.write());
    return ok_status();
}

}  // namespace

Result<NewPlan> new_ubuntu_flavour(ProcessRunner& runner, const Os& os, const Reporter& report, const Tree& tree,
                                   const NewRequest& req, const UbuntuNewOptions& opt) {
    if (!opt.resolve)
        report.verbose("not resolving the config (--no-resolve)");
    else if (!tree.has_kernel_source)
        report.verbose("the tree holds no kernel source: the annotations get the requested values as given "
                       "(run kflavour config resolve --source DIR later)");
    KF_TRY(PlanServices services, new_plan_services(os, tree.root));
    KF_TRY(NewPlan plan, plan_new_flavour(tree, req, services));
    if (tree.kind == TreeKind::ubuntu && tree.has_kernel_source && opt.resolve && !plan.nothing_to_do)
        KF_TRY_STATUS(resolve_planned(runner, os, report, tree, req, opt.allow_dropped, plan));
    KF_TRY_STATUS(apply_new_plan(plan, opt.dry_run));
    return plan;
}

}  // namespace kf::sys
