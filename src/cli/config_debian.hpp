// `kflavour config export|resolve|check` on Debian's own kernel packaging:
// the flavour's config is the merge of the files gencontrol lists for it in
// debian/rules.gen (tree/debian_kconfig); resolve runs a kernel source's
// Kconfig over it and names every requested setting that did not survive.
// Nothing is written into the tree: Debian's build resolves at build time.
#pragma once

#include "cli/app.hpp"
#include "config/kconfig.hpp"
#include "tree/tree.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf::cli {

struct DebianConfigTarget {
    std::string arch, featureset, flavour;
};

// Some(tree) when the -C tree is Debian's kernel packaging.
std::optional<Tree> debian_tree(const Context& ctx);

// The merged config, in Debian's order.
Result<DotConfig> debian_flavour_config(const Tree& tree, const DebianConfigTarget& target);

Status run_export_debian(Context& ctx, const Tree& tree, const DebianConfigTarget& target);

Status run_resolve_debian(Context& ctx, const Tree& tree, const DebianConfigTarget& target,
                          const std::vector<ConfigSetting>& requested, const std::filesystem::path& source,
                          bool allow_dropped);

}  // namespace kf::cli
