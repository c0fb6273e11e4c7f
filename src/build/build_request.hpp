// What a build request is filled with besides the options: the tree's own
// facts per kind (upstream, Ubuntu, Debian's kernel packaging), the module
// list of a quick build, the distcc farm, and the chroot prepared with a
// Debian or Ubuntu tree's own build-dependencies.
#pragma once

#include "base/error.hpp"
#include "base/os.hpp"
#include "base/process.hpp"
#include "base/report.hpp"
#include "build/build_plan.hpp"
#include "build/build_run.hpp"
#include "tree/tree.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kf::sys {

// Upstream trees: flavours (default: every one with a config for the host
// arch), the kernel release, the packages' version (`pkg_version`, else
// <release>-1), the build timestamp.
Status fill_upstream(const Os& os, BuildRequest& req, const std::string& pkg_version);

// Ubuntu trees: flavours (default: the host arch's), version, $DEBIAN, dkms knobs.
Status fill_ubuntu(BuildRequest& req, const Tree& tree);

// Debian's kernel packaging: the flavour (exactly one in req.flavours), its
// featureset, config files, ABI name, the changelog's version. Bad input
// names the arches, featuresets or flavours the defines declare, or says why
// debian/ is not Debian's kernel packaging.
Status fill_debian_kernel(BuildRequest& req, const Tree& tree, const std::string& featureset);

// What a quick build of a Debian flavour holds the reduction to: its own
// fragment (debian/config/…/config.F among its config files, as `new` writes
// it); a Debian flavour without one of its own asks for nothing beyond its base.
Status fill_debian_requested(BuildRequest& req);

// --modules-from FILE: the list, checked against the modules the tree
// builds, and what each flavour requests (an upstream flavour's fragment; an
// Ubuntu flavour's own annotations keys; a Debian flavour's config file).
// The set gets a +quick version so it can't pass for the full flavour.
Status fill_quick(const Reporter& report, BuildRequest& req, const Tree& tree, const std::filesystem::path& list_file);

// The distcc farm asked for: --distcc HOSTS, else $DISTCC_HOSTS; --no-distcc ignores both.
struct DistccChoice {
    bool off = false;                  // --no-distcc
    std::optional<std::string> hosts;  // --distcc HOSTS
    bool any = false;                  // --distcc-any
    bool jobs_given = false;           // -j: keep it, else -j from the farm's slots
};
// The hosts are what distcc itself reads from the string.
Status fill_distcc(ProcessRunner& runner, const Os& os, const Reporter& report, BuildRequest& req,
                   const DistccChoice& choice);

// Debian and Ubuntu trees in a chroot: the tree's own Build-Depends (with
// the :native markings a cross build needs, judged by the chroot's lists)
// installed with apt-get build-dep into a chroot prepared on top of `bc`,
// cached under a name derived from what it holds; the build runs there.
// Build-dependencies apt cannot install stop here, before anything compiles.
// With `dry_run`, only the names. `output` gets apt's output.
Status prepare_build_deps(ProcessRunner& runner, const Os& os, const Reporter& report, BuildRequest& req,
                          BuildChroot& bc, bool dry_run, const std::function<void(std::string_view)>& output);

// Seconds as m:ss, for the stage lines.
std::string clock_time(double secs);

}  // namespace kf::sys
