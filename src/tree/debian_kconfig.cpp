#include "tree/debian_kconfig.hpp"

#include "base/text.hpp"

#include <optional>

namespace kf {

namespace {

// A variable (NAME='value') of the recipe of debian/build/config.A_FS_F in
// rules.gen; nullopt when the target or the variable is missing.
std::optional<std::string> config_target_variable(std::string_view rules_gen, const std::string& target,
                                                  std::string_view name) {
    auto lines = split_lines(rules_gen);
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        if (lines[i] != target) continue;
        std::string_view recipe = lines[i + 1];
        const std::string key = " " + std::string(name) + "='";
        size_t start = recipe.find(key);
        if (start == std::string_view::npos) return std::nullopt;
        start += key.size();
        size_t end = recipe.find('\'', start);
        if (end == std::string_view::npos) return std::nullopt;
        return std::string(recipe.substr(start, end - start));
    }
    return std::nullopt;
}

Result<std::string> flavour_variable(std::string_view rules_gen, const std::string& arch, const std::string& featureset,
                                     const std::string& flavour, std::string_view name, const std::string& file) {
    const std::string target = "debian/build/config." + arch + "_" + featureset + "_" + flavour + ":";
    if (auto value = config_target_variable(rules_gen, target, name)) return *value;
    return with_hint(bad_input("no flavour " + arch + "_" + featureset + "_" + flavour + " in debian/rules.gen", file),
                     "kflavour list shows the tree's flavours; after editing the defines by hand, regenerate "
                     "debian/control (debian/rules debian/control-real)");
}

}  // namespace

Result<std::vector<std::string>> debian_kconfig_files(std::string_view rules_gen, const std::string& arch,
                                                      const std::string& featureset, const std::string& flavour,
                                                      const std::string& file) {
    KF_TRY(std::string files, flavour_variable(rules_gen, arch, featureset, flavour, "KCONFIG", file));
    return split_words(files);
}

Result<std::string> debian_abiname(std::string_view rules_gen, const std::string& arch, const std::string& featureset,
                                   const std::string& flavour, const std::string& file) {
    return flavour_variable(rules_gen, arch, featureset, flavour, "ABINAME", file);
}

DotConfig merge_debian_configs(const std::vector<std::string>& texts) {
    DotConfig merged;
    for (const auto& text : texts)
        for (auto& s : parse_dot_config(text).settings) merged.set(std::move(s));
    return merged;
}

}  // namespace kf
