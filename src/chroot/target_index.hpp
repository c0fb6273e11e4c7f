// Where the target release's package index comes from: Packages files given
// by the user, the apt lists of a kflavour chroot (extracted from its
// tarball), or this machine's own apt lists for that suite.
#pragma once

#include "base/error.hpp"
#include "chroot/chroot.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace kf::sys {

struct IndexFiles {
    std::vector<std::filesystem::path> files;
    std::string origin;               // "chroot bookworm-amd64+arm64", "/var/lib/apt/lists", "--packages"
    std::shared_ptr<ScratchDir> scratch;  // keeps extracted lists alive (ScratchDir cannot be move-assigned)
};

// The `binary-HOST` Packages lists of `chroot`, extracted to a scratch dir.
Result<IndexFiles> chroot_index_files(ProcessRunner& runner, const ChrootInfo& chroot, const std::string& host);

// This machine's lists (`lists_dir`, normally /var/lib/apt/lists) of
// `suite`, `suite-updates` and `suite-security` for `host`; none is bad input.
Result<IndexFiles> host_index_files(const std::filesystem::path& lists_dir, const std::string& suite, const std::string& host);

}  // namespace kf::sys
