// Small text helpers shared by the vendor-file models.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kf {

// Split into lines; a trailing newline does not make an extra empty line.
std::vector<std::string_view> split_lines(std::string_view text);
std::vector<std::string> split_words(std::string_view text);  // on runs of blanks
std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// Every `from` in `s` replaced by `to`, left to right (what is put in is not searched again).
std::string replace_all(std::string s, std::string_view from, std::string_view to);
// 8 hex digits of a 32-bit FNV-1a hash: a stable short name for cache keys.
std::string short_hash(std::string_view s);
// The last `count` lines of a log, each indented by two spaces (for error messages).
std::string tail_lines(std::string_view log, size_t count);
// The lines of a tool's output that state its error (apt's and mmdebstrap's
// "E: …", "dpkg: error …", "…error: …", make's "*** …", and "kflavour: …"
// from kflavour's own checks inside a build), at most `max`,
// in order, without repeats. A usage screen printed after the error is not
// evidence; these lines are.
std::vector<std::string> tool_error_lines(std::string_view output, size_t max = 10);
// What a failed tool said, for an error message: its error lines first,
// then the last `tail` lines of its output (each indented two spaces).
std::string tool_failure_evidence(std::string_view output, size_t tail);
// Untrusted input for an error message: in single quotes, control and
// non-ASCII bytes as \xNN, cut to `max` bytes with the full length named.
std::string quote_input(std::string_view input, size_t max = 60);
// `word` quoted for a POSIX shell (unchanged when it needs no quoting).
std::string shell_quote(const std::string& word);

}  // namespace kf
