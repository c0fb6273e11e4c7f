#include "build/tree_modules.hpp"

#include "base/fs.hpp"
#include "build/module_list.hpp"

namespace kf::sys {
namespace fs = std::filesystem;

std::set<std::string> tree_module_objects(const fs::path& source) {
    std::set<std::string> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(source, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (it->is_directory(ec) && (name == ".git" || name == "kflavour")) {
            it.disable_recursion_pending();
            continue;
        }
        if (name != "Makefile" && name != "Kbuild") continue;
        auto text = read_text_file(it->path());
        if (!text.ok()) continue;  // a Makefile kbuild could not read either
        auto objects = kbuild_module_objects(*text);
        out.insert(objects.begin(), objects.end());
    }
    return out;
}

}  // namespace kf::sys
