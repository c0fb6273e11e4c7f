// Ubuntu's FORMAT 4 annotations (debian.master/config/annotations).
//
// The model follows Ubuntu's own tool (debian/scripts/misc/kconfig/
// annotations.py) so that export, import and rewrite give the same bytes;
// tests/unit/test_annotations.cpp holds the rules, each against real data.
#pragma once

#include "base/error.hpp"
#include "config/kconfig.hpp"
#include "tree/policy.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kf {

struct LookupKeys;

// Symbol name -> position; transparent, so a string_view finds without a copy.
using NameIndex = decltype(DotConfig::index);

struct Annotation {
    std::string name;  // CONFIG_X
    Policy policy;     // keys: an arch ("arm64") or an arch-flavour ("arm64-generic")
    // The note as Ubuntu stores it: "'text'" (quotes added on read), or the
    // bare `TODO: update note` an import writes.
    std::optional<std::string> note;
    bool oneline = false;  // the note was read on the policy line
};

// A note as Ubuntu's tool stores it: its quotes dropped, in single quotes.
std::string stored_note(std::string_view text);

// A value or note fits Ubuntu's annotations syntax: a policy or a note ends
// at the first '>' (Ubuntu's own reader is a `.*?>` regex), each lives on
// one line, and the reader collapses runs of blanks. `what` names the symbol for the error.
Status check_annotation_text(std::string_view text, std::string_view what, const std::string& file = {},
                             int line = 0);

class Annotations {
public:
    // Reads included files (paths relative to the including file's dir).
    using IncludeLoader = std::function<Result<std::string>(const std::filesystem::path&)>;

    // Parse `text` read from `file`; errors name `file` and the line.
    static Result<Annotations> parse(std::string_view text, const std::filesystem::path& file,
                                     const IncludeLoader& load);
    static Result<Annotations> load(const std::filesystem::path& file);  // reads includes from disk

    const std::vector<std::string>& arches() const { return arches_; }
    const std::vector<std::string>& flavours() const { return flavours_; }  // "A-F" as in the header
    bool has_flavour(std::string_view arch, std::string_view flavour) const;
    // Flavour names (without arch) of `arch`, header order.
    std::vector<std::string> flavours_of(std::string_view arch) const;

    // Add "A-F" to the `# FLAVOUR:` header line, kept sorted.
    void add_flavour(std::string_view arch, std::string_view flavour);

    const Annotation* find(std::string_view name) const;
    // Symbols in the order they were read (then added).
    const std::vector<Annotation>& symbols() const { return symbols_; }

    // Value of a symbol for (A, F): A-F, then the FLAVOUR_DEP target, then A.
    std::optional<std::string> lookup(const Annotation& a, std::string_view arch,
                                      std::string_view flavour) const;
    std::optional<std::string> lookup(std::string_view name, std::string_view arch,
                                      std::string_view flavour) const;

    // Every symbol with a value for (A, F), in read order ('-' included).
    std::vector<ConfigSetting> resolve(std::string_view arch, std::string_view flavour) const;

    // `annotations --export --arch A --flavour F`: the .config text.
    std::string export_config(std::string_view arch, std::string_view flavour) const;

    // `annotations --import FILE --arch A --flavour F` (before the save).
    void import_config(const DotConfig& config, std::string_view arch, std::string_view flavour);

    // Set key (an arch or arch-flavour) of a symbol, creating it if needed.
    void set_policy(std::string_view name, const std::string& key, const std::string& value);
    // Set a note from plain text (stored quoted, inner quotes removed).
    void set_note(std::string_view name, std::string_view text);
    void set_todo_note(std::string_view name);

    // Copy every `A-from` key to `A-to` (a new flavour inheriting its base).
    void copy_flavour_keys(std::string_view arch, std::string_view from, std::string_view to);

    // The file as Ubuntu's tool saves it: compacted, canonical layout.
    std::string write() const;

private:
    Annotation& entry(std::string_view name);
    LookupKeys lookup_keys(std::string_view arch, std::string_view flavour) const;
    std::string render_header() const;

    std::filesystem::path file_;
    IncludeLoader load_;
    // Owns the strings every Policy views; shared by copies (append-only).
    std::shared_ptr<StringPool> pool_ = std::make_shared<StringPool>();
    std::vector<std::string> header_lines_;  // leading '#' lines, verbatim
    std::vector<std::string> arches_;
    std::vector<std::string> flavours_;
    std::map<std::string, std::string> flavour_dep_;
    std::vector<std::string> includes_;          // as written in this file
    std::vector<std::string> include_flavours_;  // `# FLAVOUR:` of included files
    std::vector<Annotation> symbols_;
    NameIndex index_;
};

// The loader of a real tree's annotations: reads included files that lie
// inside the tree (the parent of the file's debian*/ folder), refuses others.
Annotations::IncludeLoader include_loader_for(const std::filesystem::path& annotations_file);

}  // namespace kf
