// Debian's INI-style kernel defines (bookworm's debian/config/**/defines):
// `[section]` headers, `key: value` lines whose value may go on over indented
// lines, `#` comments. Read for facts, edited as text so every other byte stays.
#pragma once

#include "base/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

struct IniKey {
    std::string name;
    std::vector<std::string> words;  // the value's words, over all of its lines
    size_t end = 0;                  // offset just past the value's last line
};

struct IniSection {
    std::string name;
    int line = 0;
    size_t end = 0;  // offset just past its last key (or its header)
    std::vector<IniKey> keys;
    const IniKey* key(std::string_view name) const;
};

struct IniFile {
    std::vector<IniSection> sections;
    const IniSection* section(std::string_view name) const;
    // The words of [section] key, empty when either is missing.
    std::vector<std::string> words(std::string_view section, std::string_view key) const;
};

// A line that is none of the above is bad input naming file:line.
Result<IniFile> parse_ini(std::string_view text, const std::string& file);

// `text` with `word` added as a new last line of [section] key; the key is
// added to the section, or the section to the end, when missing.
std::string ini_add_word(std::string_view text, const IniFile& ini, std::string_view section, std::string_view key,
                         std::string_view word);

// `text` with [name] and its `key: value` lines appended (after one blank line).
std::string ini_append_section(std::string_view text, std::string_view name,
                               const std::vector<std::pair<std::string, std::string>>& keys);

}  // namespace kf
