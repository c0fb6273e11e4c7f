// Build chroots: mmdebstrap tarballs in a cache directory, their names and
// metadata, and the command lines that make, update and enter them.
//
// Plans are pure (ChrootSpec -> argv, sources text); the executor functions
// take a ProcessRunner so tests can record the argv.
#pragma once

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/os.hpp"
#include "archive/suites.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf::sys {

using kf::Distro;
using kf::distro_of;

struct ChrootSpec {
    std::string suite;
    std::string arch;                // the chroot's own arch (empty: native_arch)
    std::string native_arch;         // the machine's (Os::native_arch): what is not foreign
    std::vector<std::string> hosts;  // foreign arches for cross builds (--host)
    bool qemu = false;               // arch is foreign and runs through qemu-user
    std::string mirror;              // empty: the distro's default
    std::string ports_mirror;        // Ubuntu, arches other than amd64/i386
    std::vector<std::string> includes;
    std::string variant = "buildd";
    bool check_signature = true;
    std::string keyring;  // the archive's keyring (--keyring); empty: the distro's default
    std::string name;  // empty: default_name()

    // The chroot's own arch: `arch`, else the machine's.
    const std::string& own_arch() const { return arch.empty() ? native_arch : arch; }
    // All arches, the chroot's own first.
    std::vector<std::string> arches() const;
    // Packages installed besides the variant: crossbuild-essential-<host>… then --include.
    std::vector<std::string> all_includes() const;
};

// suite-arch[+host…][-<8 hex digits of the include list>], e.g. bookworm-amd64+arm64.
std::string default_name(const ChrootSpec& spec);
// Names are file names: [A-Za-z0-9][A-Za-z0-9.+_-]*.
Status check_name(const std::string& name);

std::string default_mirror(Distro d, const std::string& arch);
std::string default_keyring(Distro d);
// The keyring mmdebstrap checks the archive with: --keyring, else the default.
std::string keyring_of(const ChrootSpec& spec);
// Before mmdebstrap runs: the keyring exists. A Debian machine has no
// Ubuntu archive keyring; the one-line error says where to get it.
Status check_keyring(const ChrootSpec& spec);

// The sources template an Ubuntu suite's chroot needs
// (templates/ubuntu.sources, shipped data); "" for a Debian suite.
Result<std::string> sources_template(const Os& os, const std::string& suite);

// Ubuntu: deb822 sources, archive for amd64/i386 and ports for the rest,
// each stanza limited to its arches; from `tmpl` (templates/ubuntu.sources).
std::string ubuntu_sources(const ChrootSpec& spec, const std::string& tmpl);

struct ChrootPaths {
    std::filesystem::path tarball;   // NAME.tar
    std::filesystem::path metadata;  // NAME.json
    std::filesystem::path sources;   // NAME.sources (Ubuntu)
    std::filesystem::path partial;   // .NAME.partial-PID.tar, renamed to tarball when complete
};
ChrootPaths chroot_paths(const std::filesystem::path& cache, const std::string& name);
// NAME's tarball is in the cache (complete: partial ones have other names).
bool chroot_cached(const std::filesystem::path& cache, const std::string& name);
// Gives the complete partial tarball its final name (readable by all).
Status publish_tarball(const ChrootPaths& paths);

// The mmdebstrap command line writing `target`; `sources_file` replaces the
// mirror argument when not empty (Ubuntu).
Command mmdebstrap_command(const ChrootSpec& spec, const std::filesystem::path& target,
                           const std::filesystem::path& sources_file);

// `arch-test ARCH`, and the text telling how to enable binfmt for it.
Command arch_test_command(const std::string& arch);
std::string binfmt_hint(const std::string& arch);

struct ChrootInfo {
    std::string name;
    std::string suite;
    std::vector<std::string> arches;
    std::vector<std::string> includes;
    std::string mirror;
    std::filesystem::path tarball;
    uintmax_t size = 0;
    double age_seconds = 0;
};

// The metadata file's content (JSON) for spec.
std::string chroot_metadata(const ChrootSpec& spec, const Command& mmdebstrap);

Result<std::vector<ChrootInfo>> list_chroots(const std::filesystem::path& cache);
Result<ChrootInfo> find_chroot(const std::filesystem::path& cache, const std::string& name);
// The cached chroot for a suite: its default native name if present, else
// the first chroot of that suite (name order). Not found: bad input with a hint.
Result<ChrootInfo> find_chroot_for_suite(const std::filesystem::path& cache, const std::string& suite,
                                         const std::string& native_arch);
