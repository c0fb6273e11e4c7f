// `kflavour new NAME` on an Ubuntu tree, as a plan: every new file content
// computed first into one EditSet, nothing written here.
#pragma once

#include "tree/changelog.hpp"
#include "base/edit_set.hpp"
#include "base/error.hpp"
#include "config/kconfig.hpp"
#include "tree/tree.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

struct NewRequest {
    std::string name;
    std::string base = "generic";
    std::vector<std::string> arches;  // empty: every arch of the base
    std::optional<std::string> supported, target;  // vars fields (from the definition)
    std::map<std::string, std::string> vars;       // more vars fields
    std::vector<ConfigSetting> settings;           // definition, --fragment files, --set: in that order
    std::map<std::string, std::string> notes;      // CONFIG_X → note (from the definition)
    std::optional<std::string> summary;            // the definition's Description: first line
    std::string version_suffix;                    // empty: NAME1
    bool force = false;
};

// What the plan needs from outside core: libdpkg and the environment.
struct PlanServices {
    std::function<Status(std::string_view)> check_version;
    std::function<int(std::string_view, std::string_view)> compare_versions;
    std::function<Result<Maintainer>()> maintainer;
    std::string date;  // RFC 2822, for the changelog
};

struct NewPlan {
    EditSet edits;
    bool nothing_to_do = false;     // the flavour exists exactly as requested
    std::vector<std::string> arches;
    std::string version;            // the new changelog version (empty when nothing to do)
    std::vector<std::string> changes;  // "CONFIG_X=v" where the flavour differs from its base
};

// A flavour name must fit in a Debian package name: [a-z0-9][a-z0-9.+-]*.
// Longest flavour name accepted (Ubuntu's are under 20 characters).
inline constexpr size_t kMaxFlavourName = 40;
// Longest --version-suffix (it goes into every package version).
inline constexpr size_t kMaxVersionSuffix = 32;
Status check_flavour_name(std::string_view name);

Result<NewPlan> plan_new_flavour(const Tree& tree, const NewRequest& request, const PlanServices& services);

}  // namespace kf
