// One flavour through the kernel's Kconfig: export from the annotations,
// apply the requested settings, `make olddefconfig` out of tree, check what
// survived, import back. Shared by `config resolve` and `new`.
#pragma once

#include "base/os.hpp"
#include "base/edit_set.hpp"
#include "base/process.hpp"
#include "base/report.hpp"
#include "config/kbuild.hpp"
#include "config/resolve_plan.hpp"
#include "tree/annotations.hpp"
#include "tree/upstream_flavour.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kf::sys {

struct ResolveTimings {
    double export_ms = 0;  // export + apply the requested settings
    double make_ms = 0;    // make olddefconfig (Kconfig itself)
    double tool_ms = 0;    // dpkg-architecture and the like (not Kconfig, not kflavour)
    double lookup_ms = 0;  // reading Kconfig entries of symbols that didn't survive
    double import_ms = 0;  // import + canonical write
    double own_ms() const { return export_ms + lookup_ms + import_ms; }
};

struct ResolveOutcome {
    std::string resolved_config;           // the .config Kconfig wrote
    std::vector<DroppedSymbol> dropped;    // allowed with --allow-dropped (entries point into `index`)
    std::vector<std::string> unknown;      // symbols with no Kconfig entry
    std::vector<std::string> changed;      // CONFIG_X=v the resolve changed beyond the request
    KconfigIndex index;
    ResolveTimings timings;
};

// Resolve (arch, flavour) of `annotations` in place (import_config), with
// `requested` applied before Kconfig. Dropped symbols are an error (exit 2)
// unless `allow_dropped`; unknown symbols are warnings (to `report`).
Result<ResolveOutcome> resolve_flavour(ProcessRunner& runner, const Os& os, const Reporter& report,
                                       Annotations& annotations,
                                       const std::string& arch, const std::string& flavour,
                                       const std::vector<ConfigSetting>& requested,
                                       const std::filesystem::path& source, bool allow_dropped);

// `config resolve` on an Ubuntu tree: resolve_flavour on the tree's
// annotations (`annotations`, read from `file` as `before`), then the
// annotations file rewritten (not with `dry_run`). `edits` is empty when the
// flavour was already resolved.
struct AnnotationsResolveOutcome {
    EditSet edits;
    ResolveOutcome resolve;
};
Result<AnnotationsResolveOutcome> resolve_annotations_file(ProcessRunner& runner, const Os& os, const Reporter& report,
                                                           Annotations& annotations, const std::filesystem::path& file,
                                                           const std::string& arch, const std::string& flavour,
                                                           const std::vector<ConfigSetting>& requested,
                                                           const std::filesystem::path& source, bool allow_dropped,
                                                           bool dry_run);

// Upstream trees: the base config (`make TARGET` in the scratch dir, or
// `base_file_content`), `requested` applied, `make olddefconfig`, the same
// checks as resolve_flavour. ARCH from upstream_make_arch (amd64 → x86_64).
// A failing base target is bad input (exit 2) showing make's output.
// `resolved_config` is the result; nothing is written here.
Result<ResolveOutcome> resolve_upstream(ProcessRunner& runner, const Os& os, const Reporter& report,
                                        const std::filesystem::path& source, const std::string& arch,
                                        const std::string& flavour, const BaseConfig& base,
                                        const std::string& base_file_content,
                                        const std::vector<ConfigSetting>& requested, bool allow_dropped);

// "timing: …" line for -v and the bench.
std::string describe_timings(const ResolveTimings& t);

}  // namespace kf::sys
