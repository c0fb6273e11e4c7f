#include "core/kconfig.hpp"

#include "base/text.hpp"

#include <cctype>

namespace kf {
namespace {

bool is_symbol_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// "CONFIG_X=value" -> setting; the name must be CONFIG_ followed by [A-Za-z0-9_]+.
bool parse_assignment(std::string_view line, ConfigSetting& out) {
    if (!starts_with(line, "CONFIG_")) return false;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 7) return false;
    for (size_t i = 7; i < eq; ++i)
        if (!is_symbol_char(line[i])) return false;
    out.name = std::string(line.substr(0, eq));
    out.value = std::string(line.substr(eq + 1));
    return true;
}

// "# CONFIG_X is not set" -> setting with value "n".
bool parse_not_set(std::string_view line, ConfigSetting& out) {
    constexpr std::string_view suffix = " is not set";
    if (!starts_with(line, "# CONFIG_") || line.size() <= 2 + suffix.size() ||
        line.substr(line.size() - suffix.size()) != suffix)
        return false;
    std::string_view name = line.substr(2, line.size() - 2 - suffix.size());
    for (size_t i = 7; i < name.size(); ++i)
        if (!is_symbol_char(name[i])) return false;
    if (name.size() <= 7) return false;
    out.name = std::string(name);
    out.value = "n";
    return true;
}

}  // namespace

const std::string* DotConfig::find(std::string_view name) const {
    auto it = index.find(name);
    return it == index.end() ? nullptr : &settings[it->second].value;
}

void DotConfig::set(ConfigSetting s) {
    auto [it, inserted] = index.emplace(s.name, settings.size());
    if (inserted) settings.push_back(std::move(s));
    else settings[it->second].value = std::move(s.value);
}

DotConfig parse_dot_config(std::string_view text) {
    DotConfig config;
    config.settings.reserve(text.size() / 24);  // ~10k settings in a distribution config
    config.index.reserve(text.size() / 24);
    for (std::string_view line : split_lines(text)) {
        ConfigSetting s;
        if (parse_assignment(line, s) || parse_not_set(line, s)) config.set(std::move(s));
    }
    return config;
}

Result<std::vector<ConfigSetting>> parse_fragment(std::string_view text, const std::string& file) {
    DotConfig settings;  // a later line for the same symbol wins, as in Kconfig
    int number = 0;
    for (std::string_view raw : split_lines(text)) {
        ++number;
        std::string_view line = trim(raw);
        ConfigSetting s;
        if (parse_assignment(line, s) || parse_not_set(line, s)) {
            if (s.value.empty())
                return bad_input("empty value for " + s.name + " (use '# " + s.name + " is not set')", file, number);
            settings.set(std::move(s));
            continue;
        }
        // Blank lines and prose comments are fine; a comment that looks like a
        // half-written setting is not, nor is anything else.
        if (line.empty() || (line[0] == '#' && line.find("CONFIG_") == std::string_view::npos)) continue;
        return bad_input("not a Kconfig setting (expected 'CONFIG_X=v' or '# CONFIG_X is not set'): '" +
                             std::string(line) + "'",
                         file, number);
    }
    return std::move(settings.settings);
}

Result<ConfigSetting> parse_setting(std::string_view text) {
    std::string full(text);
    if (!starts_with(full, "CONFIG_")) full = "CONFIG_" + full;
    ConfigSetting s;
    if (!parse_assignment(full, s) || s.value.empty())
        return bad_input("--set expects CONFIG_X=value, got '" + std::string(text) + "'");
    return s;
}

}  // namespace kf
