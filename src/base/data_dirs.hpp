// Where kflavour's shipped data (templates/, schroot/) is found.
#pragma once

#include "base/error.hpp"
#include "base/os.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kf::sys {

// Where data is looked for, in order: $KFLAVOUR_DATA_DIR, the source tree
// (development builds, see KFLAVOUR_SOURCE_DATA in CMakeLists.txt), the
// installed /usr/share/kflavour.
std::vector<std::filesystem::path> data_search_dirs(const Os& os);

// The first <dir>/<relative> of data_search_dirs(). Not found: failure.
Result<std::filesystem::path> find_data_file(const Os& os, const std::string& relative);
Result<std::string> read_data_file(const Os& os, const std::string& relative);

}  // namespace kf::sys
