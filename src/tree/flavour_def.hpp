// Flavour definitions (flavours/<name>.flavour): a small deb822 paragraph
// plus a Kconfig fragment. docs/flavour-definitions.md describes the format.
#pragma once

#include "base/error.hpp"
#include "config/kconfig.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

struct FlavourDef {
    std::filesystem::path file;  // where it was read from
    std::string flavour;         // `Flavour:`
    std::optional<std::string> supported, target, description;
    std::optional<std::string> cmdline;       // `Cmdline:` kernel arguments publish's linux-F-cmdline defaults to
    std::map<std::string, std::string> vars;  // `Vars-X: v` → vars file key x
    std::filesystem::path fragment_file;      // empty when there is none
    std::vector<ConfigSetting> settings;      // the fragment's, file order
    std::map<std::string, std::string> notes; // CONFIG_X → note text
};

// A deb822 field as libapt-pkg hands it over (the CLI parses; core stays pure).
struct DefField {
    std::string name;
    std::string value;
};

using FileReader = std::function<Result<std::string>(const std::filesystem::path&)>;

// Build a definition from its first paragraph; the fragment is read with
// `read` relative to the definition's directory. Errors name the file.
Result<FlavourDef> make_flavour_def(const std::vector<DefField>& fields, const std::filesystem::path& file,
                                    const FileReader& read);

// `--def NAME|FILE`: a value with '/' or ending in ".flavour" is a file;
// otherwise NAME.flavour is looked up in `dirs`, first match wins.
Result<std::filesystem::path> find_flavour_def(std::string_view name_or_file,
                                               const std::vector<std::filesystem::path>& dirs);

// `Notes:` lines, each `CONFIG_X: text`.
Result<std::map<std::string, std::string>> parse_notes(std::string_view text, const std::string& file);

}  // namespace kf
