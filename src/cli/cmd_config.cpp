// kflavour config export|import|diff|resolve|check: the annotations engine
// on the command line (resolve: tree/resolve_run, check: config/config_check).
#include "cli/app.hpp"
#include "cli/config_debian.hpp"
#include "base/text.hpp"
#include "cli/new_render.hpp"
#include "new/new_inputs.hpp"
#include "new/upstream_new.hpp"
#include "tree/upstream_store.hpp"
#include "tree/resolve_run.hpp"
#include "tree/annotations_store.hpp"

#include "tree/annotations.hpp"
#include "config/config_check.hpp"
#include "base/edit_set.hpp"
#include "tree/tree.hpp"


#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace kf::cli {
namespace {

// The tree every config command works on, opened once. An upstream tree's
// flavours live in kflavour/ (tree/upstream_store), a Debian tree's in
// debian/config, an Ubuntu tree's in its annotations.
Result<Tree> config_tree(const Context& ctx) { return open_tree(ctx.global.tree, ctx.global.dry_run); }

void arch_flavour_options(po::options_description& d) {
    d.add_options()
        ("arch", po::value<std::string>()->required()->value_name("A"), "Debian architecture (amd64, arm64, …)")
        ("flavour", po::value<std::string>()->required()->value_name("F"), "flavour (generic, tickless, …)")
        ("featureset", po::value<std::string>()->default_value("none")->value_name("FS"),
         "Debian trees: the flavour's featureset (none, rt)");
}

sys::DebianConfigTarget debian_target(const po::variables_map& vm) {
    return {vm["arch"].as<std::string>(), vm["featureset"].as<std::string>(), vm["flavour"].as<std::string>()};
}

Status run_export(Context& ctx, const po::variables_map& vm) {
    KF_TRY(Tree tree, config_tree(ctx));
    const auto arch = vm["arch"].as<std::string>(), flavour = vm["flavour"].as<std::string>();
    if (tree.kind == TreeKind::upstream) {
        KF_TRY(std::string text, upstream_resolved_config(tree, arch, flavour));
        if (ctx.global.json) {
            nlohmann::ordered_json config = nlohmann::ordered_json::object();
            for (const auto& s : parse_dot_config(text).settings) config[s.name] = s.value;
            ctx.out << nlohmann::ordered_json{{"arch", arch}, {"flavour", flavour}, {"config", config}}.dump(2) << "\n";
        } else {
            ctx.out << text;
        }
        return ok_status();
    }
    if (tree.kind == TreeKind::debian) return run_export_debian(ctx, tree, debian_target(vm));
    KF_TRY(LoadedAnnotations l, load_annotations(std::move(tree)));
    KF_TRY_STATUS(require_annotations_flavour(l, arch, flavour));
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
    KF_TRY(Tree tree, config_tree(ctx));
    KF_TRY(LoadedAnnotations l, load_annotations(std::move(tree)));
    const auto arch = vm["arch"].as<std::string>(), flavour = vm["flavour"].as<std::string>();
    KF_TRY(EditSet edits, import_config_file(l, arch, flavour, vm["file"].as<std::string>(), ctx.global.dry_run));
    if (ctx.global.dry_run) {
        ctx.out << edits.unified_diff(l.tree.root);
        return ok_status();
    }
    ctx.info(edits.empty() ? "annotations unchanged" : "updated " + l.tree.annotations_file().string());
    return ok_status();
}

Status run_diff(Context& ctx, const po::variables_map& vm) {
    KF_TRY(Tree tree, config_tree(ctx));
    KF_TRY(LoadedAnnotations l, load_annotations(std::move(tree)));
    const auto arch = vm["arch"].as<std::string>();
    const auto names = vm["flavours"].as<std::vector<std::string>>();
    if (names.size() != 2) return bad_input("config diff needs two flavours: --arch A F1 F2");
    for (const auto& f : names) KF_TRY_STATUS(require_annotations_flavour(l, arch, f));
    const auto rows = diff_flavours(l.annotations, arch, names[0], names[1]);
    if (ctx.global.json) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const auto& r : rows) out.push_back({{"symbol", r.symbol}, {names[0], r.left}, {names[1], r.right}});
        ctx.out << out.dump(2) << "\n";
        return ok_status();
    }
    if (rows.empty()) return ok_status();
    auto padded = [](std::string s, size_t width) {
        s.resize(std::max(s.size() + 1, width), ' ');
        return s;
    };
    ctx.out << padded("symbol", 40) << padded(names[0], 12) << names[1] << "\n";
    for (const auto& r : rows) ctx.out << padded(r.symbol, 40) << padded(r.left, 12) << r.right << "\n";
    return ok_status();
}

