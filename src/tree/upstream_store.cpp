#include "tree/upstream_store.hpp"

#include "base/fs.hpp"
#include "tree/new_plan.hpp"
#include "base/text.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;
namespace {

std::string rel(const Tree& tree, const fs::path& p) { return p.lexically_relative(tree.root).string(); }

}  // namespace

Result<UpstreamFlavour> load_upstream_flavour(const Tree& tree, const std::string& name) {
    KF_TRY_STATUS(check_flavour_name(name));
    const fs::path file = UpstreamLayout{tree.root}.flavour_file(name);
    KF_TRY(auto stored, stored_upstream_flavour(tree.root, name));
    if (!stored) {
        Error e = bad_input("unknown flavour " + quote_input(name) + ": no " + rel(tree, file));
        e.hint = "kflavour list shows the flavours; kflavour new " + name + " --base-config TARGET adds one";
        return e;
    }
    if (stored->name != name) return bad_input("Flavour: " + stored->name + " in the file of flavour " + name, file.string());
    return std::move(*stored);
}

Result<std::map<std::string, UpstreamFlavour>> load_upstream_flavours(const Tree& tree) {
    std::map<std::string, UpstreamFlavour> out;
    UpstreamLayout layout{tree.root};
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(layout.dir(), ec)) {
        if (entry.path().extension() != ".flavour") continue;
        KF_TRY(std::string text, read_text_file(entry.path()));
        KF_TRY(UpstreamFlavour f, parse_upstream_flavour(text, entry.path().string()));
        out.emplace(f.name, std::move(f));
    }
    return out;
}

Status require_upstream_arch(const Tree& tree, const UpstreamFlavour& f, const std::string& arch) {
    if (std::find(f.arches.begin(), f.arches.end(), arch) != f.arches.end()) return ok_status();
    Error e = bad_input("flavour " + f.name + " is not for arch " + quote_input(arch) + " (Arches: " + join(f.arches, " ") + ")",
                        UpstreamLayout{tree.root}.flavour_file(f.name).string());
    e.hint = "add it with kflavour new " + f.name + " --force --arch " + arch + " … (the same options as before)";
    return e;
}

Result<UpstreamInputs> load_upstream_inputs(const Tree& tree, const UpstreamFlavour& f) {
    UpstreamLayout layout{tree.root};
    UpstreamInputs in;
    if (!f.fragment.empty()) {
        const fs::path file = layout.dir() / f.fragment;
        KF_TRY(std::string text, read_text_file(file));
        KF_TRY(in.settings, parse_fragment(text, file.string()));
        in.fragment_text = std::move(text);
    }
    if (f.base.kind == BaseConfig::Kind::file) {
        KF_TRY(in.base_content, read_text_file(layout.dir() / f.base.value));
    }
    return in;
}

Result<std::string> upstream_resolved_config(const Tree& tree, const std::string& arch, const std::string& flavour) {
    KF_TRY(UpstreamFlavour f, load_upstream_flavour(tree, flavour));
    KF_TRY_STATUS(require_upstream_arch(tree, f, arch));
    const fs::path file = UpstreamLayout{tree.root}.resolved_config(flavour, arch);
    if (!path_exists(file)) {
        Error e = bad_input(arch + "-" + flavour + " is not resolved yet: no " + rel(tree, file));
        e.hint = "kflavour config resolve --arch " + arch + " --flavour " + flavour;
        return e;
    }
    return read_text_file(file);
}

std::optional<fs::path> resolved_config_file(const fs::path& root, const std::string& arch, const std::string& flavour) {
    fs::path file = UpstreamLayout{root}.resolved_config(flavour, arch);
    if (!path_exists(file)) return std::nullopt;
    return file;
}

std::vector<std::string> resolved_flavours(const fs::path& root, const std::string& arch) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(UpstreamLayout{root}.dir(), ec)) {
        std::error_code type;
        const std::string name = e.path().filename().string();
        if (e.is_directory(type) && resolved_config_file(root, arch, name)) out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<std::optional<UpstreamFlavour>> stored_upstream_flavour(const fs::path& root, const std::string& name) {
    const fs::path file = UpstreamLayout{root}.flavour_file(name);
    if (!path_exists(file)) return std::optional<UpstreamFlavour>();
    KF_TRY(std::string text, read_text_file(file));
    KF_TRY(UpstreamFlavour f, parse_upstream_flavour(text, file.string()));
    return std::optional<UpstreamFlavour>(std::move(f));
}

}  // namespace kf
