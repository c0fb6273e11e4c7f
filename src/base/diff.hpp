// Unified diffs for --dry-run: what a person would see from `diff -u`.
#pragma once

#include <string>
#include <string_view>

namespace kf {

// A unified diff (3 lines of context) from `before` to `after`, labelled
// with the given names ("a/x", "/dev/null"). Empty when the texts are equal.
std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view label_before, std::string_view label_after);

}  // namespace kf
