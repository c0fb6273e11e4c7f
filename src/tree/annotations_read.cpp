// Reading annotations files: Ubuntu's reader, line by line (normalised
// lines, policy and note tags, includes kept inside the tree), into the model
// annotations.cpp queries, edits and writes.
#include "tree/annotations.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "tree/pyliteral.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;

// Dropping a quote can leave two blanks side by side ("a ' b"), which the
// next read squeezes into one: squeezed here already, so a written note
// reads back to itself (found by fuzzing).
std::string stored_note(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') continue;
        if (c == ' ' && out.back() == ' ') continue;
        out += c;
    }
    return out + "'";
}

namespace {

// Ubuntu's reader normalises a line before looking at it: tabs become
// spaces, runs of spaces collapse, the ends are trimmed. `out` is reused
// across lines to spare an allocation per line.
void normalise(std::string_view raw, std::string& out) {
    out.clear();
    size_t i = 0;
    const size_t n = raw.size();
    while (i < n) {
        while (i < n && (raw[i] == ' ' || raw[i] == '\t')) ++i;
        size_t start = i;
        while (i < n && raw[i] != ' ' && raw[i] != '\t') ++i;
        if (i > start) {
            if (!out.empty()) out += ' ';
            out.append(raw.data() + start, i - start);
        }
    }
    // trim() also drops \r and \n at the ends, as Python's strip() does.
    std::string_view t = trim(out);
    if (t.size() != out.size()) out = std::string(t);
}

// `re.match(r'.* TAG<(.*?)>', line)`: the last " TAG<" that a '>' follows,
// then the text up to the first '>'. `tag` includes the '<'.
std::optional<std::string_view> tagged(std::string_view line, std::string_view tag) {
    std::optional<std::string_view> found;
    for (size_t pos = line.find(tag, 1); pos != std::string_view::npos; pos = line.find(tag, pos + 1)) {
        if (line[pos - 1] != ' ') continue;
        size_t start = pos + tag.size();
        size_t end = line.find('>', start);
        if (end == std::string_view::npos) break;  // later occurrences have no '>' either
        found = line.substr(start, end - start);
    }
    return found;
}

// `re.match(r'.* (policy|note)<', line)`
bool has_tag(std::string_view line) {
    return line.find(" policy<") != std::string_view::npos || line.find(" note<") != std::string_view::npos;
}

std::string header_value(std::string_view line, std::string_view key) {
    return starts_with(line, key) ? std::string(line.substr(key.size())) : std::string();
}

// The state a reader builds; shared by the main parse and the
// includes-only parse used when writing.
struct Reader {
    std::vector<std::string> arches;
    std::vector<Annotation> symbols;
    NameIndex index;
    std::vector<std::string> includes;
    std::vector<std::string> include_flavours;
    fs::path base_dir;
    const Annotations::IncludeLoader* load = nullptr;
    StringPool* pool = nullptr;
    std::deque<std::string> decoded;  // escaped strings of the current line; reused (a deque allocates when made)
    int depth = 0;

    Annotation& entry(std::string_view name) {
        if (auto it = index.find(name); it != index.end()) return symbols[it->second];
        index.emplace(std::string(name), symbols.size());
        symbols.push_back(Annotation{std::string(name), {}, std::nullopt, false});
        return symbols.back();
    }

    bool is_arch(std::string_view key) const {
        return std::find(arches.begin(), arches.end(), key) != arches.end();
    }

