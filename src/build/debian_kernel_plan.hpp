// Building one flavour of Debian's own kernel packaging (debian/config), the
// way Debian's debian/bin/test-patches does: the build copy gets a
// debian/config.local that keeps one featureset and one flavour of the host
// arch, Debian's own gencontrol regenerates debian/control and rules.gen
// there, and dpkg-buildpackage -b builds it with profiles that leave out
// what was not asked for. Pure: text and argv.
#pragma once

#include "base/error.hpp"
#include "build/build_plan.hpp"

#include <map>
#include <string>
#include <vector>

namespace kf {

// The profiles of a Debian kernel flavour build: no documentation, udebs,
// linux-source, debug packages, debug info or meta packages, and the tools
// cut to linux-kbuild (pkg.linux.mintools); `full` keeps them all. Cross
// builds add cross and nocheck.
std::vector<std::string> debian_kernel_profiles(bool cross, bool full);

// debian/config.local of the build copy (path relative to the tree, text):
// the host arch builds `featureset` only, and that featureset `flavour` only.
std::map<std::string, std::string> debian_config_local(const DebianFlavourBuild& flavour);

// The script that regenerates debian/control and debian/rules.gen in the
// build copy with the tree's own gencontrol (debian/rules debian/control-real,
// which fails on purpose after writing them) and checks that rules.gen now
// sets up exactly the flavour: args ARCH FEATURESET FLAVOUR.
std::string debian_regenerate_control_script();

// The plan (TreeKind::debian with req.debian_flavour): prepare (copy,
// config.local, a quick build's changelog version), deps (build-dep with the
// profiles), control (regenerated), config (quick builds: Debian's own setup
// of the flavour, localmodconfig on it, the check, the reduced config as the
// flavour's last config file), compile (dpkg-buildpackage -b), collect.
Result<BuildPlan> plan_debian_kernel(const BuildRequest& req);

}  // namespace kf
