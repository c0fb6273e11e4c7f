// `build --flavour F [--featureset FS]` on Debian's own kernel packaging:
// the one flavour to build, checked against the tree's defines and rules.gen.
#pragma once

#include "base/error.hpp"
#include "build/build_plan.hpp"
#include "tree/tree.hpp"

#include <string>

namespace kf::cli {

// The flavour (exactly one in req.flavours), its featureset, config files,
// ABI name, the changelog's version and the profiles. Bad input names the
// arches, featuresets or flavours the defines declare, or says why debian/
// is not Debian's kernel packaging.
Status fill_debian_kernel(BuildRequest& req, const Tree& tree, const std::string& featureset);

// What a quick build holds the reduction to: the flavour's own fragment
// (debian/config/…/config.F among its config files, as `new` writes it); a
// Debian flavour without one of its own asks for nothing beyond its base.
Status fill_debian_requested(BuildRequest& req);

}  // namespace kf::cli
