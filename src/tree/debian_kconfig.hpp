// A Debian flavour's config as Debian's build makes it: the files gencontrol
// lists in debian/rules.gen (KCONFIG of the debian/build/config.A_FS_F
// target: common, kernel-arch, arch, flavour, featureset, in Debian's order
// and with the defines' `configs` overrides), merged later-wins as Debian's
// debian/bin/kconfig.py merges them.
#pragma once

#include "base/error.hpp"
#include "config/kconfig.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kf {

// The KCONFIG files (paths relative to the tree root) of one flavour. A
// flavour rules.gen does not know is bad input naming `file`.
Result<std::vector<std::string>> debian_kconfig_files(std::string_view rules_gen, const std::string& arch,
                                                      const std::string& featureset, const std::string& flavour,
                                                      const std::string& file);

// The flavour's ABINAME (6.1.0-53), from the same rules.gen target.
Result<std::string> debian_abiname(std::string_view rules_gen, const std::string& arch, const std::string& featureset,
                                   const std::string& flavour, const std::string& file);

// The merge: each file's `CONFIG_X=v` and `# CONFIG_X is not set` lines,
// a later file's setting replacing an earlier one in place.
DotConfig merge_debian_configs(const std::vector<std::string>& texts);

}  // namespace kf
