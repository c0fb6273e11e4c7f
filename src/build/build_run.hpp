// Running a build plan: the output directory (reproduce.sh first, build.log,
// the packages, manifest.json last), the script run directly or in a
// throw-away chroot copy, stage status lines, and Ctrl-C.
#pragma once

#include "build/build_plan.hpp"
#include "base/error.hpp"
#include "base/os.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kf::sys {

struct BuildChroot {
    std::string name;
    std::string suite;
    std::filesystem::path tarball;
    std::vector<std::filesystem::path> binds;  // same path inside
    std::string base;  // a chroot prepared with build-dependencies: the one it was made from
    bool cached = false;  // prepared with build-dependencies: the tarball exists already
};

struct BuildRun {
    BuildPlan plan;
    std::filesystem::path out;
    std::string title;                      // "tickless for arm64, cross from amd64"
    std::optional<BuildChroot> chroot;      // empty: --no-chroot
    std::string kflavour = "kflavour";      // how reproduce.sh re-enters a chroot
    std::map<std::string, std::string> manifest_fields;  // mode, suite, … (strings)
    std::vector<std::string> header_notes;  // more "# " lines for reproduce.sh's header (the RT patch)
};

struct BuiltPackage {
    std::string file;  // name in out
    std::string package, version, architecture;
    uintmax_t size = 0;
    std::string sha256;
};

struct BuildOutcome {
    std::vector<BuiltPackage> packages;
    std::vector<std::string> other_files;  // .changes, .buildinfo
    std::vector<std::pair<std::string, double>> stages;  // name, seconds
    double seconds = 0;
    std::optional<CcacheCounts> ccache;    // with ccache: this build's hits and misses
    std::optional<DistccFallbacks> distcc;  // with distcc: compiles that ran here instead
    std::string manifest;                   // out/manifest.json as written
};

// Called when a stage ends: its name and its seconds.
using StageSink = std::function<void(const std::string& stage, double seconds)>;

// The content of reproduce.sh for `run`.
std::string reproduce_script(const BuildRun& run);

// Writes out/reproduce.sh, runs it (log in out/build.log), collects, writes
// out/manifest.json. Failure: the error carries the log's last 30 lines and
// its path; out/.work is kept for inspection. Interrupt: exit 128+signal,
// out/.work removed, no manifest.
Result<BuildOutcome> run_build(ProcessRunner& runner, const Os& os, const BuildRun& run, const StageSink& on_stage);

// The directories to bind into a chroot so `tree` is usable there: the tree
// and where its top-level symlinks point (a symlink farm over a kernel source).
std::vector<std::filesystem::path> tree_binds(const std::filesystem::path& tree);

// This machine's release codename (/etc/os-release VERSION_CODENAME), e.g. bookworm.
std::string native_suite();

// name_version_arch.deb → package, version, arch (dpkg-deb's file naming).
bool parse_deb_file_name(const std::string& file, BuiltPackage& into);

}  // namespace kf::sys
