#include "base/text.hpp"
#include <algorithm>
#include <cstdint>

namespace kf {

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
        if (i > start) words.emplace_back(text.substr(start, i - start));
    }
    return words;
}

std::string_view trim(std::string_view s) {
    const char* blanks = " \t\r\n";
    size_t b = s.find_first_not_of(blanks);
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(blanks);
    return s.substr(b, e - b + 1);
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

std::string tail_lines(std::string_view log, size_t count) {
    auto all = split_lines(log);
    size_t from = all.size() > count ? all.size() - count : 0;
    std::string out;
    for (size_t i = from; i < all.size(); ++i) out += "  " + std::string(all[i]) + "\n";
    return out;
}

namespace {
bool states_an_error(std::string_view line) {
    const auto t = trim(line);
    if (starts_with(t, "E: ") || starts_with(t, "dpkg: error")) return true;
    // kflavour's own checks inside a build (the config check, the quick check).
    if (starts_with(t, "kflavour: ")) return true;
    // make: *** [Makefile:12: vmlinux] Error 2, make[2]: *** …
    if (starts_with(t, "make") && t.find(": *** ") != std::string_view::npos) return true;
    // gcc/dpkg-buildpackage/qemu/sbuild "…: error: …" and "Error: …".
    for (std::string_view key : {"error:", "Error:", "ERROR:"})
        if (t.find(key) != std::string_view::npos) return true;
    return false;
}
}  // namespace

std::vector<std::string> tool_error_lines(std::string_view output, size_t max) {
    std::vector<std::string> out;
    for (auto line : split_lines(output)) {
        if (out.size() >= max) break;
        if (!states_an_error(line)) continue;
        std::string l(trim(line));
        if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(std::move(l));
    }
    return out;
}

std::string tool_failure_evidence(std::string_view output, size_t tail) {
    std::string out;
    auto errors = tool_error_lines(output);
    if (!errors.empty()) {
        out += "its errors:\n";
        for (const auto& e : errors) out += "  " + e + "\n";
    }
    out += "last lines of its output:\n" + tail_lines(output, tail);
    return out;
}

std::string shell_quote(const std::string& word) {
    if (!word.empty() &&
        word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_-+=:,./") ==
            std::string::npos)
        return word;
    std::string out = "'";
    for (char c : word) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

std::string quote_input(std::string_view input, size_t max) {
    static const char hex[] = "0123456789abcdef";
    std::string out = "'";
    for (size_t i = 0; i < input.size() && i < max; ++i) {
        const unsigned char c = static_cast<unsigned char>(input[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += char(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    out += "'";
    if (input.size() > max) out += " (cut; " + std::to_string(input.size()) + " bytes in all)";
    return out;
}

std::string short_hash(std::string_view s) {
    uint32_t h = 2166136261u;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    static const char* digits = "0123456789abcdef";
    std::string out(8, '0');
    for (int i = 7; i >= 0; --i, h >>= 4) out[size_t(i)] = digits[h & 15];
    return out;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    if (from.empty()) return s;
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
    return s;
}

}  // namespace kf
