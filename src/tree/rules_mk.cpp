#include "tree/rules_mk.hpp"

#include "base/text.hpp"

#include <array>

namespace kf {
namespace {

bool is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-' || c == '+';
}

// `key = value` (also :=, ::=, +=, ?=). Sets key and the value's offset.
bool parse_assignment(std::string_view line, std::string* key, size_t* value_start) {
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string_view::npos || line[i] == '#') return false;
    size_t start = i;
    while (i < line.size() && is_name_char(line[i])) ++i;
    if (i == start) return false;
    size_t end = i;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    for (std::string_view op : {"::=", ":=", "+=", "?=", "="}) {
        if (line.substr(i, op.size()) == op) {
            i += op.size();
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
            *key = std::string(line.substr(start, end - start));
            *value_start = i;
            return true;
        }
    }
    return false;
}

bool continues(std::string_view line) { return !line.empty() && line.back() == '\\'; }

// Where a value on `line` ends: before a comment and trailing blanks.
size_t value_end(std::string_view line, size_t from) {
    size_t hash = line.find('#', from);
    size_t end = hash == std::string_view::npos ? line.size() : hash;
    while (end > from && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
    return end;
}

}  // namespace

bool is_per_flavour_variable(std::string_view name) {
    // Read through custom_override in Ubuntu's debian/rules.d/*.mk.
    static const std::array<std::string_view, 15> known = {
        "build_image", "kernel_file", "install_file", "vdso",        "loader",
        "dtb_files",   "no_dumpfile", "uefi_signed",  "opal_signed", "sipl_signed",
        "skipabi",     "skipmodule",  "skipretpoline", "skipconfig", "skipdbg"};
    for (auto k : known)
        if (name == k) return true;
    return starts_with(name, "do_") && name.size() > 3;
}

Result<RulesMk> RulesMk::parse(std::string_view text, const std::string& file) {
    RulesMk mk;
    mk.final_newline_ = text.empty() || text.back() == '\n';
    std::vector<std::string_view> lines = split_lines(text);
    for (size_t i = 0; i < lines.size(); ++i) {
        Entry e;
        e.lines.emplace_back(lines[i]);
        if (parse_assignment(lines[i], &e.key, &e.value_start))
            while (continues(e.lines.back()) && i + 1 < lines.size()) e.lines.emplace_back(lines[++i]);
        mk.entries_.push_back(std::move(e));
    }
    if (!mk.find("flavours")) return bad_input("no 'flavours =' assignment", file);
    return mk;
}

RulesMk::Entry* RulesMk::find(std::string_view key) {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
        if (it->key == key) return &*it;
    return nullptr;
}

const RulesMk::Entry* RulesMk::find(std::string_view key) const {
    return const_cast<RulesMk*>(this)->find(key);
}

std::string RulesMk::value_of(const Entry& e) {
    std::string value;
    for (size_t i = 0; i < e.lines.size(); ++i) {
        std::string_view line = e.lines[i];
        if (continues(line)) line.remove_suffix(1);
        size_t from = i == 0 ? e.value_start : 0;
        std::string_view part = trim(line.substr(from, value_end(line, from) - from));
        if (!part.empty() && !value.empty()) value += ' ';
        value += part;
    }
    return value;
}

std::optional<std::string> RulesMk::get(std::string_view key) const {
    const Entry* e = find(key);
    if (!e) return std::nullopt;
    return value_of(*e);
}

std::vector<std::string> RulesMk::flavours() const { return split_words(get("flavours").value_or("")); }

bool RulesMk::has_flavour(std::string_view flavour) const {
    for (const auto& f : flavours())
        if (f == flavour) return true;
    return false;
}

void RulesMk::add_flavour(std::string_view flavour) {
    if (has_flavour(flavour)) return;
    Entry* e = find("flavours");
    std::string& line = e->lines.back();
    // A last line that still ends in '\' (at the end of the file): the name
    // goes before the backslash, or it would be read as "x\ name".
    std::string_view value = line;
    if (continues(value)) value.remove_suffix(1);
    size_t at = value_end(value, e->lines.size() == 1 ? e->value_start : 0);
    bool needs_blank = at > 0 && line[at - 1] != ' ' && line[at - 1] != '\t';
    line.insert(at, (needs_blank ? " " : "") + std::string(flavour));
}

std::vector<std::string> RulesMk::copy_flavour_vars(std::string_view from, std::string_view to) {
    const std::string suffix = "_" + std::string(from);
    std::vector<std::string> copied;
    std::vector<Entry> out;
    std::vector<Entry> updates;  // copies whose key already exists (--force)
    for (const Entry& e : entries_) {
        out.push_back(e);
        if (e.key.size() <= suffix.size() || !e.key.ends_with(suffix)) continue;
        std::string variable = e.key.substr(0, e.key.size() - suffix.size());
        if (!is_per_flavour_variable(variable)) continue;
        Entry copy = e;
        copy.key = variable + "_" + std::string(to);
        copy.lines[0].replace(e.lines[0].find(e.key), e.key.size(), copy.key);
        copy.value_start = e.value_start - e.key.size() + copy.key.size();
        copied.push_back(copy.key);
        if (find(copy.key))
            updates.push_back(std::move(copy));
        else
            out.push_back(std::move(copy));
    }
    for (Entry& u : updates)
        for (auto it = out.rbegin(); it != out.rend(); ++it)
            if (it->key == u.key) {
                *it = u;
                break;
            }
    entries_ = std::move(out);
    return copied;
}

std::string RulesMk::text() const {
    std::string out;
    for (size_t i = 0; i < entries_.size(); ++i) {
        for (size_t j = 0; j < entries_[i].lines.size(); ++j) {
            out += entries_[i].lines[j];
            bool last = i + 1 == entries_.size() && j + 1 == entries_[i].lines.size();
            if (!last || final_newline_) out += '\n';
        }
    }
    return out;
}

}  // namespace kf
