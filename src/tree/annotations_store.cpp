#include "tree/annotations_store.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "config/kconfig.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;

Result<LoadedAnnotations> load_annotations(Tree tree) {
    if (tree.kind != TreeKind::ubuntu)
        return bad_input("'config' works on Ubuntu trees (debian/debian.env); " + tree.root.string() + " is a " +
                         std::string(to_string(tree.kind)) + " tree");
    const fs::path file = tree.annotations_file();
    KF_TRY(std::string text, read_text_file(file));
    KF_TRY(Annotations a, Annotations::parse(text, file, include_loader_for(file)));
    return LoadedAnnotations{std::move(tree), std::move(a), std::move(text)};
}

Status require_annotations_flavour(const LoadedAnnotations& l, const std::string& arch, const std::string& flavour) {
    const Annotations& a = l.annotations;
    const std::string file = l.tree.annotations_file().string();
    if (std::find(a.arches().begin(), a.arches().end(), arch) == a.arches().end())
        return bad_input("unknown arch " + quote_input(arch) + " (the header lists: " + join(a.arches(), " ") + ")",
                         file);
    if (!a.has_flavour(arch, flavour)) {
        Error e = bad_input("unknown flavour '" + arch + "-" + flavour + "' (not in the # FLAVOUR: header)", file);
        e.hint = "flavours of " + arch + ":";
        for (const auto& f : a.flavours_of(arch)) e.hint += " " + f;
        return e;
    }
    return ok_status();
}

Result<EditSet> import_config_file(LoadedAnnotations& l, const std::string& arch, const std::string& flavour,
                                   const fs::path& config_file, bool dry_run) {
    KF_TRY_STATUS(require_annotations_flavour(l, arch, flavour));
    KF_TRY(std::string config_text, read_text_file(config_file));
    KF_TRY(DotConfig config, parse_config_file(config_text, config_file.string()));
    for (const auto& s : config.settings) KF_TRY_STATUS(check_annotation_text(s.value, s.name, config_file.string()));
    l.annotations.import_config(config, arch, flavour);
    EditSet edits;
    edits.put(l.tree.annotations_file(), l.text, l.annotations.write());
    if (!dry_run) KF_TRY_STATUS(edits.apply());
    return edits;
}

std::vector<FlavourDiffRow> diff_flavours(const Annotations& a, const std::string& arch, const std::string& left,
                                          const std::string& right) {
    std::vector<FlavourDiffRow> rows;
    for (const auto& sym : a.symbols()) {
        // '-' and no value both mean "absent from the config".
        auto l = a.lookup(sym, arch, left).value_or("-");
        auto r = a.lookup(sym, arch, right).value_or("-");
        if (l != r) rows.push_back({sym.name, std::move(l), std::move(r)});
    }
    return rows;
}

}  // namespace kf
