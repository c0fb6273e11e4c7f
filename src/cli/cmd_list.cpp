// `kflavour list`: the tree's kind and its flavours per arch.
#include "cli/app.hpp"
#include "tree/upstream_store.hpp"
#include "base/text.hpp"
#include "tree/debian_defines.hpp"
#include "tree/tree.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace kf::cli {
namespace {

// Debian: one line per arch and featureset, as the defines declare them.
void print_debian(const Context& ctx, const DebianTree& tree) {
    ctx.out << "kind: debian (" << tree.source << " " << tree.version << ", "
            << (tree.format == DefinesFormat::toml ? "defines.toml" : "defines") << ")\n";
    for (const auto& arch : tree.arches)
        for (const auto& set : arch.featuresets)
            ctx.out << arch.name << " " << set.name << ": " << join(set.flavours, " ") << "\n";
}

nlohmann::json debian_json(const DebianTree& tree) {
    nlohmann::json arches = nlohmann::json::object();
    for (const auto& arch : tree.arches) {
        nlohmann::json sets = nlohmann::json::object();
        for (const auto& set : arch.featuresets) sets[set.name] = set.flavours;
        arches[arch.name] = {{"featuresets", sets}, {"default_flavour", arch.default_flavour}};
    }
    return {{"source", tree.source}, {"version", tree.version},
            {"format", tree.format == DefinesFormat::toml ? "toml" : "ini"}, {"arches", arches}};
}

void print_text(const Context& ctx, const Tree& tree, const FlavourMap& flavours) {
    std::string kind(to_string(tree.kind));
    if (tree.kind == TreeKind::ubuntu) kind += " (" + tree.debian_name + ")";
    ctx.out << "kind: " << kind << "\n";
    for (const auto& [arch, names] : flavours) ctx.out << arch << ": " << join(names, " ") << "\n";
}

// Upstream: each flavour's base config and where its resolved configs are.
nlohmann::json upstream_json(const Tree& tree, const std::map<std::string, UpstreamFlavour>& list) {
    nlohmann::json out = nlohmann::json::object();
    UpstreamLayout layout{tree.root};
    for (const auto& [name, f] : list) {
        nlohmann::json configs = nlohmann::json::object();
        for (const auto& arch : f.arches) {
            auto file = resolved_config_file(tree.root, arch, name);
            configs[arch] = file ? nlohmann::json(file->lexically_relative(tree.root).string()) : nlohmann::json(nullptr);
        }
        out[name] = {{"base_config", f.base.value},
                     {"base_config_is_file", f.base.kind == BaseConfig::Kind::file},
                     {"file", layout.flavour_file(name).lexically_relative(tree.root).string()},
                     {"configs", configs}};
    }
    return out;
}

void print_json(const Context& ctx, const Tree& tree, const FlavourMap& flavours,
                const std::map<std::string, UpstreamFlavour>& upstream) {
    nlohmann::json out{{"kind", to_string(tree.kind)}, {"flavours", flavours}};
    if (tree.kind == TreeKind::ubuntu) out["debian_dir"] = tree.debian_name;
    if (tree.kind == TreeKind::upstream) {
        out["flavour_dir"] = UpstreamLayout::dir_name;
        out["upstream"] = upstream_json(tree, upstream);
    }
    ctx.out << out.dump(2) << "\n";
}

Status run_list(Context& ctx, const po::variables_map&) {
    KF_TRY(Tree tree, detect_tree(ctx.global.tree));
    if (tree.kind == TreeKind::debian) {
        KF_TRY(DebianTree debian, read_debian_tree(tree.root));
        FlavourMap flavours;  // featureset none's, as for the other kinds
        for (const auto& arch : debian.arches)
            if (const auto* none = arch.featureset("none")) flavours[arch.name] = none->flavours;
        if (!ctx.global.json) {
            print_debian(ctx, debian);
            return ok_status();
        }
        ctx.out << nlohmann::json{{"kind", "debian"}, {"flavours", flavours}, {"debian", debian_json(debian)}}.dump(2)
                << "\n";
        return ok_status();
    }
    FlavourMap flavours;
    std::map<std::string, UpstreamFlavour> upstream;
    if (tree.kind == TreeKind::ubuntu) {
        KF_TRY(flavours, ubuntu_flavours(tree));
    } else if (tree.kind == TreeKind::upstream) {
        KF_TRY(upstream, load_upstream_flavours(tree));
        for (const auto& [name, f] : upstream)
            for (const auto& arch : f.arches) flavours[arch].push_back(name);
    }
    if (ctx.global.json)
        print_json(ctx, tree, flavours, upstream);
    else
        print_text(ctx, tree, flavours);
    return ok_status();
}

}  // namespace

Command list_command() {
    return Command{"list", "the tree's kind (ubuntu, debian, upstream) and its flavours per arch", "",
                   [](po::options_description&, po::positional_options_description&) {}, run_list, {}};
}

}  // namespace kf::cli
