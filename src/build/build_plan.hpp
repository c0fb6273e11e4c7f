// `kflavour build`, the pure part: from what to build (tree kind, flavours,
// mode, arches) to the exact commands, grouped in stages, with their
// environment. The executor (build/build_run) renders the plan into
// reproduce.sh and runs that script, so what ran is what the user can re-run.
#pragma once

#include "base/arch.hpp"
#include "base/error.hpp"
#include "build/compile_tools.hpp"
#include "tree/tree.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// native: build = host; cross: --host A, the build machine's compiler targets A;
// emulated: --arch A, everything runs in an A chroot through qemu-user.
enum class BuildMode { native, cross, emulated };
std::string_view to_string(BuildMode mode);

// Debian's own kernel packaging (debian/config): the one flavour a build
// makes, as test-patches builds one, and the file its config ends with.
struct DebianFlavourBuild {
    std::string arch, featureset = "none", flavour;
    bool toml = false;         // trixie's defines.toml (else bookworm's INI defines)
    std::string abiname;       // 6.1.0-53: the release is ABINAME[-FEATURESET]-FLAVOUR
    std::string last_kconfig;  // the last KCONFIG file of the flavour (relative): a quick build's reduced config goes here
    std::string fragment;      // its own config.FLAVOUR among them (relative), or empty: what a quick build must keep
};

struct BuildRequest {
    TreeKind kind = TreeKind::upstream;
    std::filesystem::path tree;        // absolute
    std::string debian_name;           // Ubuntu: $DEBIAN ("debian.master")
    std::vector<std::string> flavours;  // Ubuntu/upstream; at least one there
    BuildMode mode = BuildMode::native;
    std::string build_arch;  // the build machine (cross) / chroot (emulated) arch
    ArchNames host;          // what the packages run on
    int jobs = 1;
    std::optional<std::filesystem::path> ccache_dir;  // empty: no ccache
    bool full = false;                     // Ubuntu: no fast/offline knobs
    std::filesystem::path out;             // absolute
    std::string package_version;           // upstream: KDEB_PKGVERSION; Ubuntu: the changelog's
    std::string changelog_version;         // Ubuntu: the changelog's top version (package_version adds +quick)
    std::string kernel_release_base;       // upstream: 6.1.192 (release = base + "-" + flavour)
    std::string build_timestamp;           // upstream: KBUILD_BUILD_TIMESTAMP (empty: kbuild's own)
    std::vector<std::string> dkms_knobs;   // Ubuntu: do_dkms_* variables of the arch's rules.d
    bool in_chroot = false;                // Debian/Ubuntu trees: check (install) Build-Depends first
    // Debian/Ubuntu builds in a chroot: the tree's control file as the build
    // needs it (path relative to the tree, new bytes): the :native markings
    // of a cross build, the retired build-dependencies the chroot's release
    // lacks left out. Put into the build copy only; empty: nothing to change.
    std::string native_control_path;
    std::string native_control_text;
    // Debian/Ubuntu trees in a chroot: the chroot was prepared with the
    // build-dependencies (false: the build installs them in its own copy).
    bool build_deps_prepared = true;
    // Quick builds (upstream trees, --modules-from): the module list in
    // lsmod's layout (empty: the full flavour), and per flavour the Kconfig
    // fragment it requests, which must survive the reduction.
    std::string quick_lsmod;
    std::map<std::string, std::string> quick_requested;
    std::string compression;               // dpkg-deb -Z for the packages; empty: dpkg-deb's default
    // --distcc: the farm (empty: compile here); any: build even when a host
    // fails the check.
    std::vector<DistccHost> distcc_hosts;
    bool distcc_any = false;
    // Upstream trees: the patches the flavours record (`new --rt-patch`),
    // one line each, for reproduce.sh and manifest.json.
    std::vector<std::string> applied_patches;
    // Debian kernel trees with --flavour: the flavour (its build profiles
    // follow from mode and `full`: debian_kernel_profiles).
    std::optional<DebianFlavourBuild> debian_flavour;
};

// The build profiles a request builds with and installs build-dependencies
// for: a Debian kernel flavour's, else build_profiles(cross).
std::vector<std::string> request_profiles(const BuildRequest& req);

struct BuildStep {
    std::string stage;  // prepare, config, compile, package, collect
    std::vector<std::string> argv;
    std::map<std::string, std::string> env;  // on top of the plan's env
    std::filesystem::path cwd;               // empty: the script's
};

struct BuildPlan {
    std::vector<BuildStep> steps;
    std::map<std::string, std::string> env;  // for every step
    std::string path_prepend;                // a directory put first in PATH (ccache's compiler links)
    std::vector<std::string> knobs;          // shown in the log (Ubuntu fast knobs)
    std::filesystem::path work;              // scratch under out, removed after collect
    std::vector<std::string> releases;       // kernel releases built (6.1.192-tickless)
    // Files the script needs besides itself: path -> content (mode 0755).
    std::map<std::filesystem::path, std::string> helper_files;
    // Data the script writes beside them (mode 0644): a file a tool must not
    // take for a program (localmodconfig runs an executable LSMOD file).
    std::map<std::filesystem::path, std::string> data_files;
    // Logs the build's compile front ends write (empty: not used): ccache's
    // per-build counters and distcc's own messages.
    std::filesystem::path ccache_stats_log;
    std::filesystem::path distcc_log;
};

// Bad input (empty flavour list, spaces in paths the kernel's make can't
// take, an unknown arch) as an Error; otherwise the plan.
Result<BuildPlan> plan_build(const BuildRequest& req);

// The plan as a bash script with `::kflavour-stage NAME` markers; `header`
// (comment lines) goes on top, `prologue` (shell) before the first step.
std::string render_script(const BuildPlan& plan, std::string_view header, std::string_view prologue = {});
// Every command with its environment, for --dry-run.
std::string render_dry_run(const BuildPlan& plan);
// The stage a marker line announces, or empty.
std::string_view stage_marker(std::string_view line);

// The do_dkms_* variables a rules.d/<arch>.mk sets (Ubuntu), in file order.
std::vector<std::string> dkms_variables(std::string_view rules_mk);

// The script run by dpkg-buildpackage's buildinfo hook in a cross build of
// an upstream tree: rebuild the headers package's host programs (fixdep,
// modpost, …) for the target with Linux's own external-module machinery
// and repack it, before .buildinfo/.changes record its checksums.
std::string fix_headers_script(const BuildRequest& req, const std::filesystem::path& objtree);
// The same repair for an Ubuntu cross build, run after the binary targets:
// Ubuntu's rules build linux-headers-<abi>-<flavour>'s scripts/ for the build
// machine. `src` is the build copy; its debian/build/build-<flavour> the objtree.
std::string ubuntu_fix_headers_script(const BuildRequest& req, const std::filesystem::path& src, const std::string& flavour);

}  // namespace kf
