// `kflavour list`: the tree's kind and its flavours per arch.
#include "cli/app.hpp"
#include "cli/new_upstream.hpp"
#include "base/text.hpp"
#include "tree/tree.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace kf::cli {
namespace {

void print_text(const Context& ctx, const Tree& tree, const FlavourMap& flavours) {
    std::string kind(to_string(tree.kind));
    if (tree.kind == TreeKind::ubuntu) kind += " (" + tree.debian_name + ")";
    ctx.out << "kind: " << kind << "\n";
    if (tree.kind == TreeKind::debian) ctx.out << "(listing the flavours of a Debian tree is not supported yet)\n";
    for (const auto& [arch, names] : flavours) ctx.out << arch << ": " << join(names, " ") << "\n";
}

// Upstream: each flavour's base config and where its resolved configs are.
nlohmann::json upstream_json(const Tree& tree, const std::map<std::string, UpstreamFlavour>& list) {
    nlohmann::json out = nlohmann::json::object();
    UpstreamLayout layout{tree.root};
    for (const auto& [name, f] : list) {
        nlohmann::json configs = nlohmann::json::object();
        for (const auto& arch : f.arches) {
            auto file = layout.resolved_config(name, arch);
            std::error_code ec;
            configs[arch] = std::filesystem::exists(file, ec) ? nlohmann::json(file.lexically_relative(tree.root).string())
                                                              : nlohmann::json(nullptr);
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
