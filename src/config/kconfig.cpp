#include "config/kconfig.hpp"

#include "base/text.hpp"

#include <algorithm>
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

bool is_number(std::string_view v) {
    if (!v.empty() && v[0] == '-') v.remove_prefix(1);
    return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_hex(std::string_view v) {
    if (v.size() < 3 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X')) return false;
    return std::all_of(v.begin() + 2, v.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// "text" with every inner '"' and '\' escaped, as Kconfig writes strings.
bool is_kconfig_string(std::string_view v) {
    if (v.size() < 2 || v.front() != '"' || v.back() != '"') return false;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
        if (v[i] == '"') return false;
        if (v[i] == '\\' && ++i + 1 >= v.size()) return false;
    }
    return true;
}

Status check_value(const ConfigSetting& s, const std::string& file, int line) {
    auto bad = [&](const std::string& why) {
        return bad_input(s.name + "=" + quote_input(s.value) + ": " + why, file, line);
    };
    if (s.name.size() > kMaxSymbolName) return bad("symbol name too long");
    if (s.value.size() > kMaxConfigValue)
        return bad("value too long (at most " + std::to_string(kMaxConfigValue) + " bytes)");
    for (char c : s.value)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return bad("control character in the value");
    const std::string_view v = s.value;
    if (v == "y" || v == "m" || v == "n" || is_number(v) || is_hex(v) || is_kconfig_string(v)) return ok_status();
    return bad("not a Kconfig value (y, m, n, a number, 0x… or a \"quoted string\")");
}

Result<DotConfig> parse_config_file(std::string_view text, const std::string& file) {
    DotConfig config;
    int number = 0;
    for (std::string_view line : split_lines(text)) {
        ++number;
        ConfigSetting s;
        if (parse_assignment(line, s) || parse_not_set(line, s)) {
            KF_TRY_STATUS(check_value(s, file, number));
            config.set(std::move(s));
        } else if (!trim(line).empty() && line[0] != '#') {
            return bad_input("not a .config line: " + quote_input(line), file, number);
        }
    }
    if (config.settings.empty()) return bad_input("no CONFIG_ settings: not a kernel .config", file);
    return config;
}

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
            KF_TRY_STATUS(check_value(s, file, number));
            settings.set(std::move(s));
            continue;
        }
        // Blank lines and prose comments are fine; a comment that looks like a
        // half-written setting is not, nor is anything else.
        if (line.empty() || (line[0] == '#' && line.find("CONFIG_") == std::string_view::npos)) continue;
        return bad_input("not a Kconfig setting (expected 'CONFIG_X=v' or '# CONFIG_X is not set'): " +
                             quote_input(line),
                         file, number);
    }
    return std::move(settings.settings);
}

Result<ConfigSetting> parse_setting(std::string_view text) {
    std::string full(text);
    if (!starts_with(full, "CONFIG_")) full = "CONFIG_" + full;
    ConfigSetting s;
    if (!parse_assignment(full, s) || s.value.empty())
        return bad_input("--set expects CONFIG_X=value, got " + quote_input(text));
    KF_TRY_STATUS(check_value(s, "--set", 0));
    return s;
}

}  // namespace kf
