// `kflavour publish`'s effects: the repository's lock, its pool, the meta
// packages built with dpkg-deb, the indexes made by apt-ftparchive and signed
// by gpg in a new generation directory, and the one rename that shows them.
//
// Layout: REPO/pool/… (the .debs), REPO/dists → .kflavour/gen/N/dists (a
// symlink), REPO/.kflavour/{lock,cache/,gen/N/{dists/,state.json,lists/}}.
// Clients read through the dists symlink: replacing it is one rename, so they
// see the old generation or the new one, never a mix.
#pragma once

#include "base/error.hpp"
#include "publish/repo_state.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kf::publish {

struct SetInputFile {
    std::filesystem::path file;
    SetPackage package;
};

struct PublishRequest {
    std::filesystem::path repo;
    std::string suite, component = "main";
    std::vector<SetInputFile> files;     // the set's .debs
    std::vector<std::string> flavours;   // the build manifest's, to tell the flavour from the release
    std::optional<int> keep;
    std::optional<std::string> cmdline;  // nullopt: as before; "": remove linux-F-cmdline
    // Without cmdline, for a flavour the suite has no linux-F-cmdline for yet:
    // the arguments its definition gives (`Cmdline:`), if any.
    std::function<std::optional<std::string>(const std::string& flavour)> default_cmdline;
    std::string signing_key;             // a fingerprint; empty: unsigned
};

struct PublishOutcome {
    bool changed = false;
    SetKernel kernel;
    int generation = 0;
    size_t pool_files_added = 0, pool_files_removed = 0;
    std::vector<std::string> dropped_versions;  // by --keep
};

using Report = std::function<void(const std::string&)>;

// Bad input when `repo` is a file, or a directory that is neither empty nor a
// kflavour repository, or a path apt's config can't take ('"', newline).
Status check_repo_path(const std::filesystem::path& repo);

// The fingerprint of the secret key gpg would sign with: `key` (an id,
// fingerprint or user id), or the first secret key when `key` is empty.
Result<std::string> signing_fingerprint(sys::ProcessRunner& runner, const std::string& key);

// Adds the set; does nothing (changed = false) when the repository already
// says exactly this.
Result<PublishOutcome> run_publish(const PublishRequest& request, sys::ProcessRunner& runner, const Report& report);

// The repository's current state (empty for a new one).
Result<RepoState> current_state(const std::filesystem::path& repo);

// gpg's binary export of `fingerprint`, written to `to` (for /etc/apt/keyrings/).
Status export_keyring(sys::ProcessRunner& runner, const std::string& fingerprint, const std::filesystem::path& to);

}  // namespace kf::publish
