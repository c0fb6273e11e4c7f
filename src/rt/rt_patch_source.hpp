// `kflavour new … --rt-patch SOURCE`: find the RT patch for a tree in
// SOURCE, fetch it, check its signature and that it applies, and compute
// the patched files, without touching the tree (docs/rt.md). The caller
// writes the result together with the flavour's files, all or nothing.
#pragma once

#include "base/edit_set.hpp"
#include "base/error.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kf::sys {

struct RtPatchRequest {
    std::string source;                      // a directory, a patch file, a series directory, an http(s) URL
    std::optional<std::filesystem::path> keyring;  // --keyring: check the .sign with gpgv
    std::filesystem::path tree;              // the kernel tree (its Makefile gives the version)
    std::filesystem::path scratch;           // an empty scratch directory the caller removes
};

// What `new` records in the flavour and reports.
struct RtPatchOutcome {
    std::string name;    // "patch-6.1.176-rt64.patch.xz", or "series" for a quilt directory
    std::string source;  // the source as given, a local path made absolute
    std::string sha256;  // of the uncompressed patch (a series: its patches concatenated in order)
    std::string reason;  // why this one (the matching rule's words)
    std::vector<std::string> skipped;  // candidates tried first that did not apply, with why
    bool already_applied = false;      // the tree has it: nothing to write
    std::string signature;             // "good signature (gpgv): …", or why none was checked
    size_t files = 0;                  // files the patch touches
    EditSet edits;                     // the patched files (empty when already applied)
};

using RtProgress = std::function<void(const std::string&)>;

// Hold an InterruptGuard around it: a SIGINT/SIGTERM then stops it with
// exit 128+N and the tree untouched (the caller removes `scratch`).
Result<RtPatchOutcome> prepare_rt_patch(ProcessRunner& runner, const RtPatchRequest& request, const RtProgress& progress);

// A copy of `tree` made of symbolic links, with `edits` written as real
// files: what Kconfig reads to resolve a flavour on the patched tree before
// the tree itself is patched.
Status make_shadow_tree(const std::filesystem::path& tree, const EditSet& edits, const std::filesystem::path& shadow);

}  // namespace kf::sys
