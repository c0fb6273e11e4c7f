// libgit2 wrappers. Each object is owned by a RAII handle.
#pragma once

#include "base/error.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace kf::sys {

// A value of the user's git configuration (`user.name`, …) as git itself
// would read it for a repository at `dir` (repo config, then global, system).
std::optional<std::string> git_config_value(const std::filesystem::path& dir, const std::string& key);

}  // namespace kf::sys
