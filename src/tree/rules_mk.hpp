// $DEBIAN/rules.d/<arch>.mk: make assignments `key = value` per arch.
//
// Every line is kept byte-for-byte; edits touch only the lines they need.
// Per-flavour overrides use the suffix form `build_image_<flavour>`,
// `do_zfs_<flavour>`, …: the rules take "the suffixed variable if set, else
// the plain one", so a new flavour needs its own copy of its base's.
#pragma once

#include "base/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

class RulesMk {
public:
    // Anything that isn't an assignment (comments, blanks, conditionals) is
    // kept as is; a file without a `flavours` assignment is bad input.
    static Result<RulesMk> parse(std::string_view text, const std::string& file);

    std::optional<std::string> get(std::string_view key) const;  // value of the last assignment
    std::vector<std::string> flavours() const;
    bool has_flavour(std::string_view flavour) const;

    // Append `flavour` to the `flavours` list (no-op when listed).
    void add_flavour(std::string_view flavour);

    // For each per-flavour variable `X_<from>`, give `X_<to>` the same value:
    // insert the copy right after it (same layout), or update an existing
    // `X_<to>`. Returns the names of the variables it gave `to`.
    std::vector<std::string> copy_flavour_vars(std::string_view from, std::string_view to);

    std::string text() const;

private:
    // One assignment, possibly continued over several lines with `\`.
    struct Entry {
        std::vector<std::string> lines;  // raw, without newlines
        std::string key;                 // empty: not an assignment
        size_t value_start = 0;          // offset of the value in lines[0]
    };
    Entry* find(std::string_view key);
    const Entry* find(std::string_view key) const;
    static std::string value_of(const Entry& e);

    std::vector<Entry> entries_;
    bool final_newline_ = true;
};

// Whether `name` is a variable the Ubuntu rules read per flavour as `name_<flavour>`.
bool is_per_flavour_variable(std::string_view name);

}  // namespace kf
