// Upstream kernel trees (no debian/): `new` writes the flavour into
// <tree>/kflavour/ and resolves it per arch; `config resolve` re-resolves a
// stored flavour. The flavours themselves: tree/upstream_store.
#pragma once

#include "base/os.hpp"
#include "base/process.hpp"
#include "base/report.hpp"
#include "config/kconfig.hpp"
#include "rt/rt_patch_source.hpp"
#include "tree/new_plan.hpp"
#include "tree/resolve_run.hpp"
#include "tree/tree.hpp"
#include "tree/upstream_flavour.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kf::sys {

struct UpstreamNewOptions {
    std::optional<std::string> base_config;  // --base-config TARGET|FILE (required)
    bool no_resolve = false;
    bool allow_dropped = false;
    std::optional<std::string> rt_patch;  // --rt-patch SOURCE (docs/rt.md)
    std::optional<std::string> keyring;   // --keyring FILE: check the RT patch's .sign
    bool dry_run = false;
};

struct UpstreamNewOutcome {
    UpstreamNewRequest request;
    UpstreamNewPlan plan;                               // plan.edits: every file written (or to write)
    std::map<std::string, std::string> resolved_files;  // arch -> its resolved config, relative to the tree
    std::optional<RtPatchOutcome> patch;
    bool nothing_to_do = false;
};

// `kflavour new` on an upstream tree: the flavour file, its fragment (and a
// copy of a base config file), the RT patch's edits, then Kconfig per arch
// into kflavour/NAME/ARCH.config; all written at once, or nothing (and
// nothing with dry_run).
Result<UpstreamNewOutcome> new_upstream_flavour(ProcessRunner& runner, const Os& os, const Reporter& report,
                                                const Tree& tree, const NewRequest& request,
                                                const UpstreamNewOptions& options);

struct UpstreamResolveRequest {
    std::string arch, flavour;
    std::vector<ConfigSetting> extra;  // --def/--fragment/--set: added to the stored fragment first
    bool allow_dropped = false;
    bool dry_run = false;
};

struct UpstreamResolveOutcome {
    UpstreamFlavour flavour;
    EditSet edits;  // the resolved config (and the fragment when `extra` grew it)
    std::filesystem::path config;
    size_t requested = 0;
    ResolveOutcome resolve;
};

// `kflavour config resolve` on an upstream tree: re-resolve from the stored flavour.
Result<UpstreamResolveOutcome> resolve_upstream_flavour(ProcessRunner& runner, const Os& os, const Reporter& report,
                                                        const Tree& tree, const UpstreamResolveRequest& request);

}  // namespace kf::sys
