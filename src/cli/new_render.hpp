// What `new` and upstream `config resolve` did (or, with --dry-run, would
// do): the diff, then JSON (--json) or the status lines. The work itself is
// the new stage's (src/new/).
#pragma once

#include "cli/app.hpp"
#include "new/upstream_new.hpp"
#include "tree/debian_new_plan.hpp"
#include "tree/new_plan.hpp"
#include "tree/tree.hpp"

namespace kf::cli {

void render_new_ubuntu(const Context& ctx, const Tree& tree, const NewRequest& request, const NewPlan& plan);
void render_new_debian(const Context& ctx, const Tree& tree, const DebianNewRequest& request, const NewPlan& plan);
void render_new_upstream(const Context& ctx, const Tree& tree, const sys::UpstreamNewOutcome& done);
void render_resolve_upstream(const Context& ctx, const Tree& tree, const sys::UpstreamResolveRequest& request,
                             const sys::UpstreamResolveOutcome& done);

}  // namespace kf::cli
