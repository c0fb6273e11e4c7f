#include "config/resolve_plan.hpp"

#include "base/arch.hpp"
#include "base/text.hpp"

#include <map>

namespace kf {

std::optional<std::string> kernel_arch(std::string_view debian_arch) {
    const ArchRow* row = arch_row(debian_arch);
    if (!row) return std::nullopt;
    return std::string(row->srcarch);
}

Status check_debian_arch(std::string_view arch, std::string_view option) {
    if (kernel_arch(arch)) return ok_status();
    return bad_input(std::string(option) + ": unknown arch " + quote_input(arch) +
                     " (Debian arches: " + known_arches_list() + ")");
}

std::string cross_gcc_package(std::string_view gnu_triplet) { return "gcc-" + std::string(gnu_triplet); }

std::string write_dot_config(const std::vector<ConfigSetting>& settings) {
    std::string out;
    out.reserve(settings.size() * 32);
    for (const auto& s : settings) {
        if (s.value == "n") out += "# " + s.name + " is not set\n";
        else if (s.value != "-") out += s.name + "=" + s.value + "\n";
    }
    return out;
}

std::string apply_requested(std::string_view exported, const std::vector<ConfigSetting>& requested) {
    DotConfig config = parse_dot_config(exported);
    for (const auto& s : requested) config.set(s);
    return write_dot_config(config.settings);
}

std::vector<ConfigSetting> effective_requests(const std::vector<ConfigSetting>& requested) {
    DotConfig last;
    for (const auto& s : requested) last.set(s);
    return last.settings;
}

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

size_t indent_of(std::string_view line) {
    size_t n = 0;
    for (char c : line) {
        if (c == ' ') ++n;
        else if (c == '\t') n = (n / 8 + 1) * 8;
        else break;
    }
    return n;
}

// "keyword rest" → rest, when `line` starts with the keyword as a word.
std::optional<std::string_view> after_keyword(std::string_view line, std::string_view keyword) {
    if (!starts_with(line, keyword)) return std::nullopt;
    if (line.size() == keyword.size()) return std::string_view{};
    if (line[keyword.size()] != ' ' && line[keyword.size()] != '\t') return std::nullopt;
    return trim(line.substr(keyword.size()));
}

std::string first_word(std::string_view s) {
    size_t n = 0;
    while (n < s.size() && is_word_char(s[n])) ++n;
    return std::string(s.substr(0, n));
}

// Runs of blanks → one space (continuation lines joined).
std::string collapse(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' || c == '\t') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string unquote(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
        return std::string(s.substr(1, s.size() - 2));
    return std::string(s);
}

struct Scanner {
    const KconfigReader& read;
    std::string srcarch;
    const std::set<std::string>& wanted;
    KconfigIndex index;
    // Conditions of the enclosing if/menu/choice blocks.
    struct Block {
        std::string kind;
        std::vector<std::string> conditions;
    };
    std::vector<Block> blocks;
    int depth = 0;

    std::string substitute(std::string path) const {
        for (const std::string var : {"$(SRCARCH)", "$SRCARCH", "$(ARCH)"}) {
            for (size_t at; (at = path.find(var)) != std::string::npos;) path.replace(at, var.size(), srcarch);
        }
        for (const std::string var : {"$(srctree)/", "$srctree/"}) {
            for (size_t at; (at = path.find(var)) != std::string::npos;) path.replace(at, var.size(), "");
        }
        return path;
    }

    void scan_file(const std::string& path) {
        if (depth > 64) return;
        auto text = read(path);
        if (!text) return;
        ++index.files_read;
        ++depth;
        scan_text(*text, path);
        --depth;
    }