// The chroot a command names: --chroot NAME, else --suite S's; neither is
// `if_neither` (each command words what else it accepts).
Result<ChrootInfo> named_chroot(const std::filesystem::path& cache, const std::optional<std::string>& name,
                                const std::optional<std::string>& suite, const std::string& native_arch,
                                Error if_neither);

struct CreateResult {
    std::string name;
    std::filesystem::path tarball;
    bool reused = false;  // it existed and --refresh was not given
    double seconds = 0;
};

// Create (or reuse) the chroot: arch-test for --qemu, sources file for
// Ubuntu, mmdebstrap into the partial file, metadata, rename. SIGINT/SIGTERM
// stop mmdebstrap, remove the partial file and fail with 128+signal.
// `log` receives mmdebstrap's output as it arrives (may be null).
Result<CreateResult> create_chroot(ProcessRunner& runner, const ChrootSpec& spec, const std::filesystem::path& cache,
                                   const std::string& sources_template, bool refresh,
                                   const ProcessRunner::OutputSink& log);

Status remove_chroot(const std::filesystem::path& cache, const std::string& name);

// Extract part of a tarball (members like "./var/lib/apt/lists") into dir.
Command extract_command(const std::filesystem::path& tarball, const std::filesystem::path& dir,
                        const std::vector<std::string>& members);

// The command that extracts a chroot's Packages lists into `dir`; they land
// in chroot_apt_lists(dir).
Command extract_apt_lists_command(const std::filesystem::path& tarball, const std::filesystem::path& dir);
std::filesystem::path chroot_apt_lists(const std::filesystem::path& dir);
// `chroot`'s Packages lists extracted into a scratch dir, at
// chroot_apt_lists(dir.path()): the one extraction deps and verify use. A
// tarball without lists fails with tar's words and the --refresh hint.
Result<ScratchDir> extract_apt_lists(ProcessRunner& runner, const ChrootInfo& chroot);

// Running commands in a throw-away copy of a chroot, as root: the tarball is
// extracted to a scratch dir and the command runs under
// `unshare --mount --pid --fork --kill-child` + `chroot`, with /proc, /dev
// and /sys of the host mounted and `binds` bind-mounted at the same path.
struct ChrootRun {
    std::filesystem::path tarball;
    std::vector<std::filesystem::path> binds;
    std::vector<std::string> argv;  // inside the chroot
    std::map<std::string, std::string> env;
};
// What every way into a throw-away chroot shares:
// `unshare` into new mount and PID namespaces (plus, for an unprivileged
// user, a user namespace with the subuid/subgid ranges), up to its "--";
std::vector<std::string> namespace_argv(bool unprivileged);
// the clean environment a command gets inside (`env -i PATH=… HOME=/root
// LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive`);
const std::vector<std::string>& chroot_env_argv();
// and the shell that sets `r` to `root`, extracts `tarball` there (without
// /dev's entries when `without_dev`: a user namespace can't make device
// nodes) and mounts /proc and the host's /dev, ending in "; ".
std::string unpack_and_mount_script(const std::filesystem::path& tarball, const std::filesystem::path& root,
                                    bool without_dev);

// The command run on the host once the tarball is extracted at `root`.
Command chroot_exec_command(const ChrootRun& run, const std::filesystem::path& root);
// The same for an unprivileged user with subuid/subgid ranges: everything
// (extract, mounts, chroot, removal) inside `unshare --map-auto --map-root-user`,
// the root at scratch/root.
Command chroot_exec_unprivileged_command(const ChrootRun& run, const std::filesystem::path& scratch);
// Removes scratch/root afterwards from a fresh user namespace (no mounts left
// there; outside it, subuid-owned files can't be removed).
Command chroot_cleanup_unprivileged_command(const std::filesystem::path& scratch);
// Extract, run (streaming output to `sink`), discard. As root, or as a user
// with subuid/subgid ranges (user namespace).
Result<ProcessOutput> run_in_chroot(ProcessRunner& runner, const Os& os, const ChrootRun& run,
                                    const ProcessRunner::OutputSink& sink);

}  // namespace kf::sys

namespace kf::sys {


// The command line `chroot shell` runs once the tarball is extracted at root.
Command shell_command(const std::filesystem::path& root, const std::string& term);

// Extracts the chroot to a scratch dir, runs an interactive shell, discards it.
Result<int> chroot_shell(ProcessRunner& runner, const Os& os, const std::filesystem::path& tarball);

}  // namespace kf::sys
