// Kernel .config files and Kconfig fragments.
#pragma once

#include "base/error.hpp"

#include <unordered_map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kf {

// One symbol's setting: name with its CONFIG_ prefix, value as Kconfig
// writes it ("y", "m", "n" for `# … is not set`, "100", "\"text\"").
struct ConfigSetting {
    std::string name;
    std::string value;
};

// A .config as `make` writes it. Other lines (comments) are ignored, as
// Ubuntu's tool and Kconfig itself ignore them.
struct DotConfig {
    std::vector<ConfigSetting> settings;  // file order, a later duplicate replaces the earlier value
    // name -> position in settings; transparent, so a string_view finds without a copy
    struct NameHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, size_t, NameHash, std::equal_to<>> index;

    const std::string* find(std::string_view name) const;
    void set(ConfigSetting s);
};

DotConfig parse_dot_config(std::string_view text);

// A fragment a person wrote: every line must be `CONFIG_X=v`,
// `# CONFIG_X is not set`, a comment or blank; anything else is bad input
// naming `file` and the line.
Result<std::vector<ConfigSetting>> parse_fragment(std::string_view text, const std::string& file);

// One `--set` argument: `CONFIG_X=v` (the CONFIG_ prefix may be omitted).
Result<ConfigSetting> parse_setting(std::string_view text);

}  // namespace kf
