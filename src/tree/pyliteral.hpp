// The slice of Python literal syntax that FORMAT 4 annotations use:
// Ubuntu's tool reads `policy<{…}>` with ast.literal_eval and writes it with
// str(dict), so we read and write the same forms.
#pragma once

#include "base/error.hpp"

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kf {

// A Python string literal starting at text[pos] ('…' or "…", with escapes);
// advances pos past it. The error message says what is wrong (no location).
Result<std::string> parse_py_string(std::string_view text, size_t& pos);

// `{'k': 'v', …}` with string keys and values, in literal order (a repeated
// key keeps its first position and takes the last value, as in Python).
Result<std::vector<std::pair<std::string, std::string>>> parse_py_str_dict(std::string_view text);

// The same as views: into `text` where a string has no escapes, else into a
// string appended to `decoded`, which must outlive the views.
using PyStrItems = std::vector<std::pair<std::string_view, std::string_view>>;
Result<PyStrItems> parse_py_str_dict_views(std::string_view text, std::deque<std::string>& decoded);

// repr() of a Python str: single quotes unless the text has a single quote
// and no double quote; backslash and control characters escaped.
std::string py_repr(std::string_view text);
void append_py_repr(std::string& out, std::string_view text);

}  // namespace kf
