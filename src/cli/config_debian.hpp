// `kflavour config export|resolve` on Debian's own kernel packaging: the
// work is tree/debian_config_run's; this prints the config or what the
// resolve kept and dropped.
#pragma once

#include "cli/app.hpp"
#include "config/kconfig.hpp"
#include "tree/debian_config_run.hpp"
#include "tree/tree.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf::cli {

Status run_export_debian(Context& ctx, const Tree& tree, const sys::DebianConfigTarget& target);

Status run_resolve_debian(Context& ctx, const Tree& tree, const sys::DebianConfigTarget& target,
                          const std::vector<ConfigSetting>& requested, const std::filesystem::path& source,
                          bool allow_dropped);

}  // namespace kf::cli
