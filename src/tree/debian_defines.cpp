#include "tree/debian_defines.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "tree/changelog.hpp"
#include "tree/debian_ini.hpp"
#include "tree/debian_toml.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;

std::vector<std::string> DebianArch::featureset_names() const {
    std::vector<std::string> out;
    for (const auto& s : featuresets) out.push_back(s.name);
    return out;
}

const DebianFeatureset* DebianArch::featureset(const std::string& wanted) const {
    for (const auto& f : featuresets)
        if (f.name == wanted) return &f;
    return nullptr;
}

const DebianArch* DebianTree::arch(const std::string& wanted) const {
    for (const auto& a : arches)
        if (a.name == wanted) return &a;
    return nullptr;
}

fs::path DebianTree::flavours_file(const std::string& arch, const std::string& featureset) const {
    if (format == DefinesFormat::toml) return config_dir() / arch / "defines.toml";
    return config_dir() / arch / featureset / "defines";
}

namespace {

Error not_kernel_packaging(const fs::path& root, const std::string& why) {
    return with_hint(bad_input("debian/ is not Debian's kernel packaging: " + why, (root / "debian").string()),
                     "a tree from `apt-get source linux` (docs/debian-trees.md)");
}

Result<IniFile> load_ini(const fs::path& file) {
    KF_TRY(std::string text, read_text_file(file));
    return parse_ini(text, file.string());
}

// bookworm: debian/config/<arch>/defines names the arch's featuresets,
// debian/config/<arch>/<featureset>/defines each one's flavours.
Result<DebianArch> read_ini_arch(const DebianTree& tree, const IniFile& root, const std::string& name) {
    KF_TRY(IniFile defines, load_ini(tree.config_dir() / name / "defines"));
    DebianArch arch{name, {}, {}, {}};
    auto compiler = defines.words("base", "compiler");
    if (compiler.empty()) compiler = root.words("base", "compiler");
    if (!compiler.empty()) {
        const std::string key = "headers%" + compiler.front();
        if (auto value = defines.words("relations", key); !value.empty())
            arch.headers_relation = std::pair{key, join(value, " ")};
    }
    std::vector<std::string> featuresets = defines.words("base", "featuresets");
    if (featuresets.empty()) featuresets = {"none"};
    for (const auto& fs_name : featuresets) {
        fs::path file = tree.flavours_file(name, fs_name);
        DebianFeatureset set{fs_name, {}};
        if (path_exists(file)) {
            KF_TRY(IniFile fs_defines, load_ini(file));
            set.flavours = fs_defines.words("base", "flavours");
            if (fs_name == "none") {
                auto def = fs_defines.words("base", "default-flavour");
                if (!def.empty()) arch.default_flavour = def.front();
            }
        }
        arch.featuresets.push_back(std::move(set));
    }
    return arch;
}

Result<std::vector<DebianArch>> read_ini_arches(const DebianTree& tree) {
    KF_TRY(IniFile root, load_ini(tree.config_dir() / "defines"));
    std::vector<DebianArch> arches;
    for (const auto& name : root.words("base", "arches")) {
        if (!path_exists(tree.config_dir() / name / "defines")) continue;
        KF_TRY(DebianArch arch, read_ini_arch(tree, root, name));
        arches.push_back(std::move(arch));
    }
    return arches;
}

// trixie: debian/config/<arch>/defines.toml holds the arch's [[flavour]]s and
// its [[featureset]]s, each with its own flavour list or the arch's.
Result<DebianArch> read_toml_arch(const DebianTree& tree, const std::string& name) {
    fs::path file = tree.config_dir() / name / "defines.toml";
    KF_TRY(std::string text, read_text_file(file));
    KF_TRY(TomlArchDefines defines, parse_arch_defines_toml(text, file.string()));
    DebianArch arch{name, {}, {}, {}};
    std::vector<std::string> own;
    for (const auto& f : defines.flavours) {
        own.push_back(f.name);
        if (f.is_default) arch.default_flavour = f.name;
    }
    if (defines.featuresets.empty()) defines.featuresets.push_back({"none", {}});
    for (auto& set : defines.featuresets)
        arch.featuresets.push_back({set.name, set.flavours.empty() ? own : set.flavours});
    return arch;
}

Result<std::vector<DebianArch>> read_toml_arches(const DebianTree& tree) {
    fs::path file = tree.config_dir() / "defines.toml";
    KF_TRY(std::string text, read_text_file(file));
    KF_TRY(TomlRootDefines root, parse_root_defines_toml(text, file.string()));
    std::vector<DebianArch> arches;
    for (const auto& name : root.arches) {
        if (!path_exists(tree.config_dir() / name / "defines.toml")) continue;
        KF_TRY(DebianArch arch, read_toml_arch(tree, name));
        arches.push_back(std::move(arch));
    }
    return arches;
}

Status read_changelog(DebianTree& tree) {
    fs::path file = tree.root / "debian" / "changelog";
    KF_TRY(std::string text, read_text_file(file));
    KF_TRY(ChangelogTop top, parse_changelog_top(text, file.string()));
    if (!starts_with(top.top.source, "linux"))
        return not_kernel_packaging(tree.root, "its changelog is for source package " + quote_input(top.top.source));
    tree.source = top.top.source;
    tree.version = top.top.version;
    tree.distribution = top.top.distribution;
    return ok_status();
}

}  // namespace

Result<DebianTree> read_debian_tree(const fs::path& root) {
    DebianTree tree;
    tree.root = root;
    if (path_exists(tree.config_dir() / "defines.toml"))
        tree.format = DefinesFormat::toml;
    else if (!path_exists(tree.config_dir() / "defines"))
        return not_kernel_packaging(root, "no debian/config/defines or debian/config/defines.toml");
    if (!path_exists(root / "debian" / "bin" / "gencontrol.py"))
        return not_kernel_packaging(root, "no debian/bin/gencontrol.py");
    KF_TRY_STATUS(read_changelog(tree));
    if (tree.format == DefinesFormat::toml) {
        KF_TRY(tree.arches, read_toml_arches(tree));
    } else {
        KF_TRY(tree.arches, read_ini_arches(tree));
    }
    return tree;
}

}  // namespace kf
