// Debian's TOML kernel defines (trixie's debian/config/**/defines.toml),
// read with toml++ and edited by appending tables, so every other byte stays.
#pragma once

#include "base/error.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kf {

// debian/config/defines.toml: the Debian arches ([[kernelarch]] →
// [[kernelarch.debianarch]]) and the featuresets.
struct TomlRootDefines {
    std::vector<std::string> arches;
    std::vector<std::string> featuresets;
};

struct TomlFlavour {
    std::string name;
    bool is_default = false;
    std::vector<std::string> configs;  // [flavour.build] config
};

struct TomlFeatureset {
    std::string name;
    std::vector<std::string> flavours;  // [[featureset.flavour]]; empty: the arch's own
};

// debian/config/<arch>/defines.toml.
struct TomlArchDefines {
    std::vector<TomlFlavour> flavours;
    std::vector<TomlFeatureset> featuresets;
};

Result<TomlRootDefines> parse_root_defines_toml(std::string_view text, const std::string& file);
Result<TomlArchDefines> parse_arch_defines_toml(std::string_view text, const std::string& file);

// A TOML basic string: "text" with \ and " escaped.
std::string toml_string(std::string_view text);

// `text` with a [[flavour]] table appended: its name, [flavour.build] (the
// `build` pairs, values already TOML) and [flavour.description].
std::string toml_append_flavour(std::string_view text, std::string_view name,
                                const std::vector<std::pair<std::string, std::string>>& build,
                                const std::vector<std::pair<std::string, std::string>>& description);

// `text` with `name` added to the flavours the [[featureset]] `featureset`
// overrides the arch's with ([[featureset.flavour]] tables, inserted after
// that featureset's last line). A featureset without an override list
// already has every [[flavour]] of the arch: `text` unchanged. Bad input
// when the file declares no such featureset.
Result<std::string> toml_add_featureset_flavour(std::string_view text, const std::string& featureset,
                                                std::string_view name, const std::string& file);

}  // namespace kf
