#include "tree/debian_ini.hpp"

#include "base/text.hpp"

namespace kf {

const IniKey* IniSection::key(std::string_view wanted) const {
    for (const auto& k : keys)
        if (k.name == wanted) return &k;
    return nullptr;
}

const IniSection* IniFile::section(std::string_view wanted) const {
    // Python's configparser merges a repeated section; Debian's files don't repeat them.
    for (const auto& s : sections)
        if (s.name == wanted) return &s;
    return nullptr;
}

std::vector<std::string> IniFile::words(std::string_view section_name, std::string_view key_name) const {
    const IniSection* s = section(section_name);
    const IniKey* k = s ? s->key(key_name) : nullptr;
    return k ? k->words : std::vector<std::string>{};
}

namespace {

bool is_comment(std::string_view line) {
    auto t = trim(line);
    return t.empty() || t[0] == '#' || t[0] == ';';
}

size_t line_end(std::string_view text, std::string_view line) {
    size_t end = size_t(line.data() - text.data()) + line.size();
    return end < text.size() ? end + 1 : end;  // past the newline
}

}  // namespace

Result<IniFile> parse_ini(std::string_view text, const std::string& file) {
    IniFile ini;
    IniKey* current = nullptr;
    int number = 0;
    for (auto line : split_lines(text)) {
        ++number;
        if (is_comment(line)) continue;
        if (line[0] == ' ' || line[0] == '\t') {
            if (!current) return bad_input("an indented line that continues no key", file, number);
            for (auto& w : split_words(line)) current->words.push_back(w);
            current->end = line_end(text, line);
            ini.sections.back().end = current->end;
            continue;
        }
        if (line[0] == '[') {
            auto t = trim(line);
            if (t.back() != ']' || t.size() < 3) return bad_input("a section header without its ']'", file, number);
            ini.sections.push_back({std::string(t.substr(1, t.size() - 2)), number, line_end(text, line), {}});
            current = nullptr;
            continue;
        }
        size_t colon = line.find_first_of(":=");
        if (colon == std::string_view::npos || trim(line.substr(0, colon)).empty())
            return bad_input("not a `key: value` line, a [section] or a comment", file, number);
        if (ini.sections.empty()) return bad_input("a key before any [section]", file, number);
        IniSection& s = ini.sections.back();
        s.keys.push_back({std::string(trim(line.substr(0, colon))), split_words(line.substr(colon + 1)),
                          line_end(text, line)});
        current = &s.keys.back();
        s.end = current->end;
    }
    return ini;
}

std::string ini_add_word(std::string_view text, const IniFile& ini, std::string_view section, std::string_view key,
                         std::string_view word) {
    std::string out(text);
    const IniSection* s = ini.section(section);
    if (!s) {
        std::string block = "[" + std::string(section) + "]\n" + std::string(key) + ":\n " + std::string(word) + "\n";
        if (!out.empty() && out.back() != '\n') out += '\n';
        return out + (out.empty() ? "" : "\n") + block;
    }
    const IniKey* k = s->key(key);
    size_t at = k ? k->end : s->end;
    std::string insert = k ? " " + std::string(word) + "\n" : std::string(key) + ":\n " + std::string(word) + "\n";
    if (at > 0 && at == out.size() && out.back() != '\n') insert = "\n" + insert;
    out.insert(at, insert);
    return out;
}

std::string ini_append_section(std::string_view text, std::string_view name,
                               const std::vector<std::pair<std::string, std::string>>& keys) {
    std::string out(text);
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!out.empty()) out += '\n';
    out += "[" + std::string(name) + "]\n";
    for (const auto& [k, v] : keys) out += k + ": " + v + "\n";
    return out;
}

}  // namespace kf
