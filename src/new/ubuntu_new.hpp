// `kflavour new NAME` on an Ubuntu tree: the plan of tree/new_plan (vars,
// rules.d, annotations, changelog), the annotations resolved by the tree's
// own Kconfig when it holds the kernel source, written all at once.
#pragma once

#include "base/os.hpp"
#include "base/process.hpp"
#include "base/report.hpp"
#include "tree/new_plan.hpp"
#include "tree/tree.hpp"

namespace kf::sys {

struct UbuntuNewOptions {
    bool resolve = true;  // run Kconfig when the tree holds the kernel source
    bool allow_dropped = false;
    bool dry_run = false;
};

// The plan; applied unless `dry_run` or there is nothing to do.
Result<NewPlan> new_ubuntu_flavour(ProcessRunner& runner, const Os& os, const Reporter& report, const Tree& tree,
                                   const NewRequest& request, const UbuntuNewOptions& options);

}  // namespace kf::sys
