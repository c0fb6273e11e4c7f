// The steps the build plans of the tree kinds share: the build copy, the
// build-dependencies in a chroot, the +quick changelog version, collecting
// the packages. Pure: they append to a plan.
#pragma once

#include "build/build_plan.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kf::plan_steps {

void add(BuildPlan& plan, std::string stage, std::vector<std::string> argv, std::filesystem::path cwd = {});

// Moves the packages (and .changes/.buildinfo where made) from `from` to out.
// `globs` are relative to `from`.
std::vector<std::string> collect_command(const std::filesystem::path& from, const std::filesystem::path& out,
                                         const std::vector<std::string>& globs);

// dh_builddeb and the packages' own rules call dpkg-deb, which takes the
// compressor from the environment (dpkg >= 1.21.10; older ones ignore it).
void set_dpkg_deb_compression(BuildPlan& plan, const BuildRequest& req);

// The build copy of a Debian or Ubuntu tree under the plan's work dir:
// dpkg-buildpackage writes to `..` and the vendors' rules into the tree, so
// a copy keeps the user's tree (and its parent) as they were. Its path.
std::filesystem::path add_build_copy(BuildPlan& plan, const BuildRequest& req);

// In a chroot: the :native markings into the build copy, then apt-get
// build-dep on it. The chroot was prepared with these build-dependencies
// (deps/build_deps_chroot), so this installs nothing unless the tree changed
// since; it is the check that the chroot has what the tree asks for.
void add_native_markings(BuildPlan& plan, const BuildRequest& req, const std::filesystem::path& src);
void add_build_dep(BuildPlan& plan, const BuildRequest& req, const std::filesystem::path& src);

// Quick builds of Debian and Ubuntu trees: the copy's changelog gets the
// +quick version (the vendors' rules take every package version from it).
void add_quick_changelog_version(BuildPlan& plan, const BuildRequest& req, const std::filesystem::path& changelog);

// Quick builds: the module list (lsmod's layout) as a data file, and the
// check that `flavour`'s requested settings survived localmodconfig in
// `config` (a .config). Returns the list's path.
std::filesystem::path add_quick_list(BuildPlan& plan, const BuildRequest& req);
void add_quick_check(BuildPlan& plan, const BuildRequest& req, const std::string& flavour,
                     const std::filesystem::path& config);

}  // namespace kf::plan_steps
