// What `deps` and `build` share about a tree's Build-Depends: which file
// holds them, the apt lists that judge them (a directory, or a cached
// chroot's, extracted once), and the control file a build copy needs.
#pragma once

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/os.hpp"
#include "base/process.hpp"
#include "chroot/chroot.hpp"
#include "deps/apt_lists.hpp"
#include "deps/deps_fix.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf::sys {

// Ubuntu: $DEBIAN/control.stub.in; Debian or any source package: debian/control.
Result<std::filesystem::path> control_file(const std::filesystem::path& tree);

// Where the Multi-Arch answers come from.
struct ArchiveLists {
    std::optional<ScratchDir> scratch;  // a chroot's extracted lists, removed at the end
    AptListsSource source;
    std::optional<ChrootInfo> chroot;  // the chroot they came from, if one
};

// The apt lists kept in `chroot`'s tarball, extracted to a scratch dir.
// `build_arch` answers lookups (empty: the chroot's first arch).
Result<ArchiveLists> chroot_lists(ProcessRunner& runner, const ChrootInfo& chroot, const std::string& build_arch);

// Which lists to judge by: a directory of apt lists, else a cached chroot by
// name, else the suite's chroot.
struct ListsChoice {
    std::optional<std::filesystem::path> apt_lists;
    std::optional<std::string> chroot, suite;
    std::filesystem::path chroot_cache;
};
// The lists `choice` names; `if_neither` when it names none.
Result<ArchiveLists> load_archive_lists(ProcessRunner& runner, const Os& os, const ListsChoice& choice,
                                        const std::string& build_arch, Error if_neither);

// `text` (the content of `file`) as a build copy needs it, judged by the
// apt lists in `chroot` (extracted once): without the build-dependencies a
// later release retired (templates/retired-build-deps) that the chroot's
// archive lacks, each added to `dropped`; for a cross build, with the
// :native markings added. `text` itself when nothing changes.
Result<std::string> build_copy_control(ProcessRunner& runner, const Os& os, const std::filesystem::path& file,
                                       const std::string& text, const ChrootInfo& chroot, bool cross,
                                       std::vector<RetiredDep>& dropped);

}  // namespace kf::sys
