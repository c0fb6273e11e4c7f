// Where kflavour's shipped data (templates/, schroot/) is found.
#pragma once

#include "core/error.hpp"

#include <filesystem>
#include <string>

namespace kf::cli {

// $KFLAVOUR_DATA_DIR/<relative>, the source tree's (development builds), then
// the installed /usr/share/kflavour/<relative>. Not found: failure.
Result<std::filesystem::path> find_data_file(const std::string& relative);
Result<std::string> read_data_file(const std::string& relative);

}  // namespace kf::cli
