#include "tree/tree.hpp"

#include "tree/annotations.hpp"
#include "base/edit_set.hpp"
#include "base/fs.hpp"
#include "tree/rules_mk.hpp"
#include "base/text.hpp"
#include "tree/vars.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;
namespace {

bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// A kernel's top Makefile starts with VERSION = and PATCHLEVEL = lines.
bool is_kernel_makefile(const fs::path& makefile) {
    if (!is_file(makefile)) return false;
    auto text = read_text_file(makefile);
    if (!text.ok()) return false;
    bool version = false, patchlevel = false;
    for (std::string_view line : split_lines(std::string_view(*text).substr(0, 4096))) {
        version = version || starts_with(line, "VERSION =");
        patchlevel = patchlevel || starts_with(line, "PATCHLEVEL =");
    }
    return version && patchlevel;
}

Result<Tree> ubuntu_tree(Tree tree) {
    const fs::path env = tree.env_file();
    KF_TRY(std::string text, read_text_file(env));
    KF_TRY(VarsFile vars, VarsFile::parse(text, env.string()));
    auto debian = vars.get("DEBIAN");
    if (!debian || debian->empty()) return bad_input("no DEBIAN=<dir> line", env.string());
    if (debian->find('/') != std::string::npos || *debian == "." || *debian == "..")
        return bad_input("DEBIAN=" + *debian + " is not a directory name", env.string());
    tree.debian_name = *debian;
    tree.debian_dir = tree.root / *debian;
    if (!is_dir(tree.debian_dir))
        return bad_input("DEBIAN=" + *debian + " but there is no directory " + tree.debian_dir.string(),
                         env.string());
    return tree;
}

void append_missing(std::vector<std::string>& list, const std::vector<std::string>& more) {
    for (const auto& x : more)
        if (std::find(list.begin(), list.end(), x) == list.end()) list.push_back(x);
}

}  // namespace

std::string_view to_string(TreeKind kind) {
    switch (kind) {
        case TreeKind::ubuntu: return "ubuntu";
        case TreeKind::debian: return "debian";
        case TreeKind::upstream: return "upstream";
    }
    return "unknown";
}

fs::path Tree::vars_file(std::string_view flavour) const {
    return debian_dir / "control.d" / ("vars." + std::string(flavour));
}

fs::path Tree::rules_file(std::string_view arch) const {
    return debian_dir / "rules.d" / (std::string(arch) + ".mk");
}

Result<Tree> detect_tree(const fs::path& root) {
    if (!is_dir(root)) return bad_input("not a directory", root.string());
    Tree tree;
    tree.root = root;
    tree.has_kernel_source = is_kernel_makefile(root / "Makefile");
    if (is_file(tree.env_file())) {
        tree.kind = TreeKind::ubuntu;
        return ubuntu_tree(std::move(tree));
    }
    if (is_dir(root / "debian" / "config")) {
        tree.kind = TreeKind::debian;
        return tree;
    }
    if (is_dir(root / "debian"))
        return bad_input("missing debian/debian.env (an Ubuntu tree) or debian/config/ (a Debian tree)",
                         tree.env_file().string());
    if (tree.has_kernel_source) {
        tree.kind = TreeKind::upstream;
        return tree;
    }
    return bad_input("not a kernel tree: no debian/debian.env, debian/config/ or kernel Makefile",
                     root.string());
}

Result<Tree> open_tree(const fs::path& dir, bool dry_run) {
    KF_TRY(Tree tree, detect_tree(dir));
    if (!dry_run) sweep_stale_temps_in_tree(tree.root);
    return tree;
}

Result<FlavourMap> ubuntu_flavours(const Tree& tree) {
    FlavourMap map;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(tree.debian_dir / "rules.d", ec)) {
        if (entry.path().extension() != ".mk") continue;
        KF_TRY(std::string text, read_text_file(entry.path()));
        auto mk = RulesMk::parse(text, entry.path().string());
        if (mk.ok()) map[entry.path().stem().string()] = mk->flavours();  // else not an arch file (hooks.mk)
    }
    if (is_file(tree.annotations_file())) {
        KF_TRY(Annotations notes, Annotations::load(tree.annotations_file()));
        for (const auto& arch : notes.arches()) append_missing(map[arch], notes.flavours_of(arch));
    }
    return map;
}

}  // namespace kf
