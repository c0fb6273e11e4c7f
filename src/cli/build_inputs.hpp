// What `build` reads and prepares besides the plan: the module list of a
// quick build, and the chroot prepared with a Debian or Ubuntu tree's own
// build-dependencies.
#pragma once

#include "base/error.hpp"
#include "cli/app.hpp"
#include "build/build_plan.hpp"
#include "tree/tree.hpp"
#include "build/build_run.hpp"

#include <filesystem>
#include <string>

namespace kf::cli {

// Upstream trees: flavours (default: every one with a config for the host
// arch), the kernel release, --pkg-version, the build timestamp.
Status fill_upstream(const sys::Os& os, BuildRequest& req, const po::variables_map& vm);

// Ubuntu trees: flavours (default: the host arch's), version, $DEBIAN, dkms knobs.
Status fill_ubuntu(BuildRequest& req, const Tree& tree);

// --distcc HOSTS, else $DISTCC_HOSTS; --no-distcc ignores both. The hosts
// are what distcc itself reads from the string; -j from the farm's slots.
Status fill_distcc(Context& ctx, BuildRequest& req, const po::variables_map& vm);

// --modules-from FILE (Ubuntu and upstream trees): the list, checked
// against the modules the tree builds, and what each flavour requests (an
// upstream flavour's fragment; an Ubuntu flavour's own annotations keys).
// The set gets a +quick version so it can't pass for the full flavour.
Status fill_quick(Context& ctx, BuildRequest& req, const Tree& tree, const std::filesystem::path& list_file);

// Debian and Ubuntu trees in a chroot: the tree's own Build-Depends (with
// the :native markings a cross build needs, judged by the chroot's lists)
// installed with apt-get build-dep into a chroot prepared on top of `bc`,
// cached under a name derived from what it holds; the build runs there.
// Build-dependencies apt cannot install stop here, before anything compiles.
Status prepare_build_deps(Context& ctx, BuildRequest& req, sys::BuildChroot& bc);

// Seconds as m:ss, for the stage lines.
std::string clock_time(double secs);

}  // namespace kf::cli
