#include "cli/data_dirs.hpp"

#include "base/edit_set.hpp"

#include <cstdlib>
#include <vector>

#ifndef KFLAVOUR_DATADIR
#define KFLAVOUR_DATADIR "/usr/share/kflavour"
#endif

namespace kf::cli {
namespace fs = std::filesystem;

std::vector<fs::path> data_search_dirs() {
    std::vector<fs::path> dirs;
    if (const char* v = std::getenv("KFLAVOUR_DATA_DIR"); v && *v) dirs.emplace_back(v);
#ifdef KFLAVOUR_SOURCE_DIR
    dirs.emplace_back(KFLAVOUR_SOURCE_DIR);
#endif
    dirs.emplace_back(KFLAVOUR_DATADIR);
    return dirs;
}

Result<fs::path> find_data_file(const std::string& relative) {
    std::error_code ec;
    for (const auto& d : data_search_dirs())
        if (fs::is_regular_file(d / relative, ec)) return d / relative;
    return failure("kflavour's data file " + relative + " is missing (looked in $KFLAVOUR_DATA_DIR, " KFLAVOUR_DATADIR ")");
}

Result<std::string> read_data_file(const std::string& relative) {
    KF_TRY(fs::path p, find_data_file(relative));
    return read_text_file(p);
}

}  // namespace kf::cli
