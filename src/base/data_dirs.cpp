#include "base/data_dirs.hpp"

#include "base/fs.hpp"

#include <vector>

#ifndef KFLAVOUR_DATADIR
#define KFLAVOUR_DATADIR "/usr/share/kflavour"
#endif

namespace kf::sys {
namespace fs = std::filesystem;

std::vector<fs::path> data_search_dirs(const Os& os) {
    std::vector<fs::path> dirs;
    if (auto v = os.env_nonempty("KFLAVOUR_DATA_DIR")) dirs.emplace_back(*v);
#ifdef KFLAVOUR_SOURCE_DIR
    dirs.emplace_back(KFLAVOUR_SOURCE_DIR);
#endif
    dirs.emplace_back(KFLAVOUR_DATADIR);
    return dirs;
}

Result<fs::path> find_data_file(const Os& os, const std::string& relative) {
    std::error_code ec;
    for (const auto& d : data_search_dirs(os))
        if (fs::is_regular_file(d / relative, ec)) return d / relative;
    return failure("kflavour's data file " + relative +
                   " is missing (looked in $KFLAVOUR_DATA_DIR, " KFLAVOUR_DATADIR ")");
}

Result<std::string> read_data_file(const Os& os, const std::string& relative) {
    KF_TRY(fs::path p, find_data_file(os, relative));
    return read_text_file(p);
}

}  // namespace kf::sys
