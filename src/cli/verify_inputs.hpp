// What `verify` and `publish` both read to find the target release's
// package index: --packages and --chroot, and the Os's chroot cache and
// native arch (a suite's default chroot). Each sets the suite it knows.
#pragma once

#include "cli/app.hpp"
#include "verify/verify_set.hpp"

namespace kf::cli {

sys::VerifyTarget verify_target_from(const Context& ctx, const po::variables_map& vm);

}  // namespace kf::cli