    Status body(std::string_view text, const fs::path& file, bool parent);
    Status policy_line(const std::string& line, const fs::path& file, int number);
};

Status Reader::policy_line(const std::string& line, const fs::path& file, int number) {
    const std::string_view name = std::string_view(line).substr(0, line.find(' '));
    auto policy_text = tagged(line, "policy<");
    auto note_text = tagged(line, "note<");
    if (!policy_text && !note_text) return bad_input("syntax error: " + quote_input(line), file.string(), number);

    // A symbol name, then the tags: stray text between them (or a name that
    // is no Kconfig symbol) would be dropped or changed by write() (found by
    // fuzzing: write(parse(write(x))) differed).
    auto symbol_char = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    };
    const std::string_view after_name = std::string_view(line).substr(std::min(line.size(), name.size() + 1));
    if (!starts_with(name, "CONFIG_") || name.size() == 7 || !std::all_of(name.begin(), name.end(), symbol_char) ||
        !(starts_with(after_name, "policy<") || starts_with(after_name, "note<")))
        return bad_input("expected 'CONFIG_NAME policy<{…}>' or 'CONFIG_NAME note<…>': " + quote_input(line),
                         file.string(), number);
    // Text that itself holds a tag would be read differently once written
    // back (found by fuzzing: a note swallowing the next line's policy).
    auto holds_tag = [](std::string_view t) {
        return t.find("policy<") != std::string_view::npos || t.find("note<") != std::string_view::npos;
    };
    if ((note_text && holds_tag(*note_text)) || (policy_text && holds_tag(*policy_text)))
        return bad_input("a policy or note holds another 'policy<' or 'note<': " + quote_input(line), file.string(),
                         number);

    PyStrItems items;  // views into `line` or `decoded`
    decoded.clear();
    if (policy_text) {
        auto parsed = parse_py_str_dict_views(*policy_text, decoded);
        if (!parsed.ok())
            return bad_input("bad policy literal for " + std::string(name) + ": " + parsed.error().message, file.string(), number);
        items = std::move(parsed.value());
    }
    Annotation& a = entry(name);
    a.policy.reserve(a.policy.size() + items.size());
    for (const auto& [key, value] : items) {
        // A bare-arch key overrides the flavour keys of that arch read so far.
        if (is_arch(key)) {
            for (auto it = a.policy.begin(); it != a.policy.end();)
                it = starts_with(it->first, key) ? a.policy.erase(it) : std::next(it);
        }
        a.policy.set(pool->intern(key), pool->intern(value));
    }
    if (note_text) {
        a.oneline = policy_text.has_value();
        a.note = stored_note(*note_text);
    }
    return ok_status();
}

Status Reader::body(std::string_view text, const fs::path& file, bool parent) {
    int number = 0;
    std::string line;
    for (std::string_view raw : split_lines(text)) {
        ++number;
        normalise(raw, line);
        if (line.empty()) continue;
        if (starts_with(line, "# FLAVOUR: ")) {  // flavours of included files count for FLAVOUR_DEP
            auto words = split_words(line);
            include_flavours.insert(include_flavours.end(), words.begin() + 2, words.end());
            continue;
        }
        if (line[0] == '#') continue;
        if (starts_with(line, "include ") || line == "include") {
            std::string path = std::string(trim(line.substr(7)));
            if (!path.empty() && path.front() == '"') path.erase(0, 1);
            if (auto q = path.find('"'); q != std::string::npos) path.resize(q);
            if (path.empty()) return bad_input("include without a file name", file.string(), number);
            if (parent) includes.push_back(path);
            if (depth > 16) return bad_input("includes nested too deeply", file.string(), number);
            fs::path included = base_dir / path;
            auto data = (*load)(included);
            if (!data.ok())
                return bad_input("cannot read included file " + included.string() + ": " + data.error().message,
                                 file.string(), number);
            ++depth;
            KF_TRY_STATUS(body(*data, included, false));
            --depth;
            continue;
        }
        if (has_tag(line)) {
            KF_TRY_STATUS(policy_line(line, file, number));
            continue;
        }
        return bad_input("invalid line: " + quote_input(line), file.string(), number);
    }
    return ok_status();
}

}  // namespace

