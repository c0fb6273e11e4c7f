#include "tree/pyliteral.hpp"
#include "base/text.hpp"

#include <algorithm>
#include <cstdio>

namespace kf {
namespace {

void skip_blanks(std::string_view t, size_t& pos) {
    while (pos < t.size() && (t[pos] == ' ' || t[pos] == '\t' || t[pos] == '\n')) ++pos;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

}  // namespace

Result<std::string> parse_py_string(std::string_view t, size_t& pos) {
    if (pos >= t.size() || (t[pos] != '\'' && t[pos] != '"')) return bad_input("expected a quoted string");
    const char quote = t[pos++];
    std::string out;
    while (pos < t.size()) {
        char c = t[pos++];
        if (c == quote) return out;
        if (c == '\n') break;
        if (c != '\\') {
            out += c;
            continue;
        }
        if (pos >= t.size()) break;
        char e = t[pos++];
        switch (e) {
            case '\n': break;  // line continuation
            case '\\': out += '\\'; break;
            case '\'': out += '\''; break;
            case '"': out += '"'; break;
            case 'a': out += '\a'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'v': out += '\v'; break;
            case 'x': {
                if (pos + 2 > t.size() || hex_value(t[pos]) < 0 || hex_value(t[pos + 1]) < 0)
                    return bad_input("truncated \\x escape");
                append_utf8(out, unsigned(hex_value(t[pos]) * 16 + hex_value(t[pos + 1])));
                pos += 2;
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    unsigned v = unsigned(e - '0');
                    for (int i = 0; i < 2 && pos < t.size() && t[pos] >= '0' && t[pos] <= '7'; ++i)
                        v = v * 8 + unsigned(t[pos++] - '0');
                    append_utf8(out, v);
                } else {
                    out += '\\';  // Python keeps unknown escapes as written
                    out += e;
                }
        }
    }
    return bad_input("unterminated string");
}

namespace {

// A string literal at t[pos] as a view of `t` when it has no escapes, else
// decoded into a new element of `decoded`.
Result<std::string_view> parse_py_string_view(std::string_view t, size_t& pos, std::deque<std::string>& decoded) {
    if (pos < t.size() && (t[pos] == '\'' || t[pos] == '"')) {
        size_t close = t.find(t[pos], pos + 1);
        if (close != std::string_view::npos) {
            std::string_view body = t.substr(pos + 1, close - pos - 1);
            if (body.find('\\') == std::string_view::npos && body.find('\n') == std::string_view::npos) {
                pos = close + 1;
                return body;
            }
        }
    }
    KF_TRY(std::string s, parse_py_string(t, pos));
    decoded.push_back(std::move(s));
    return std::string_view(decoded.back());
}

}  // namespace

Result<PyStrItems> parse_py_str_dict_views(std::string_view t, std::deque<std::string>& decoded) {
    PyStrItems items;
    items.reserve(8);
    size_t pos = 0;
    skip_blanks(t, pos);
    if (pos >= t.size() || t[pos] != '{') return bad_input("expected '{'");
    ++pos;
    skip_blanks(t, pos);
    if (pos < t.size() && t[pos] == '}') {
        ++pos;
    } else {
        while (true) {
            skip_blanks(t, pos);
            if (pos < t.size() && t[pos] == '}') {  // trailing comma
                ++pos;
                break;
            }
            KF_TRY(std::string_view key, parse_py_string_view(t, pos, decoded));
            skip_blanks(t, pos);
            if (pos >= t.size() || t[pos] != ':') return bad_input("expected ':' after " + quote_input(std::string(key)));
            ++pos;
            skip_blanks(t, pos);
            KF_TRY(std::string_view value, parse_py_string_view(t, pos, decoded));
            auto same = std::find_if(items.begin(), items.end(), [&](const auto& kv) { return kv.first == key; });
            if (same != items.end()) same->second = value;
            else items.emplace_back(key, value);
            skip_blanks(t, pos);
            if (pos < t.size() && t[pos] == ',') {
                ++pos;
                continue;
            }
            if (pos < t.size() && t[pos] == '}') {
                ++pos;
                break;
            }
            return bad_input("expected ',' or '}'");
        }
    }
    skip_blanks(t, pos);
    if (pos != t.size()) return bad_input("unexpected text after '}'");
    return items;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_py_str_dict(std::string_view t) {
    std::deque<std::string> decoded;
    KF_TRY(PyStrItems views, parse_py_str_dict_views(t, decoded));
    std::vector<std::pair<std::string, std::string>> items;
    items.reserve(views.size());
    for (const auto& [k, v] : views) items.emplace_back(k, v);
    return items;
}

std::string py_repr(std::string_view text) {
    std::string out;
    append_py_repr(out, text);
    return out;
}

void append_py_repr(std::string& out, std::string_view text) {
    // Fast path: nothing to escape, single quotes (nearly every policy value).
    if (std::none_of(text.begin(), text.end(), [](char c) {
            return c == '\'' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
        })) {
        out += '\'';
        out += text;
        out += '\'';
        return;
    }
    const bool has_single = text.find('\'') != std::string_view::npos;
    const bool has_double = text.find('"') != std::string_view::npos;
    const char quote = (has_single && !has_double) ? '"' : '\'';
    out += quote;
    for (unsigned char c : text) {
        if (c == '\\') out += "\\\\";
        else if (c == static_cast<unsigned char>(quote)) out += std::string("\\") + char(c);
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else out += char(c);
    }
    out += quote;
}

}  // namespace kf
