// Shell-style `key="value"` files: $DEBIAN/control.d/vars.F, debian/debian.env.
//
// The model keeps every line byte-for-byte; set() rewrites only the line of
// the key it changes, in that line's quoting style.
#pragma once

#include "base/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

class VarsFile {
public:
    // Every line must be blank, a `#` comment or `key=value` with the value
    // unquoted, "double-quoted" or 'single-quoted'. Errors name file:line.
    static Result<VarsFile> parse(std::string_view text, const std::string& file);

    // The unquoted value of the last assignment of `key`, as the shell sees it.
    std::optional<std::string> get(std::string_view key) const;
    // Keys in file order (first assignment of each).
    std::vector<std::string> keys() const;

    // Replace the value of `key` in place, keeping the line's quote style;
    // a new key is appended in the file's usual style (double quotes when
    // the file has any).
    void set(std::string_view key, std::string_view value);

    std::string text() const;

private:
    struct Line {
        std::string raw;  // without the newline
        std::string key;  // empty: blank or comment
        std::string value;
        char quote = 0;   // '"', '\'' or 0
        std::string indent;  // blanks before the key
        std::string tail;    // blanks and comment after the value
    };
    static std::string render(const std::string& key, std::string_view value, char quote);
    char usual_quote() const;

    std::vector<Line> lines_;
    bool final_newline_ = true;
};

}  // namespace kf
