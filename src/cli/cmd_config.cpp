// kflavour config export|import|diff: the annotations engine on the command line.
#include "cli/app.hpp"

#include "core/annotations.hpp"
#include "core/edit_set.hpp"
#include "core/tree.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace kf::cli {
namespace {

struct Loaded {
    Tree tree;
    Annotations annotations;
};

Result<Loaded> load_annotations(const Context& ctx) {
    KF_TRY(Tree tree, detect_tree(ctx.global.tree));
    if (tree.kind != TreeKind::ubuntu)
        return bad_input("'config' works on Ubuntu trees (debian/debian.env); " + ctx.global.tree.string() +
                         " is a " + std::string(to_string(tree.kind)) + " tree");
    KF_TRY(Annotations a, Annotations::load(tree.annotations_file()));
    return Loaded{std::move(tree), std::move(a)};
}

// The flavour must be in the `# FLAVOUR:` header: Ubuntu's tool silently
// drops keys of flavours it doesn't list, so an import would vanish.
Status require_flavour(const Annotations& a, const std::filesystem::path& file, const std::string& arch,
                       const std::string& flavour) {
    if (std::find(a.arches().begin(), a.arches().end(), arch) == a.arches().end())
        return bad_input("unknown arch '" + arch + "' (the header lists: " + [&] {
            std::string s;
            for (const auto& x : a.arches()) s += (s.empty() ? "" : " ") + x;
            return s;
        }() + ")", file.string());
    if (!a.has_flavour(arch, flavour)) {
        Error e = bad_input("unknown flavour '" + arch + "-" + flavour + "' (not in the # FLAVOUR: header)",
                            file.string());
        e.hint = "flavours of " + arch + ":";
        for (const auto& f : a.flavours_of(arch)) e.hint += " " + f;
        return e;
    }
    return ok_status();
}

void arch_flavour_options(po::options_description& d) {
    d.add_options()
        ("arch", po::value<std::string>()->required()->value_name("A"), "Debian architecture (amd64, arm64, …)")
        ("flavour", po::value<std::string>()->required()->value_name("F"), "flavour (generic, tickless, …)");
}

Status run_export(Context& ctx, const po::variables_map& vm) {
    KF_TRY(Loaded l, load_annotations(ctx));
    const auto arch = vm["arch"].as<std::string>(), flavour = vm["flavour"].as<std::string>();
    KF_TRY_STATUS(require_flavour(l.annotations, l.tree.annotations_file(), arch, flavour));
    if (ctx.global.json) {
        nlohmann::ordered_json config = nlohmann::ordered_json::object();
        for (const auto& s : l.annotations.resolve(arch, flavour))
            if (s.value != "-") config[s.name] = s.value;
        ctx.out << nlohmann::ordered_json{{"arch", arch}, {"flavour", flavour}, {"config", config}}.dump(2) << "\n";
        return ok_status();
    }
    ctx.out << l.annotations.export_config(arch, flavour);
    return ok_status();
}

Status run_import(Context& ctx, const po::variables_map& vm) {
    KF_TRY(Loaded l, load_annotations(ctx));
    const auto arch = vm["arch"].as<std::string>(), flavour = vm["flavour"].as<std::string>();
    const std::filesystem::path file = l.tree.annotations_file();
    KF_TRY_STATUS(require_flavour(l.annotations, file, arch, flavour));
    KF_TRY(std::string config_text, read_file(vm["file"].as<std::string>()));
    const std::string before = *read_file(file);
    l.annotations.import_config(parse_dot_config(config_text), arch, flavour);
    EditSet edits;
    edits.put(file, before, l.annotations.write());
    if (ctx.global.dry_run) {
        ctx.out << edits.unified_diff(l.tree.root);
        return ok_status();
    }
    KF_TRY_STATUS(edits.apply());
    ctx.info(edits.empty() ? "annotations unchanged" : "updated " + file.string());
    return ok_status();
}

Status run_diff(Context& ctx, const po::variables_map& vm) {
    KF_TRY(Loaded l, load_annotations(ctx));
    const auto arch = vm["arch"].as<std::string>();
    const auto names = vm["flavours"].as<std::vector<std::string>>();
    if (names.size() != 2) return bad_input("config diff needs two flavours: --arch A F1 F2");
    for (const auto& f : names) KF_TRY_STATUS(require_flavour(l.annotations, l.tree.annotations_file(), arch, f));
    const auto& a = l.annotations;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    std::string text;
    for (const auto& sym : a.symbols()) {
        // '-' and no value both mean "absent from the config".
        auto left = a.lookup(sym, arch, names[0]).value_or("-");
        auto right = a.lookup(sym, arch, names[1]).value_or("-");
        if (left == right) continue;
        rows.push_back({{"symbol", sym.name}, {names[0], left}, {names[1], right}});
        std::string name = sym.name;
        name.resize(std::max<size_t>(name.size() + 1, 40), ' ');
        std::string l_col = left;
        l_col.resize(std::max<size_t>(l_col.size() + 1, 12), ' ');
        text += name + l_col + right + "\n";
    }
    if (ctx.global.json) {
        ctx.out << rows.dump(2) << "\n";
    } else if (!text.empty()) {
        std::string head = "symbol";
        head.resize(40, ' ');
        std::string left = names[0];
        left.resize(std::max<size_t>(left.size() + 1, 12), ' ');
        ctx.out << head << left << names[1] << "\n" << text;
    }
    return ok_status();
}

}  // namespace

Command config_command() {
    Command export_cmd{"export", "print a flavour's full .config (same bytes as Ubuntu's annotations --export)",
                       "--arch A --flavour F",
                       [](po::options_description& d, po::positional_options_description&) { arch_flavour_options(d); },
                       run_export, {}};
    Command import_cmd{"import", "record a .config as a flavour's config in the annotations (as annotations --import)",
                       "--arch A --flavour F FILE",
                       [](po::options_description& d, po::positional_options_description& p) {
                           arch_flavour_options(d);
                           d.add_options()("file", po::value<std::string>()->required()->value_name("FILE"),
                                           "the .config to import");
                           p.add("file", 1);
                       },
                       run_import, {}};
    Command diff_cmd{"diff", "the symbols where two flavours of an arch differ", "--arch A F1 F2",
                     [](po::options_description& d, po::positional_options_description& p) {
                         d.add_options()
                             ("arch", po::value<std::string>()->required()->value_name("A"), "Debian architecture")
                             ("flavours", po::value<std::vector<std::string>>()->required()->multitoken(),
                              "the two flavours");
                         p.add("flavours", 2);
                     },
                     run_diff, {}};
    return Command{"config", "export, import and compare flavour configs (FORMAT 4 annotations)",
                   "<subcommand> [options]", nullptr, nullptr, {export_cmd, import_cmd, diff_cmd}};
}

}  // namespace kf::cli
