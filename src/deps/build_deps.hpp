// The build-dependencies of a Debian or Ubuntu tree, installed the way sbuild
// does it (apt-get build-dep on the tree's own control file, cross with
// --host-architecture and the cross profile), into a chroot kept in the cache
// under a name derived from what it was prepared for. Pure: text and argv.
#pragma once

#include "tree/tree.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kf {

struct BuildDepsSpec {
    std::string base_chroot;              // the cached chroot the packages go on top of
    std::string host;                     // cross builds: the host arch; empty: native
    std::vector<std::string> profiles;    // build profiles in force (cross builds: cross, nocheck)
    // The source stanza's Build-Depends, Build-Depends-Arch and
    // Build-Depends-Indep (those present), :native markings already applied.
    std::vector<std::pair<std::string, std::string>> fields;
    // Only what the arch-dependent packages need: see arch_only_build_deps.
    bool arch_only = false;
};

// Whether a tree of `kind` is built with its arch-dependent build-dependencies
// only (apt-get build-dep --arch-only, as sbuild's --no-arch-all): Ubuntu's
// binary targets make no documentation, so Build-Depends-Indep is not asked for.
inline bool arch_only_build_deps(TreeKind kind) { return kind == TreeKind::ubuntu; }

// The build profiles a build in `mode` runs with: cross builds "cross,nocheck"
// (what sbuild and dpkg-buildpackage use), native builds none.
std::vector<std::string> build_profiles(bool cross);

// A debian/control with just those fields (empty ones left out), for
// apt-get build-dep DIR (build and deps check).
std::string build_deps_control(const BuildDepsSpec& spec);

// BASE-bdXXXXXXXX: the hash covers the base, host, profiles and fields, so
// the same tree on the same base finds its prepared chroot again and any
// change of its Build-Depends makes a new one.
std::string prepared_chroot_name(const BuildDepsSpec& spec);

// apt-get build-dep for the source in `dir`, as a build runs it.
std::vector<std::string> build_dep_command(const std::string& host, const std::vector<std::string>& profiles,
                                           const std::string& dir, bool arch_only = false);

// The shell script that prepares a chroot: fresh lists, the build-deps of
// the control file in `dir`, the host libc for cross builds (sbuild adds it
// too), and no downloaded .debs or control file left behind.
std::string build_deps_script(const BuildDepsSpec& spec, const std::string& dir);

// From apt's output: the lines that say what cannot be installed and why
// (the unmet-dependency chain and the E: lines), in order.
std::vector<std::string> unmet_dependency_lines(std::string_view apt_output);

}  // namespace kf
