// `kflavour list`: the tree's kind and its flavours per arch.
#include "cli/app.hpp"
#include "core/text.hpp"
#include "core/tree.hpp"

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

void print_json(const Context& ctx, const Tree& tree, const FlavourMap& flavours) {
    nlohmann::json out{{"kind", to_string(tree.kind)}, {"flavours", flavours}};
    if (tree.kind == TreeKind::ubuntu) out["debian_dir"] = tree.debian_name;
    ctx.out << out.dump(2) << "\n";
}

Status run_list(Context& ctx, const po::variables_map&) {
    KF_TRY(Tree tree, detect_tree(ctx.global.tree));
    FlavourMap flavours;
    if (tree.kind == TreeKind::ubuntu) {
        KF_TRY(flavours, ubuntu_flavours(tree));
    }
    if (ctx.global.json)
        print_json(ctx, tree, flavours);
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
