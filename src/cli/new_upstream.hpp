// Upstream kernel trees (no debian/): `new`, `config resolve|export|check`
// and `list` on the flavours kept in <tree>/kflavour/ (tree/upstream_flavour).
#pragma once

#include "cli/app.hpp"
#include "config/kconfig.hpp"
#include "tree/new_plan.hpp"
#include "tree/tree.hpp"
#include "tree/upstream_flavour.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kf::cli {

struct UpstreamNewOptions {
    std::optional<std::string> base_config;  // --base-config TARGET|FILE (required)
    bool no_resolve = false;
    bool allow_dropped = false;
    std::optional<std::string> rt_patch;  // --rt-patch SOURCE (docs/rt.md)
    std::optional<std::string> keyring;   // --keyring FILE: check the RT patch's .sign
};

// `kflavour new` on an upstream tree: the flavour file, its fragment (and a
// copy of a base config file), then Kconfig per arch into
// kflavour/NAME/ARCH.config; all written at once, or nothing.
Status run_new_upstream(Context& ctx, const Tree& tree, const NewRequest& request, const UpstreamNewOptions& options);

// `kflavour config resolve` on an upstream tree: re-resolve from the stored
// flavour. `extra` settings (--def/--fragment/--set) are added to the
// stored fragment first.
Status run_resolve_upstream(Context& ctx, const Tree& tree, const std::string& arch, const std::string& flavour,
                            const std::vector<ConfigSetting>& extra, bool allow_dropped);

// The resolved .config of (arch, flavour): bad input when the flavour or the
// arch is unknown or not resolved yet.
Result<std::string> upstream_resolved_config(const Tree& tree, const std::string& arch, const std::string& flavour);

// Every kflavour/*.flavour of the tree, by name.
Result<std::map<std::string, UpstreamFlavour>> load_upstream_flavours(const Tree& tree);

}  // namespace kf::cli
