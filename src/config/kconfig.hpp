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

// Bounds on what kflavour writes: real symbols are under 64 characters and
// real values (command lines, firmware lists) under 1 KiB.
inline constexpr size_t kMaxSymbolName = 128;
inline constexpr size_t kMaxConfigValue = 4096;

// A .config that `make` wrote, read leniently (Kconfig ignores other lines).
DotConfig parse_dot_config(std::string_view text);

// A .config a user hands kflavour (config import): every line a setting, a
// comment or blank, every value a Kconfig value, at least one setting.
Result<DotConfig> parse_config_file(std::string_view text, const std::string& file);

// The value is one Kconfig accepts (y/m/n, number, hex, "string"), within
// the bounds above, without control characters.
Status check_value(const ConfigSetting& s, const std::string& file = {}, int line = 0);

// A fragment a person wrote: every line must be `CONFIG_X=v`,
// `# CONFIG_X is not set`, a comment or blank; anything else is bad input
// naming `file` and the line.
Result<std::vector<ConfigSetting>> parse_fragment(std::string_view text, const std::string& file);

// One `--set` argument: `CONFIG_X=v` (the CONFIG_ prefix may be omitted).
Result<ConfigSetting> parse_setting(std::string_view text);

}  // namespace kf
