// `kflavour new NAME` on Debian's own kernel packaging: plan the defines,
// fragment and changelog edits (tree/debian_new_plan), regenerate
// debian/control and its companions with the tree's own gencontrol.py in a
// scratch copy, and write the whole result back as one atomic EditSet.
#pragma once

#include "cli/app.hpp"
#include "tree/debian_new_plan.hpp"

namespace kf::cli {

Status run_new_debian(Context& ctx, const Tree& tree, const DebianNewRequest& request);

}  // namespace kf::cli
