#include "tree/debian_kconfig.hpp"

#include "base/text.hpp"

namespace kf {

Result<std::vector<std::string>> debian_kconfig_files(std::string_view rules_gen, const std::string& arch,
                                                      const std::string& featureset, const std::string& flavour,
                                                      const std::string& file) {
    const std::string target = "debian/build/config." + arch + "_" + featureset + "_" + flavour + ":";
    auto lines = split_lines(rules_gen);
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        if (lines[i] != target) continue;
        std::string_view recipe = lines[i + 1];
        size_t start = recipe.find(" KCONFIG='");
        if (start == std::string_view::npos) break;
        start += 10;
        size_t end = recipe.find('\'', start);
        if (end == std::string_view::npos) break;
        return split_words(recipe.substr(start, end - start));
    }
    return with_hint(bad_input("no flavour " + arch + "_" + featureset + "_" + flavour + " in debian/rules.gen", file),
                     "kflavour list shows the tree's flavours; after editing the defines by hand, regenerate "
                     "debian/control (debian/rules debian/control-real)");
}

DotConfig merge_debian_configs(const std::vector<std::string>& texts) {
    DotConfig merged;
    for (const auto& text : texts)
        for (auto& s : parse_dot_config(text).settings) merged.set(std::move(s));
    return merged;
}

}  // namespace kf