    void scan_text(std::string_view text, const std::string& path) {
        std::string dir = path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/') + 1);
        KconfigEntry* entry = nullptr;   // the wanted entry being read
        std::string current;             // the symbol of the entry being read
        Block* block_open = nullptr;     // a menu/choice whose own depends lines follow
        bool in_help = false;
        size_t help_indent = 0;
        int lineno = 0;
        std::string joined;
        for (std::string_view raw : split_lines(text)) {
            ++lineno;
            if (in_help) {
                if (trim(raw).empty()) continue;
                size_t ind = indent_of(raw);
                if (help_indent == 0) help_indent = ind;
                if (ind >= help_indent && ind > 0) continue;
                in_help = false;
            }
            // Continuation lines.
            if (!raw.empty() && raw.back() == '\\') {
                joined += std::string(raw.substr(0, raw.size() - 1)) + " ";
                continue;
            }
            std::string full;
            std::string_view line;
            if (joined.empty()) {
                line = trim(raw);
            } else {
                full = collapse(joined + std::string(raw));
                joined.clear();
                line = trim(full);
            }
            if (line.empty() || line.front() == '#') continue;
            // Fast path: only keywords that matter start with these letters.
            switch (line.front()) {
            case 'c': case 'm': case 'h': case '-': case 'd': case 's': case 'i': case 'e': case 'o': case 'r': break;
            default: continue;
            }

            auto start_entry = [&](std::string_view rest) {
                current = first_word(rest);
                block_open = nullptr;
                entry = nullptr;
                if (wanted.count(current) && !index.entries.count(current)) {
                    KconfigEntry e;
                    e.file = path;
                    e.line = lineno;
                    for (const auto& b : blocks)
                        for (const auto& c : b.conditions) e.depends.push_back(c);
                    entry = &index.entries.emplace(current, std::move(e)).first->second;
                }
            };
            auto end_entry = [&] {
                entry = nullptr;
                current.clear();
                block_open = nullptr;
            };

            if (auto r = after_keyword(line, "config")) { start_entry(*r); continue; }
            if (auto r = after_keyword(line, "menuconfig")) { start_entry(*r); continue; }
            if (after_keyword(line, "help") || line == "---help---") {
                in_help = true;
                help_indent = 0;
                continue;
            }
            if (auto r = after_keyword(line, "depends")) {
                if (auto cond = after_keyword(*r, "on")) {
                    std::string text_line = "depends on " + std::string(*cond);
                    if (entry) entry->depends.push_back(text_line);
                    else if (block_open) block_open->conditions.push_back(text_line);
                }
                continue;
            }
            if (auto r = after_keyword(line, "select"); r || after_keyword(line, "imply")) {
                std::string_view rest = r ? *r : *after_keyword(line, "imply");
                std::string target = first_word(rest);
                if (entry) entry->selects.push_back(std::string(line));
                if (!current.empty() && wanted.count(target)) {
                    // Attach to the target's entry later: remember it by name.
                    pending_selected_by[target].push_back(current + " (" + path + ":" + std::to_string(lineno) + ": " +
                                                          std::string(line) + ")");
                }
                continue;
            }
            if (auto r = after_keyword(line, "if")) {
                end_entry();
                blocks.push_back({"if", {"if " + std::string(*r)}});
                continue;
            }
            if (after_keyword(line, "endif") || after_keyword(line, "endmenu") || after_keyword(line, "endchoice")) {
                end_entry();
                if (!blocks.empty()) blocks.pop_back();
                continue;
            }
            if (after_keyword(line, "menu") || line == "choice" || after_keyword(line, "choice")) {
                end_entry();
                blocks.push_back({line == "choice" || after_keyword(line, "choice") ? "choice" : "menu", {}});
                block_open = &blocks.back();
                continue;
            }
            for (std::string_view kw : {"source", "osource", "rsource", "orsource"}) {
                if (auto r = after_keyword(line, kw)) {
                    end_entry();
                    std::string target = substitute(unquote(*r));
                    if (target.find('$') != std::string::npos || target.find('*') != std::string::npos) break;
                    if (kw == "rsource" || kw == "orsource") target = dir + target;
                    // blocks may be reallocated by the nested scan: block_open was reset above.
                    scan_file(target);
                    break;
                }
            }
            if (after_keyword(line, "comment") || after_keyword(line, "mainmenu")) end_entry();
        }
    }

    std::map<std::string, std::vector<std::string>> pending_selected_by;
};

}  // namespace

KconfigIndex scan_kconfig(const KconfigReader& read, std::string_view srcarch, const std::set<std::string>& wanted) {
    Scanner s{read, std::string(srcarch), wanted, {}, {}, 0, {}};
    s.scan_file("Kconfig");
    for (auto& [name, list] : s.pending_selected_by)
        if (auto it = s.index.entries.find(name); it != s.index.entries.end()) it->second.selected_by = list;
    return std::move(s.index);
}

namespace {
std::string bare(std::string_view name) {
    return std::string(starts_with(name, "CONFIG_") ? name.substr(7) : name);
}
bool same_value(const std::string& requested, const std::string* resolved) {
    if (!resolved) return requested == "n" || requested == "-";
    return *resolved == requested || (requested == "-" && *resolved == "n");
}
}  // namespace

std::set<std::string> symbols_to_look_up(const std::vector<ConfigSetting>& requested, const DotConfig& resolved) {
    std::set<std::string> out;
    for (const auto& s : requested) {
        const std::string* got = resolved.find(s.name);
        if (!got || !same_value(s.value, got)) out.insert(bare(s.name));
    }
    return out;
}

ResolveReport compare_requested(const std::vector<ConfigSetting>& requested, const DotConfig& resolved,
                                const KconfigIndex& index) {
    ResolveReport report;
    for (const auto& s : effective_requests(requested)) {
        const std::string* got = resolved.find(s.name);
        bool same = same_value(s.value, got);
        if (got && same) continue;
        auto it = index.entries.find(bare(s.name));
        if (it == index.entries.end()) {
            // Absent and unknown to Kconfig: a typo or a symbol of another kernel version.
            if (!got) report.unknown.push_back(s.name);
            else if (!same) report.dropped.push_back({s.name, s.value, *got, nullptr});
            continue;
        }
        if (same) continue;
        report.dropped.push_back({s.name, s.value, got ? *got : "(absent)", &it->second});
    }
    return report;
}

std::string describe_dropped(const std::vector<DroppedSymbol>& dropped) {
    std::string out;
    for (const auto& d : dropped) {
        out += "  " + d.name + ": requested " + d.requested + ", resolved " + d.resolved + "\n";
        if (!d.entry) {
            out += "    (no Kconfig entry found)\n";
            continue;
        }
        out += "    " + d.entry->file + ":" + std::to_string(d.entry->line) + ": config " + bare(d.name) + "\n";
        for (const auto& l : d.entry->depends) out += "      " + l + "\n";
        for (const auto& l : d.entry->selects) out += "      " + l + "\n";
        for (const auto& l : d.entry->selected_by) out += "      selected by " + l + "\n";
    }
    return out;
}

}  // namespace kf