// --def (or flavours/F.flavour when there is one and no --def/--fragment/--set),
// then --fragment files, then --set: later settings win.
Result<std::vector<ConfigSetting>> requested_settings(const Context& ctx, const po::variables_map& vm,
                                                      const std::string& flavour) {
    sys::SettingSources sources = setting_sources(vm);
    if (!vm["no-def"].as<bool>()) sources.default_def = flavour;
    KF_TRY(auto requested, sys::load_requested_settings(ctx.os, sources));
    if (requested.def && !sources.def)
        ctx.verbose("requested settings: the flavour definition " + requested.def->file.string());
    return std::move(requested.settings);
}

// The kernel source an Ubuntu tree's flavour resolves on: --source, else
// the tree itself when it carries the kernel.
Result<std::filesystem::path> resolve_source(const po::variables_map& vm, const Tree& tree) {
    if (vm.count("source")) return std::filesystem::path(vm["source"].as<std::string>());
    if (tree.has_kernel_source) return tree.root;
    Error e = bad_input("no kernel source: " + tree.root.string() + " has no top Makefile with VERSION and PATCHLEVEL");
    e.hint = "pass --source DIR (an unpacked kernel tree of the same version)";
    return e;
}

nlohmann::ordered_json resolve_json(const std::string& arch, const std::string& flavour,
                                    const std::filesystem::path& source, const EditSet& edits, bool dry_run,
                                    size_t requested, const sys::ResolveOutcome& r) {
    nlohmann::ordered_json dropped = nlohmann::ordered_json::array();
    for (const auto& d : r.dropped)
        dropped.push_back({{"symbol", d.name}, {"requested", d.requested}, {"resolved", d.resolved}});
    return nlohmann::ordered_json{{"arch", arch},
                                  {"flavour", flavour},
                                  {"source", source.string()},
                                  {"changed", !edits.empty()},
                                  {"dry_run", dry_run},
                                  {"requested", requested},
                                  {"kconfig_changes", r.changed},
                                  {"dropped", dropped},
                                  {"unknown", r.unknown},
                                  {"timing_ms",
                                   {{"kflavour", r.timings.own_ms()},
                                    {"export", r.timings.export_ms},
                                    {"lookup", r.timings.lookup_ms},
                                    {"import", r.timings.import_ms},
                                    {"make", r.timings.make_ms},
                                    {"tools", r.timings.tool_ms}}}};
}

Status run_resolve(Context& ctx, const po::variables_map& vm) {
    KF_TRY(Tree tree, config_tree(ctx));
    const auto arch = vm["arch"].as<std::string>(), flavour = vm["flavour"].as<std::string>();
    if (tree.kind == TreeKind::upstream) {
        // The stored flavour is the request; --def/--fragment/--set add to it.
        if (vm.count("source")) ctx.verbose("--source is for Ubuntu trees; an upstream tree is its own source");
        std::vector<ConfigSetting> extra;
        if (vm.count("def") || vm.count("fragment") || vm.count("set")) {
            KF_TRY(extra, requested_settings(ctx, vm, flavour));
        }
        const sys::UpstreamResolveRequest request{arch, flavour, extra, vm["allow-dropped"].as<bool>(),
                                                  ctx.global.dry_run};
        sys::SystemRunner runner;
        KF_TRY(auto done, sys::resolve_upstream_flavour(runner, ctx.os, ctx.reporter(), tree, request));
        render_resolve_upstream(ctx, tree, request, done);
        return ok_status();
    }
    if (tree.kind == TreeKind::debian) {
        if (!vm.count("source"))
            return with_hint(bad_input("config resolve on a Debian tree needs --source DIR"),
                             "the kernel source the packaging applies to (e.g. an unpacked linux-source-X.Y)");
        KF_TRY(auto requested, requested_settings(ctx, vm, flavour));
        return run_resolve_debian(ctx, tree, debian_target(vm), requested, vm["source"].as<std::string>(),
                                  vm["allow-dropped"].as<bool>());
    }
    KF_TRY(LoadedAnnotations l, load_annotations(std::move(tree)));
    const std::filesystem::path file = l.tree.annotations_file();
    KF_TRY_STATUS(require_annotations_flavour(l, arch, flavour));
    KF_TRY(std::filesystem::path source, resolve_source(vm, l.tree));
    KF_TRY(auto requested, requested_settings(ctx, vm, flavour));
    sys::SystemRunner runner;
    KF_TRY(auto done, sys::resolve_annotations_file(runner, ctx.os, ctx.reporter(), l.annotations, file, arch, flavour,
                                                    requested, source, vm["allow-dropped"].as<bool>(),
                                                    ctx.global.dry_run));
    const EditSet& edits = done.edits;
    const sys::ResolveOutcome& r = done.resolve;
    if (ctx.global.dry_run && !ctx.global.json) ctx.out << edits.unified_diff(l.tree.root);
    if (ctx.global.json) {
        ctx.out << resolve_json(arch, flavour, source, edits, ctx.global.dry_run, requested.size(), r).dump(2) << "\n";
        return ok_status();
    }
    if (!ctx.global.dry_run)
        ctx.info(edits.empty() ? "annotations unchanged: " + arch + "-" + flavour + " is already resolved"
                               : "resolved " + arch + "-" + flavour + " (" + std::to_string(r.changed.size()) +
                                     " settings from Kconfig); updated " + file.string());
    return ok_status();
}

