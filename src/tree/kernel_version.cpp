#include "tree/kernel_version.hpp"

#include "base/text.hpp"

#include <algorithm>

namespace kf {

std::map<std::string, std::string> makefile_version_fields(std::string_view makefile) {
    std::map<std::string, std::string> vars;
    for (auto line : split_lines(makefile)) {
        for (const char* name : {"VERSION", "PATCHLEVEL", "SUBLEVEL", "EXTRAVERSION"}) {
            const std::string_view n(name);
            if (!starts_with(line, n)) continue;
            auto rest = trim(line.substr(n.size()));
            if (!starts_with(rest, "=")) continue;
            if (!vars.count(name)) vars[name] = std::string(trim(rest.substr(1)));
        }
        if (vars.size() == 4) break;
    }
    return vars;
}

Result<std::string> kernel_version_from_makefile(std::string_view makefile) {
    auto vars = makefile_version_fields(makefile);
    if (vars["VERSION"].empty() || vars["PATCHLEVEL"].empty())
        return bad_input("the top Makefile has no VERSION/PATCHLEVEL: not a kernel tree");
    std::string v = vars["VERSION"] + "." + vars["PATCHLEVEL"];
    if (!vars["SUBLEVEL"].empty()) v += "." + vars["SUBLEVEL"];
    return v + vars["EXTRAVERSION"];
}

std::string localversion_suffix(std::vector<std::pair<std::string, std::string>> files) {
    std::sort(files.begin(), files.end());
    std::string out;
    for (auto& [name, content] : files) {
        if (!name.starts_with("localversion") || name.find('~') != std::string::npos) continue;
        while (!content.empty() && content.back() == '\n') content.pop_back();
        out += content;
    }
    return out;
}

}  // namespace kf
