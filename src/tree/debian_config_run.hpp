// `config export|resolve|check` on Debian's own kernel packaging: the
// flavour's config is the merge of the files gencontrol lists for it in
// debian/rules.gen (tree/debian_kconfig); resolve runs a kernel source's
// Kconfig over it and names every requested setting that did not survive.
// Nothing is written into the tree: Debian's build resolves at build time.
#pragma once

#include "base/os.hpp"
#include "base/process.hpp"
#include "base/report.hpp"
#include "config/kconfig.hpp"
#include "tree/resolve_run.hpp"
#include "tree/tree.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kf::sys {

struct DebianConfigTarget {
    std::string arch, featureset, flavour;
};

// The merged config, in Debian's order (common, kernel-arch, arch, featureset, flavour).
Result<DotConfig> debian_flavour_config(const Tree& tree, const DebianConfigTarget& target);

// The merged config with `requested` applied, through the Kconfig of `source`.
Result<ResolveOutcome> resolve_debian_flavour(ProcessRunner& runner, const Os& os, const Reporter& report,
                                              const Tree& tree, const DebianConfigTarget& target,
                                              const std::vector<ConfigSetting>& requested,
                                              const std::filesystem::path& source, bool allow_dropped);

}  // namespace kf::sys