Status run_check(Context& ctx, const po::variables_map& vm) {
    KF_TRY(Tree tree, config_tree(ctx));
    const auto arch = vm["arch"].as<std::string>(), flavour = vm["flavour"].as<std::string>();
    std::vector<ConfigSetting> expected;
    if (tree.kind == TreeKind::upstream) {
        // Upstream: the flavour's resolved kflavour/F/A.config is the reference.
        KF_TRY(std::string resolved, upstream_resolved_config(tree, arch, flavour));
        expected = parse_dot_config(resolved).settings;
    } else if (tree.kind == TreeKind::debian) {
        // Debian: the merged config; Kconfig's own additions are not in it.
        KF_TRY(DotConfig merged, sys::debian_flavour_config(tree, debian_target(vm)));
        expected = merged.settings;
    } else {
        KF_TRY(LoadedAnnotations l, load_annotations(std::move(tree)));
        KF_TRY_STATUS(require_annotations_flavour(l, arch, flavour));
        expected = l.annotations.resolve(arch, flavour);
    }
    const std::string path = vm["file"].as<std::string>();
    KF_TRY(CheckResult c, check_config_file(expected, path));
    if (ctx.global.json) {
        auto rows = [](const std::vector<ConfigMismatch>& list) {
            nlohmann::ordered_json a = nlohmann::ordered_json::array();
            for (const auto& m : list) a.push_back({{"symbol", m.name}, {"annotations", m.expected}, {"file", m.actual}});
            return a;
        };
        ctx.out << nlohmann::ordered_json{{"arch", arch}, {"flavour", flavour}, {"file", path},
                                          {"compared", c.compared}, {"ok", c.ok()},
                                          {"mismatches", rows(c.mismatches)},
                                          {"toolchain_dependent", rows(c.toolchain_dependent)}}
                       .dump(2)
                << "\n";
    } else {
        if (!c.mismatches.empty())
            ctx.out << path << ": " << c.mismatches.size() << " mismatch(es) with the annotations of " << arch << "-"
                    << flavour << " (symbol, annotations, file):\n"
                    << describe_mismatches(c.mismatches);
        if (!c.toolchain_dependent.empty())
            ctx.out << path << ": " << c.toolchain_dependent.size()
                    << " toolchain-dependent mismatch(es) (compiler capabilities, symbol, annotations, file):\n"
                    << describe_mismatches(c.toolchain_dependent);
        if (c.ok()) ctx.info(path + " agrees with the annotations of " + arch + "-" + flavour + " (" +
                             std::to_string(c.compared) + " symbols compared)");
    }
    if (!c.ok()) {
        Error e = bad_input(path + " disagrees with the annotations of " + arch + "-" + flavour + " (" +
                            std::to_string(c.mismatches.size() + c.toolchain_dependent.size()) + " symbols)");
        e.code = Exit::check_failed;
        return e;
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
    Command resolve_cmd{
        "resolve", "run the kernel's Kconfig (olddefconfig) over a flavour's config and record the result",
        "--arch A --flavour F [--source DIR] [--def NAME|FILE] [--fragment FILE]... [--set CONFIG_X=v]... "
        "[--allow-dropped]",
        [](po::options_description& d, po::positional_options_description&) {
            using strings_t = std::vector<std::string>;
            arch_flavour_options(d);
            d.add_options()
                ("source", po::value<std::string>()->value_name("DIR"),
                 "the kernel source (default: the tree itself when it holds one)")
                ("def", po::value<std::string>()->value_name("NAME|FILE"),
                 "flavour definition whose fragment is requested (default: flavours/F.flavour if there is one)")
                ("no-def", po::bool_switch(), "don't look up flavours/F.flavour")
                ("fragment", po::value<strings_t>()->composing()->value_name("FILE"),
                 "a Kconfig fragment to request (repeatable)")
                ("set", po::value<strings_t>()->composing()->value_name("CONFIG_X=v"),
                 "one setting to request (repeatable)")
                ("allow-dropped", po::bool_switch(),
                 "warn instead of failing when a requested option does not survive Kconfig");
        },
        run_resolve, {}};
    Command check_cmd{"check", "exit 1 and list mismatches if a .config disagrees with the annotations",
                      "--arch A --flavour F FILE",
                      [](po::options_description& d, po::positional_options_description& p) {
                          arch_flavour_options(d);
                          d.add_options()("file", po::value<std::string>()->required()->value_name("FILE"),
                                          "the .config to check");
                          p.add("file", 1);
                      },
                      run_check, {}};
    return Command{"config", "export, import, compare, resolve and check flavour configs (FORMAT 4 annotations)",
                   "<subcommand> [options]", nullptr, nullptr,
                   {export_cmd, import_cmd, diff_cmd, resolve_cmd, check_cmd}};
}

}  // namespace kf::cli
