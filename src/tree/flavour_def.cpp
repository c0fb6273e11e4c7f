#include "tree/flavour_def.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <cctype>

namespace kf {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

bool is_symbol(std::string_view s) {
    if (!starts_with(s, "CONFIG_") || s.size() == 7) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum((unsigned char)c) || c == '_'; });
}

// One line: the field's text with continuation lines joined by blanks.
std::string one_line(std::string_view value) {
    std::string flat(value);
    for (char& c : flat)
        if (c == '\n') c = ' ';
    return join(split_words(flat), " ");
}

Status check_notes_match(const FlavourDef& def) {
    for (const auto& entry : def.notes) {
        const std::string& symbol = entry.first;  // a named variable: clang 14 can't capture a binding
        bool set = std::any_of(def.settings.begin(), def.settings.end(),
                               [&](const ConfigSetting& s) { return s.name == symbol; });
        if (!set)
            return bad_input("Notes: " + symbol + " has a note but the fragment doesn't set it", def.file.string());
    }
    return ok_status();
}

}  // namespace

Result<std::map<std::string, std::string>> parse_notes(std::string_view text, const std::string& file) {
    std::map<std::string, std::string> notes;
    for (std::string_view raw : split_lines(text)) {
        std::string_view line = trim(raw);
        if (line.empty() || line == ".") continue;
        size_t colon = line.find(':');
        std::string symbol(trim(line.substr(0, colon)));
        if (colon == std::string_view::npos || !is_symbol(symbol))
            return bad_input("Notes: want 'CONFIG_X: text', got: " + std::string(line), file);
        std::string note(trim(line.substr(colon + 1)));
        if (note.empty()) return bad_input("Notes: empty note for " + symbol, file);
        notes[symbol] = note;
    }
    return notes;
}

Result<FlavourDef> make_flavour_def(const std::vector<DefField>& fields, const fs::path& file,
                                    const FileReader& read) {
    FlavourDef def;
    def.file = file;
    for (const auto& f : fields) {
        std::string name = lower(f.name);
        if (starts_with(name, "#"))
            return bad_input("comments are not allowed in flavour definitions: " + f.name, file.string());
        if (name == "flavour")
            def.flavour = one_line(f.value);
        else if (name == "supported")
            def.supported = one_line(f.value);
        else if (name == "target")
            def.target = one_line(f.value);
        else if (name == "description")
            def.description = f.value;
        else if (name == "cmdline")
            def.cmdline = one_line(f.value);
        else if (name == "fragment")
            def.fragment_file = file.parent_path() / one_line(f.value);
        else if (name == "notes") {
            KF_TRY(def.notes, parse_notes(f.value, file.string()));
        } else if (starts_with(name, "vars-") && name.size() > 5)
            def.vars[name.substr(5)] = one_line(f.value);
        else
            return bad_input("unknown field " + quote_input(f.name) + " (see docs/flavour-definitions.md)", file.string());
    }
    if (def.flavour.empty()) return bad_input("no 'Flavour:' field", file.string());
    if (!def.fragment_file.empty()) {
        KF_TRY(std::string text, read(def.fragment_file));
        KF_TRY(def.settings, parse_fragment(text, def.fragment_file.string()));
    }
    KF_TRY_STATUS(check_notes_match(def));
    return def;
}

Result<fs::path> find_flavour_def(std::string_view name_or_file, const std::vector<fs::path>& dirs) {
    std::string arg(name_or_file);
    if (arg.empty()) return bad_input("--def needs a flavour definition name or file");
    if (arg.find('/') != std::string::npos || arg.ends_with(".flavour")) {
        std::error_code ec;
        if (!fs::is_regular_file(arg, ec)) return bad_input("no such flavour definition file", arg);
        return fs::path(arg);
    }
    std::string searched;
    for (const auto& dir : dirs) {
        fs::path candidate = dir / (arg + ".flavour");
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) return candidate;
        searched += (searched.empty() ? "" : ", ") + dir.string();
    }
    return bad_input("no flavour definition " + quote_input(arg) + " (searched: " + searched + ")");
}

}  // namespace kf
