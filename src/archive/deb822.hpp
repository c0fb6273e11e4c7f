// deb822 files (flavour definitions, control files) parsed with libapt-pkg.
#pragma once

#include "base/error.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kf::sys {

struct Deb822Field {
    std::string name;
    std::string value;  // continuation lines kept, leading blank of the first line dropped
};
using Deb822Paragraph = std::vector<Deb822Field>;

Result<std::vector<Deb822Paragraph>> parse_deb822(const std::filesystem::path& file);

// First value of `name` (case-insensitive, as deb822 field names are), or null.
const std::string* find_field(const Deb822Paragraph& p, std::string_view name);

}  // namespace kf::sys
