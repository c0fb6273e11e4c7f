// What `kflavour new` gathers from outside core: the flavour definition,
// fragments, the maintainer and the date (environment, git, libapt-pkg).
#pragma once

#include "tree/changelog.hpp"
#include "base/error.hpp"
#include "tree/flavour_def.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf::cli {

// Where `--def NAME` looks: $KFLAVOUR_FLAVOURS_DIR, the source tree's
// flavours/, the installed data dir's flavours/.
std::vector<std::filesystem::path> flavour_search_dirs();

// `--def NAME|FILE`, parsed with libapt-pkg.
Result<FlavourDef> load_flavour_def(const std::string& name_or_file);

// Settings of `--fragment FILE`.
Result<std::vector<ConfigSetting>> load_fragment(const std::filesystem::path& file);

// DEBFULLNAME/DEBEMAIL, else git config of the repository at `tree`.
Result<Maintainer> find_maintainer(const std::filesystem::path& tree);

// Now, or SOURCE_DATE_EPOCH (in UTC) when set, as an RFC 2822 date.
Result<std::string> changelog_date();

}  // namespace kf::cli
