// The PREEMPT_RT patch for a kernel tree older than 6.12 (docs/rt.md):
// which file of a kernel.org-shaped RT directory fits the tree, and why.
// Pure: names and texts in, a ranked choice out; rt/rt_patch_source
// lists, fetches, checks and applies.
#pragma once

#include "base/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// An upstream kernel version X.Y.Z (Z = 0 for "X.Y").
struct KernelVersion {
    int major = 0, minor = 0, sublevel = 0;
    std::string text() const;  // "6.1.192"
    auto operator<=>(const KernelVersion&) const = default;
};

// The tree's upstream version from its top Makefile's VERSION, PATCHLEVEL
// and SUBLEVEL: vendor versions (Ubuntu's 5.4.0-200.220, Debian's
// 6.1.192-3) say nothing reliable about the sublevel, the Makefile does.
Result<KernelVersion> tree_kernel_version(std::string_view makefile);

// One RT patch file of a kernel.org RT directory:
// patch-X.Y[.Z][-rcK]-rtN.patch[.xz|.gz], top level or under older/.
struct RtPatchName {
    std::string path;  // as listed: "patch-6.1.176-rt64.patch.xz", "older/patch-…"
    KernelVersion version;
    bool rc = false;   // a -rcK release: never chosen
    int rt = 0;        // N of -rtN
    std::string compression;  // "xz", "gz" or "" (plain)
};
std::optional<RtPatchName> parse_rt_patch_name(std::string_view path);

// "xz" or "gz" when `name` ends in .xz or .gz, else "" (a plain patch).
std::string compression_of(std::string_view name);

// A candidate to try, best first, with the reason it is where it is.
struct RtCandidate {
    RtPatchName patch;
    std::string reason;
};

// The matching rule, over every listed file name (others are ignored):
//   1. the tree's exact X.Y.Z;
//   2. else the newest stable -rtN of the same X.Y with a lower sublevel;
//   never a higher sublevel, never -rc; among several -rtN of one version
//   the highest N first. The rest of the list is what to try when the first
//   does not apply. Bad input naming what was there when nothing fits.
Result<std::vector<RtCandidate>> rank_rt_patches(const std::vector<std::string>& listed, const KernelVersion& tree,
                                                 const std::string& source);

// The file names an HTTP directory index links to (href="…"), in order,
// without query strings, parent links or absolute URLs to elsewhere.
std::vector<std::string> index_links(std::string_view html);

// The files `patch --dry-run` says it would touch ("checking file X"),
// each once, first-seen order.
std::vector<std::string> patched_files(std::string_view dry_run_output);

// A quilt series file: the patch names in order (comments, blank lines and
// per-patch options after the name left out). Bad input for a name that
// leaves the series directory or a -pN other than -p1.
Result<std::vector<std::string>> quilt_series(std::string_view text, const std::string& file);

}  // namespace kf