namespace {

// The tree an annotations file belongs to: the parent of its debian*/ folder.
fs::path tree_of(const fs::path& file) {
    for (fs::path d = file.parent_path(); !d.empty() && d != d.root_path(); d = d.parent_path())
        if (starts_with(d.filename().string(), "debian")) return d.parent_path().empty() ? fs::path(".") : d.parent_path();
    return file.parent_path();
}

bool is_within(const fs::path& path, const fs::path& dir) {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(path, ec), d = fs::weakly_canonical(dir, ec);
    if (ec) return false;
    auto [d_end, p_at] = std::mismatch(d.begin(), d.end(), p.begin(), p.end());
    return d_end == d.end();
}

}  // namespace

Annotations::IncludeLoader include_loader_for(const fs::path& annotations_file) {
    const fs::path tree = tree_of(annotations_file);
    return [tree](const fs::path& included) -> Result<std::string> {
        // Includes stay inside the tree: Ubuntu's include the master file by
        // a relative path, and nothing has a reason to read /etc or /dev.
        if (!is_within(included, tree))
            return bad_input("outside the tree " + tree.string() + " (kflavour reads includes only inside the tree)");
        return read_text_file(included);
    };
}

Result<Annotations> Annotations::parse(std::string_view text, const fs::path& file, const IncludeLoader& load) {
    Annotations a;
    a.file_ = file;
    a.load_ = load;
    bool have_arch = false, have_flavour = false, have_format = false;
    int number = 0;
    for (std::string_view raw : split_lines(text)) {
        ++number;
        if (raw.empty() || raw[0] != '#') break;
        std::string line(raw);
        a.header_lines_.push_back(line);
        if (auto v = header_value(line, "# ARCH: "); !v.empty()) {
            a.arches_ = split_words(v);
            have_arch = true;
        } else if (auto f = header_value(line, "# FLAVOUR: "); !f.empty()) {
            a.flavours_ = split_words(f);
            have_flavour = true;
        } else if (auto fmt = header_value(line, "# FORMAT: "); !fmt.empty()) {
            if (trim(fmt) != "4")
                return bad_input("unknown annotations FORMAT " + quote_input(std::string(trim(fmt))) + " (kflavour reads FORMAT 4)",
                                 file.string(), number);
            have_format = true;
        } else if (auto dep = header_value(line, "# FLAVOUR_DEP: "); !dep.empty()) {
            auto items = parse_py_str_dict(dep);
            if (!items.ok()) return bad_input("bad FLAVOUR_DEP: " + items.error().message, file.string(), number);
            for (auto& [k, v] : *items) a.flavour_dep_[k] = v;
        }
    }
    if (!have_format) return bad_input("no '# FORMAT: 4' line in the header: not a FORMAT 4 annotations file", file.string(), 1);
    if (!have_arch || a.arches_.empty()) return bad_input("the header has no '# ARCH:' line", file.string(), 1);
    if (!have_flavour || a.flavours_.empty()) return bad_input("the header has no '# FLAVOUR:' line", file.string(), 1);

    Reader r;
    r.index.reserve(16384);
    r.symbols.reserve(16384);
    r.arches = a.arches_;
    r.base_dir = file.parent_path();
    r.load = &a.load_;
    r.pool = a.pool_.get();
    KF_TRY_STATUS(r.body(text, file, true));
    for (const auto& [src, tgt] : a.flavour_dep_) {
        if (std::find(a.flavours_.begin(), a.flavours_.end(), src) == a.flavours_.end())
            return bad_input("FLAVOUR_DEP names " + quote_input(src) + ", which is not in the FLAVOUR header", file.string(), 1);
        if (std::find(r.include_flavours.begin(), r.include_flavours.end(), tgt) == r.include_flavours.end())
            return bad_input("FLAVOUR_DEP target " + quote_input(tgt) + " is not a flavour of this file or its includes",
                             file.string(), 1);
    }
    a.symbols_ = std::move(r.symbols);
    a.index_ = std::move(r.index);
    a.includes_ = std::move(r.includes);
    a.include_flavours_ = std::move(r.include_flavours);
    return a;
}

Result<Annotations> Annotations::load(const fs::path& file) {
    KF_TRY(std::string text, read_text_file(file));
    return parse(text, file, include_loader_for(file));
}

}  // namespace kf
