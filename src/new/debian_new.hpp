// `kflavour new NAME` on Debian's own kernel packaging: plan the defines,
// fragment and changelog edits (tree/debian_new_plan), regenerate
// debian/control and its companions with the tree's own gencontrol.py in a
// scratch copy, and write the whole result back as one atomic EditSet.
#pragma once

#include "base/os.hpp"
#include "base/process.hpp"
#include "tree/debian_new_plan.hpp"
#include "tree/new_plan.hpp"
#include "tree/tree.hpp"

namespace kf::sys {

// The plan, with gencontrol's output among its edits; applied unless
// `dry_run` or there is nothing to do.
Result<NewPlan> new_debian_flavour(ProcessRunner& runner, const Os& os, const Tree& tree,
                                   const DebianNewRequest& request, bool dry_run);

}  // namespace kf::sys
