#include "tree/vars.hpp"

#include "base/text.hpp"

namespace kf {
namespace {

bool is_key_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_key_char(char c) { return is_key_start(c) || (c >= '0' && c <= '9'); }

struct ParsedValue {
    std::string value;
    char quote = 0;
    size_t end = 0;     // offset just past the value (and its closing quote)
    std::string error;  // empty when the value parsed
};

// The value after `=`, as POSIX sh reads a simple assignment.
ParsedValue parse_value(std::string_view rest) {
    ParsedValue p;
    if (rest.empty() || (rest[0] != '"' && rest[0] != '\'')) {
        std::string_view v = trim(rest.substr(0, rest.find('#')));
        p.value = std::string(v);
        p.end = v.empty() ? 0 : size_t(v.data() + v.size() - rest.data());
        return p;
    }
    p.quote = rest[0];
    size_t i = 1;
    for (; i < rest.size() && rest[i] != p.quote; ++i) {
        // Inside double quotes a backslash escapes only these characters.
        if (p.quote == '"' && rest[i] == '\\' && i + 1 < rest.size() &&
            std::string_view("\"\\$`").find(rest[i + 1]) != std::string_view::npos)
            ++i;
        p.value += rest[i];
    }
    if (i >= rest.size()) {
        p.error = std::string("unterminated ") + (p.quote == '"' ? "double" : "single") + " quote";
        return p;
    }
    p.end = i + 1;
    std::string_view after = trim(rest.substr(i + 1));
    if (!after.empty() && after[0] != '#') p.error = "unexpected text after the closing quote";
    return p;
}

}  // namespace

Result<VarsFile> VarsFile::parse(std::string_view text, const std::string& file) {
    VarsFile vars;
    vars.final_newline_ = text.empty() || text.back() == '\n';
    int number = 0;
    for (std::string_view raw : split_lines(text)) {
        ++number;
        Line line{std::string(raw), {}, {}, 0, {}, {}};
        std::string_view s = raw.substr(std::min(raw.size(), raw.find_first_not_of(" \t")));
        if (trim(s).empty() || s[0] == '#') {
            vars.lines_.push_back(std::move(line));
            continue;
        }
        size_t eq = s.find('=');
        bool key_ok = eq != std::string_view::npos && eq > 0 && is_key_start(s[0]);
        for (size_t i = 0; key_ok && i < eq; ++i) key_ok = is_key_char(s[i]);
        if (!key_ok)
            return bad_input("not a shell assignment (key=\"value\"): " + std::string(trim(s)), file, number);
        ParsedValue value = parse_value(s.substr(eq + 1));
        if (!value.error.empty()) return bad_input(value.error + " in: " + std::string(trim(s)), file, number);
        line.indent = std::string(raw.substr(0, raw.size() - s.size()));
        line.tail = std::string(s.substr(eq + 1 + value.end));
        line.key = std::string(s.substr(0, eq));
        line.value = std::move(value.value);
        line.quote = value.quote;
        vars.lines_.push_back(std::move(line));
    }
    return vars;
}

std::optional<std::string> VarsFile::get(std::string_view key) const {
    for (auto it = lines_.rbegin(); it != lines_.rend(); ++it)
        if (it->key == key) return it->value;
    return std::nullopt;
}

std::vector<std::string> VarsFile::keys() const {
    std::vector<std::string> keys;
    for (const auto& l : lines_) {
        bool seen = false;
        for (const auto& k : keys) seen = seen || k == l.key;
        if (!l.key.empty() && !seen) keys.push_back(l.key);
    }
    return keys;
}

std::string VarsFile::render(const std::string& key, std::string_view value, char quote) {
    std::string out = key + "=";
    if (quote == 0) return out + std::string(value);
    out += quote;
    for (char c : value) {
        if (quote == '"' && std::string_view("\"\\$`").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out + quote;
}

char VarsFile::usual_quote() const {
    for (const auto& l : lines_)
        if (l.quote == '"') return '"';
    for (const auto& l : lines_)
        if (l.quote == '\'') return '\'';
    return '"';
}

void VarsFile::set(std::string_view key, std::string_view value) {
    for (auto it = lines_.rbegin(); it != lines_.rend(); ++it) {
        if (it->key != key) continue;
        if (it->value == value) return;
        // An unquoted line that now needs quotes (blanks, specials) gets the file's style.
        char quote = it->quote;
        if (quote == 0 && value.find_first_of(" \t#'\"$`\\;&|<>()") != std::string_view::npos)
            quote = usual_quote();
        if (quote == '\'' && value.find('\'') != std::string_view::npos) quote = '"';
        it->raw = it->indent + render(it->key, value, quote) + it->tail;
        it->value = std::string(value);
        it->quote = quote;
        return;
    }
    char quote = usual_quote();
    if (quote == '\'' && value.find('\'') != std::string_view::npos) quote = '"';
    Line line{render(std::string(key), value, quote), std::string(key), std::string(value), quote, {}, {}};
    lines_.push_back(std::move(line));
    final_newline_ = true;
}

std::string VarsFile::text() const {
    std::string out;
    for (size_t i = 0; i < lines_.size(); ++i) {
        out += lines_[i].raw;
        if (i + 1 < lines_.size() || final_newline_) out += '\n';
    }
    return out;
}

}  // namespace kf
