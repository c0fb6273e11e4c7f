// toml++ is used in this file only, header-only with exceptions off (errors
// are values; the packaged library is built with them on).
#define TOML_EXCEPTIONS 0
#define TOML_HEADER_ONLY 1
#include "tree/debian_toml.hpp"

#include "base/text.hpp"

#include <toml++/toml.h>

namespace kf {
namespace {

Result<toml::table> parse(std::string_view text, const std::string& file) {
    toml::parse_result parsed = toml::parse(text, file);
    if (!parsed) {
        const auto& err = parsed.error();
        return bad_input("not valid TOML: " + std::string(err.description()), file, int(err.source().begin.line));
    }
    return std::move(parsed).table();
}

std::vector<std::string> names_in(const toml::array* tables) {
    std::vector<std::string> out;
    if (!tables) return out;
    for (const auto& node : *tables)
        if (const auto* t = node.as_table())
            if (auto name = (*t)["name"].value<std::string>()) out.push_back(*name);
    return out;
}

Status each_named(const toml::array* tables, const char* what, const std::string& file) {
    if (!tables) return ok_status();
    for (const auto& node : *tables) {
        const auto* t = node.as_table();
        if (!t || !(*t)["name"].value<std::string>())
            return bad_input(std::string("a [[") + what + "]] without a name", file, int(node.source().begin.line));
    }
    return ok_status();
}

std::vector<std::string> string_list(const toml::node_view<const toml::node> node) {
    std::vector<std::string> out;
    if (const auto* a = node.as_array())
        for (const auto& item : *a)
            if (auto s = item.value<std::string>()) out.push_back(*s);
    return out;
}

}  // namespace

Result<TomlRootDefines> parse_root_defines_toml(std::string_view text, const std::string& file) {
    KF_TRY(toml::table root, parse(text, file));
    TomlRootDefines out;
    const toml::array* kernelarchs = root["kernelarch"].as_array();
    KF_TRY_STATUS(each_named(kernelarchs, "kernelarch", file));
    if (kernelarchs)
        for (const auto& node : *kernelarchs)
            for (auto& arch : names_in((*node.as_table())["debianarch"].as_array())) out.arches.push_back(arch);
    KF_TRY_STATUS(each_named(root["featureset"].as_array(), "featureset", file));
    out.featuresets = names_in(root["featureset"].as_array());
    return out;
}

Result<TomlArchDefines> parse_arch_defines_toml(std::string_view text, const std::string& file) {
    KF_TRY(toml::table root, parse(text, file));
    TomlArchDefines out;
    const toml::array* flavours = root["flavour"].as_array();
    KF_TRY_STATUS(each_named(flavours, "flavour", file));
    if (flavours)
        for (const auto& node : *flavours) {
            const toml::table& t = *node.as_table();
            out.flavours.push_back({*t["name"].value<std::string>(), t["defs"]["is_default"].value_or(false),
                                    string_list(t["build"]["config"])});
        }
    const toml::array* featuresets = root["featureset"].as_array();
    KF_TRY_STATUS(each_named(featuresets, "featureset", file));
    if (featuresets)
        for (const auto& node : *featuresets) {
            const toml::table& t = *node.as_table();
            out.featuresets.push_back({*t["name"].value<std::string>(), names_in(t["flavour"].as_array())});
        }
    return out;
}

std::string toml_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string toml_append_flavour(std::string_view text, std::string_view name,
                                const std::vector<std::pair<std::string, std::string>>& build,
                                const std::vector<std::pair<std::string, std::string>>& description) {
    std::string out(text);
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!out.empty()) out += '\n';
    out += "[[flavour]]\nname = " + toml_string(name) + "\n";
    if (!build.empty()) out += "[flavour.build]\n";
    for (const auto& [k, v] : build) out += k + " = " + v + "\n";
    if (!description.empty()) out += "[flavour.description]\n";
    for (const auto& [k, v] : description) out += k + " = " + toml_string(v) + "\n";
    return out;
}

namespace {

// A table header line ("[x]", "[[x.y]]"): its dotted name, else empty.
std::string_view header_name(std::string_view line) {
    line = trim(line);
    if (!starts_with(line, "[")) return {};
    const bool array = starts_with(line, "[[");
    const size_t open = array ? 2 : 1;
    const size_t close = line.find(array ? "]]" : "]", open);
    return close == std::string_view::npos ? std::string_view{} : trim(line.substr(open, close - open));
}

// The value of a `name = '…'` or `name = "…"` line, else empty.
std::string_view name_value(std::string_view line) {
    line = trim(line);
    if (!starts_with(line, "name")) return {};
    line = trim(line.substr(4));
    if (!starts_with(line, "=")) return {};
    line = trim(line.substr(1));
    if (line.size() < 2 || (line.front() != '\'' && line.front() != '"') || line.back() != line.front()) return {};
    return line.substr(1, line.size() - 2);
}

}  // namespace

Result<std::string> toml_add_featureset_flavour(std::string_view text, const std::string& featureset,
                                                std::string_view name, const std::string& file) {
    const auto lines = split_lines(text);
    size_t start = lines.size();
    for (size_t i = 0; i + 1 < lines.size() && start == lines.size(); ++i)
        if (header_name(lines[i]) == "featureset" && trim(lines[i]).starts_with("[["))
            for (size_t j = i + 1; j < lines.size() && header_name(lines[j]).empty(); ++j)
                if (name_value(lines[j]) == featureset) start = i;
    if (start == lines.size())
        return bad_input("no [[featureset]] " + quote_input(featureset) + " in the arch's defines.toml", file);
    size_t end = start + 1;  // the first line after the featureset's own tables
    bool overrides = false;
    for (; end < lines.size(); ++end) {
        std::string_view h = header_name(lines[end]);
        if (h.empty()) continue;
        if (!starts_with(h, "featureset.")) break;
        if (h == "featureset.flavour") overrides = true;
    }
    if (!overrides) return std::string(text);
    while (end > start + 1 && trim(lines[end - 1]).empty()) --end;  // before the blank lines that part blocks
    std::string out;
    for (size_t i = 0; i <= lines.size(); ++i) {
        if (i == end) out += "\n[[featureset.flavour]]\nname = " + toml_string(name) + "\n";
        if (i < lines.size()) out += std::string(lines[i]) + "\n";
    }
    if (!text.empty() && text.back() != '\n') out.pop_back();
    return out;
}

}  // namespace kf
