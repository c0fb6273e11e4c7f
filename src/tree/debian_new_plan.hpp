// `kflavour new NAME` on Debian's own kernel packaging, as a plan: the
// flavour's entry in the arch's defines (INI or TOML), its config fragment
// and a changelog entry, all into one EditSet. Nothing is written here;
// debian/control is regenerated from the plan by Debian's own gencontrol.py
// (new/debian_new).
#pragma once

#include "tree/debian_defines.hpp"
#include "tree/new_plan.hpp"

#include <string>
#include <vector>

namespace kf {

struct DebianNewRequest {
    NewRequest flavour;                  // name, settings, suffix, force; base empty: the arch's default flavour
    std::string featureset = "none";
};

// The first line of every config fragment kflavour writes: how a re-run
// tells its own flavour from one of Debian's.
std::string debian_fragment_marker(const std::string& flavour);

// The version kflavour gives the tree: `<base>a~<suffix>` (as Debian's
// test-patches' `a~test`). It sorts after the base and before any Debian
// successor (-2, +debNuM), and, with its `~`, does not move bookworm's ABI
// number (gencontrol counts the entries without one).
std::string debian_local_version(const std::string& base, const std::string& suffix);

Result<NewPlan> plan_debian_flavour(const DebianTree& tree, const DebianNewRequest& request,
                                    const PlanServices& services);

}  // namespace kf
