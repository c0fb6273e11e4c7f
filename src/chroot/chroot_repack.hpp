// Changing a cached chroot: unpack it, run a script inside, pack the result
// under a temporary name, and only then give it its final name. As root, or
// as an unprivileged user in a user namespace with the subuid/subgid ranges
// (unshare --map-auto), the same way. `chroot update` and the chroots
// prepared with a tree's build-dependencies both go through here.
#pragma once

#include "base/error.hpp"
#include "chroot/chroot.hpp"
#include "base/os.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kf::sys {

// A file of this machine copied into the chroot before the script runs.
struct CopyIn {
    std::filesystem::path from;  // on this machine
    std::string to;              // absolute, inside the chroot
};

// Extract `tarball` into `root`, copy the files in, run `script` inside
// (with /proc and /dev), remove the copied files and pack the result into
// `partial`. Exit 100: the packing failed (not the script).
Command repack_command(const std::filesystem::path& tarball, const std::filesystem::path& root,
                       const std::vector<CopyIn>& copy_in, const std::string& script,
                       const std::filesystem::path& partial, bool unprivileged);

// Runs repack_command in a scratch dir; on success `partial` holds the new
// tarball (the caller publishes it). Ctrl-C or a failure leaves no partial
// file; `what_failed` names the script's job in the error ("apt").
Result<ProcessOutput> repack_chroot(ProcessRunner& runner, const Os& os, const std::filesystem::path& tarball,
                                    const std::vector<CopyIn>& copy_in, const std::string& script,
                                    const std::filesystem::path& partial, const ProcessRunner::OutputSink& log);

// apt-get update + dist-upgrade inside NAME; the new tarball replaces the
// old one atomically. Root or unprivileged (subuid ranges).
Status update_chroot(ProcessRunner& runner, const Os& os, const std::filesystem::path& cache, const std::string& name,
                     const ProcessRunner::OutputSink& log);

}  // namespace kf::sys
