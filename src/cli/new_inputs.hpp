// What `kflavour new` gathers from outside core: the flavour definition,
// fragments, the maintainer and the date (environment, git, libapt-pkg).
#pragma once

#include "tree/changelog.hpp"
#include "base/error.hpp"
#include "tree/flavour_def.hpp"
#include "tree/new_plan.hpp"
#include "cli/app.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf::cli {

// Where `--def NAME` looks: $KFLAVOUR_FLAVOURS_DIR, the source tree's
// flavours/, the installed data dir's flavours/.
std::vector<std::filesystem::path> flavour_search_dirs(const sys::Os& os);

// `--def NAME|FILE`, parsed with libapt-pkg.
Result<FlavourDef> load_flavour_def(const sys::Os& os, const std::string& name_or_file);

// Settings of `--fragment FILE`.
Result<std::vector<ConfigSetting>> load_fragment(const std::filesystem::path& file);

// DEBFULLNAME/DEBEMAIL, else git config of the repository at `tree`.
Result<Maintainer> find_maintainer(const sys::Os& os, const std::filesystem::path& tree);

// Now (in local time), or SOURCE_DATE_EPOCH (in UTC) when set, as an RFC 2822 date.
Result<std::string> changelog_date(const sys::Os& os);

// The services a `new` plan asks for: libdpkg's version checks, the
// maintainer of `tree`, the changelog date.
Result<PlanServices> new_plan_services(const sys::Os& os, const std::filesystem::path& tree);

// --dry-run: the plan's diff (not with --json); else apply it (unless there
// is nothing to do), all or nothing.
Status show_or_apply(const Context& ctx, const NewPlan& plan, const std::filesystem::path& root);

}  // namespace kf::cli
