// What `kflavour new` (and `config`, `publish`) gather besides the tree: the
// flavour definition, fragments, the maintainer and the date (environment,
// git, libapt-pkg); and the one way a `new` plan reaches the tree.
#pragma once

#include "tree/changelog.hpp"
#include "base/error.hpp"
#include "tree/flavour_def.hpp"
#include "tree/new_plan.hpp"
#include "base/os.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf::sys {

// Where `--def NAME` looks: $KFLAVOUR_FLAVOURS_DIR, the source tree's
// flavours/, the installed data dir's flavours/.
std::vector<std::filesystem::path> flavour_search_dirs(const Os& os);

// `--def NAME|FILE`, parsed with libapt-pkg.
Result<FlavourDef> load_flavour_def(const Os& os, const std::string& name_or_file);

// Settings of `--fragment FILE`.
Result<std::vector<ConfigSetting>> load_fragment(const std::filesystem::path& file);

// What a user asks of a flavour's config, in the order later settings win:
// the definition (--def), --fragment files, --set lines.
struct SettingSources {
    std::optional<std::string> def;                 // --def NAME|FILE
    std::vector<std::filesystem::path> fragments;   // --fragment FILE
    std::vector<std::string> sets;                  // --set NAME=VALUE
    // With none of the three: the definition of this name, when one exists
    // (`config resolve` of flavour F reads flavours/F.flavour).
    std::optional<std::string> default_def;
};
struct RequestedSettings {
    std::optional<FlavourDef> def;         // the definition read, if any
    std::vector<ConfigSetting> settings;   // all of them, in order
};
Result<RequestedSettings> load_requested_settings(const Os& os, const SettingSources& sources);

// DEBFULLNAME/DEBEMAIL, else git config of the repository at `tree`.
Result<Maintainer> find_maintainer(const Os& os, const std::filesystem::path& tree);

// Now (in local time), or SOURCE_DATE_EPOCH (in UTC) when set, as an RFC 2822 date.
Result<std::string> changelog_date(const Os& os);

// The services a `new` plan asks for: libdpkg's version checks, the
// maintainer of `tree`, the changelog date.
Result<PlanServices> new_plan_services(const Os& os, const std::filesystem::path& tree);

// Unless `dry_run` or the plan has nothing to do: check that every file
// can be written, then apply the edits all or nothing.
Status apply_new_plan(const NewPlan& plan, bool dry_run);

}  // namespace kf::sys
