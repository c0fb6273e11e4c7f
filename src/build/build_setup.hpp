// What `build` decides before the plan: the mode (native, cross, emulated)
// from --host/--arch, the tree (a kernel tree or any Debian source package),
// the target suite, the output's label, the packages' compression, and the
// chroot the build runs in (made or reused).
#pragma once

#include "base/arch.hpp"
#include "base/error.hpp"
#include "base/os.hpp"
#include "base/process.hpp"
#include "base/report.hpp"
#include "build/build_plan.hpp"
#include "build/build_run.hpp"
#include "chroot/chroot.hpp"
#include "tree/tree.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace kf::sys {

struct BuildSelection {
    BuildMode mode = BuildMode::native;
    std::string build_arch;  // the machine's; an emulated build's is the target's
    ArchNames host;
};

// --host (cross), --arch (emulated) or neither (native) on a machine of `native_arch`.
Result<BuildSelection> select_build_mode(const std::string& native_arch, const std::string& host,
                                         const std::string& arch, bool native_flag);

// A kernel tree (detect_tree), or any Debian source package: debian/control
// and an executable debian/rules build with dpkg-buildpackage.
Result<Tree> build_tree(const std::filesystem::path& root);

// The release the packages are for: the changelog's distribution (unstable
// is sid; UNRELEASED says nothing), else this machine's.
std::string default_build_suite(const Tree& tree);

// "tickless-arm64": the flavours (or the tree's name), a Debian flavour's
// featureset other than none, and the host arch.
std::string build_label(const BuildRequest& req, const std::filesystem::path& root);

// `given` (--compress), else the fastest compressor both the building
// dpkg-deb (of `build_suite`) and the target's dpkg know; "" for dpkg-deb's default.
std::string deb_compression(const std::optional<std::string>& given, const std::string& build_suite,
                            const std::string& target);

// The chroot a request builds in when none is named: the suite's, with the
// packages the tree kind's build and the compile tools need.
ChrootSpec build_chroot_spec(const BuildRequest& req, const std::string& suite, const std::string& native_arch,
                             const std::string& keyring);

// The chroot to build in: `name` when given (from the cache), else `spec`'s
// (created when missing, unless dry_run); with the tree, the output dir and
// the ccache dir bound.
Result<BuildChroot> prepare_build_chroot(ProcessRunner& runner, const Os& os, const Reporter& report,
                                         const BuildRequest& req, const std::optional<std::string>& name,
                                         const ChrootSpec& spec, bool dry_run,
                                         const ProcessRunner::OutputSink& output);

// How reproduce.sh runs kflavour again to enter the chroot:
// $KFLAVOUR_SELF when set, else this program's own file.
std::string kflavour_reentry(const Os& os);

// The run's title and the manifest's fields that the request decides.
BuildRun build_run_for(const BuildRequest& req, TreeKind kind, const std::string& machine_arch,
                       const std::string& modules_from);

}  // namespace kf::sys
