// `kflavour new NAME`: add a flavour to an Ubuntu tree (tree/new_plan does
// the work; this file gathers inputs, then prints or applies the plan).
#include "cli/app.hpp"
#include "cli/new_debian.hpp"
#include "cli/new_inputs.hpp"
#include "cli/new_upstream.hpp"
#include "tree/resolve_run.hpp"
#include "tree/new_plan.hpp"
#include "base/text.hpp"
#include "archive/dpkg.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstring>
#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> strings(const po::variables_map& vm, const char* key) {
    if (!vm.count(key)) return {};
    return vm[key].as<std::vector<std::string>>();
}

// `--arch a --arch b` or `--arch a,b`.
std::vector<std::string> arch_list(const po::variables_map& vm) {
    std::vector<std::string> arches;
    for (auto value : strings(vm, "arch")) {
        for (char& c : value)
            if (c == ',') c = ' ';
        for (auto& a : split_words(value)) arches.push_back(a);
    }
    return arches;
}

// The definition, then --fragment files, then --set: later settings win.
Status add_settings(const sys::Os& os, const po::variables_map& vm, NewRequest& req) {
    if (vm.count("def")) {
        KF_TRY(FlavourDef def, load_flavour_def(os, vm["def"].as<std::string>()));
        req.supported = def.supported;
        req.target = def.target;
        req.vars = def.vars;
        req.notes = def.notes;
        req.settings = def.settings;
        if (def.description) req.summary = std::string(trim(split_lines(*def.description).front()));
    }
    for (const auto& file : strings(vm, "fragment")) {
        KF_TRY(auto settings, load_fragment(file));
        req.settings.insert(req.settings.end(), settings.begin(), settings.end());
    }
    for (const auto& text : strings(vm, "set")) {
        KF_TRY(ConfigSetting s, parse_setting(text));
        req.settings.push_back(std::move(s));
    }
    return ok_status();
}

Result<NewRequest> make_request(const sys::Os& os, const po::variables_map& vm) {
    if (!vm.count("name")) return bad_input("new: missing NAME (see kflavour new --help)");
    NewRequest req;
    req.name = vm["name"].as<std::string>();
    KF_TRY_STATUS(check_flavour_name(req.name));  // before reading anything the name points at
    // No --base: Ubuntu's generic, or a Debian arch's default flavour.
    if (vm.count("base")) {
        req.base = vm["base"].as<std::string>();
        KF_TRY_STATUS(check_flavour_name(req.base));
    } else {
        req.base.clear();
    }
    req.arches = arch_list(vm);
    if (vm.count("version-suffix")) req.version_suffix = vm["version-suffix"].as<std::string>();
    req.force = vm["force"].as<bool>();
    KF_TRY_STATUS(add_settings(os, vm, req));
    return req;
}

void say_about_resolve(const Context& ctx, const Tree& tree, const po::variables_map& vm) {
    if (vm["no-resolve"].as<bool>())
        ctx.verbose("not resolving the config (--no-resolve)");
    else if (!tree.has_kernel_source)
        ctx.verbose("the tree holds no kernel source: the annotations get the requested values as given "
                    "(run kflavour config resolve --source DIR later)");
    if (vm.count("base-config")) ctx.verbose("--base-config is for upstream trees; ignored on an Ubuntu tree");
}

// Run the kernel's Kconfig over the planned annotations, one arch at a time
// (docs/config-resolve.md); the plan's annotations edit gets the result.
Status resolve_new_flavour(const Context& ctx, const Tree& tree, const NewRequest& req, NewPlan& plan,
                           const po::variables_map& vm) {
    const fs::path file = tree.annotations_file();
    const std::string* planned = plan.edits.after(file);
    if (!planned) return ok_status();
    KF_TRY(Annotations notes, Annotations::parse(*planned, file, include_loader_for(file)));
    sys::SystemRunner runner;
    for (const auto& arch : plan.arches) {
        KF_TRY(sys::ResolveOutcome r, sys::resolve_flavour(runner, ctx.os, ctx.reporter(), notes, arch, req.name,
                                                           req.settings, tree.root, vm["allow-dropped"].as<bool>()));
        ctx.verbose(sys::describe_timings(r.timings));
    }
    KF_TRY(std::string before, read_text_file(file));
    plan.edits.put(file, std::move(before), notes.write());
    return ok_status();
}

void report(Context& ctx, const Tree& tree, const NewRequest& req, const NewPlan& plan) {
    if (ctx.global.json) {
        nlohmann::json files = nlohmann::json::array();
        for (const auto& e : plan.edits.edits()) files.push_back(e.path.lexically_relative(tree.root).string());
        ctx.out << nlohmann::json{{"flavour", req.name}, {"base", req.base}, {"arches", plan.arches},
                                  {"version", plan.version}, {"changed", !plan.nothing_to_do},
                                  {"dry_run", ctx.global.dry_run}, {"files", files}}
                       .dump(2)
                << "\n";
        return;
    }
    if (plan.nothing_to_do) {
        ctx.info("flavour " + req.name + " already exists as requested: nothing to do");
        return;
    }
    if (ctx.global.dry_run) return;
    ctx.info("added flavour " + req.name + " for " + join(plan.arches, " ") + " (based on " + req.base +
             "), version " + plan.version);
    for (const auto& e : plan.edits.edits())
        ctx.verbose((e.before ? "  changed " : "  created ") + e.path.lexically_relative(tree.root).string());
}

Status run_new(Context& ctx, const po::variables_map& vm) {
    KF_TRY(NewRequest req, make_request(ctx.os, vm));
    KF_TRY(Tree tree, detect_tree(ctx.global.tree));
    if (!ctx.global.dry_run) sweep_stale_temps_in_tree(tree.root);
    if (tree.kind == TreeKind::upstream) {
        UpstreamNewOptions opt;
        if (vm.count("base-config")) opt.base_config = vm["base-config"].as<std::string>();
        opt.no_resolve = vm["no-resolve"].as<bool>();
        opt.allow_dropped = vm["allow-dropped"].as<bool>();
        if (vm.count("rt-patch")) opt.rt_patch = vm["rt-patch"].as<std::string>();
        if (vm.count("keyring")) opt.keyring = vm["keyring"].as<std::string>();
        return run_new_upstream(ctx, tree, req, opt);
    }
    if (vm.count("rt-patch")) {
        Error e = bad_input("--rt-patch is for upstream kernel trees; this is " +
                                std::string(tree.kind == TreeKind::debian ? "a Debian" : "an Ubuntu") + " tree",
                            tree.root.string());
        e.hint = tree.kind == TreeKind::debian ? "Debian's own RT patches are its rt featureset (debian/patches-rt)"
                                               : "apply the RT patch to the tree yourself, then kflavour new NAME --def rt";
        return e;
    }
    if (tree.kind == TreeKind::debian) {
        if (vm.count("base-config")) ctx.verbose("--base-config is for upstream trees; ignored on a Debian tree");
        std::string featureset = vm.count("featureset") ? vm["featureset"].as<std::string>() : "none";
        return run_new_debian(ctx, tree, {req, featureset});
    }
    if (vm.count("featureset")) return bad_input("--featureset is for Debian's own kernel trees", tree.root.string());
    if (req.base.empty()) req.base = "generic";
    say_about_resolve(ctx, tree, vm);
    KF_TRY(PlanServices services, new_plan_services(ctx.os, tree.root));
    KF_TRY(NewPlan plan, plan_new_flavour(tree, req, services));
    if (tree.kind == TreeKind::ubuntu && tree.has_kernel_source && !vm["no-resolve"].as<bool>() && !plan.nothing_to_do)
        KF_TRY_STATUS(resolve_new_flavour(ctx, tree, req, plan, vm));
    KF_TRY_STATUS(show_or_apply(ctx, plan, tree.root));
    report(ctx, tree, req, plan);
    return ok_status();
}

void new_options(po::options_description& d, po::positional_options_description& p) {
    using strings_t = std::vector<std::string>;
    d.add_options()
        ("name", po::value<std::string>()->value_name("NAME"), "the new flavour's name (the first argument)")
        ("base", po::value<std::string>()->value_name("FLAVOUR"),
         "the flavour to start from (default: Ubuntu's generic; a Debian arch's default flavour)")
        ("featureset", po::value<std::string>()->value_name("FS"),
         "Debian trees: the featureset to add the flavour to (none, rt; default none)")
        ("arch", po::value<strings_t>()->composing()->value_name("A"),
         "an arch to build the flavour for (repeatable; default: every arch of the base)")
        ("def", po::value<std::string>()->value_name("NAME|FILE"),
         "a flavour definition: a name from flavours/ or a .flavour file")
        ("fragment", po::value<strings_t>()->composing()->value_name("FILE"),
         "a Kconfig fragment applied after the definition (repeatable)")
        ("set", po::value<strings_t>()->composing()->value_name("CONFIG_X=v"),
         "one setting applied last (repeatable)")
        ("base-config", po::value<std::string>()->value_name("TARGET|FILE"),
         "upstream trees (required there): the defconfig target (tinyconfig, defconfig, …) or .config file "
         "the fragments apply to")
        ("version-suffix", po::value<std::string>()->value_name("S"),
         "changelog version suffix: <version>+S (default: NAME1)")
        ("rt-patch", po::value<std::string>()->value_name("SOURCE"),
         "upstream trees: apply the PREEMPT_RT patch for the tree's version from SOURCE (a kernel.org-shaped "
         "directory or URL, a patch file, or a quilt series directory), all or nothing")
        ("keyring", po::value<std::string>()->value_name("FILE"),
         "with --rt-patch: verify the patch's .sign with gpgv and this keyring")
        ("no-resolve", po::bool_switch(), "don't run Kconfig over the result")
        ("allow-dropped", po::bool_switch(),
         "warn instead of failing when a requested option does not survive Kconfig")
        ("force", po::bool_switch(), "regenerate a flavour that already exists");
    p.add("name", 1);
}

}  // namespace

Command new_command() {
    return Command{"new", "add a flavour to the tree",
                   "NAME [--base FLAVOUR] [--arch A]... [--featureset none|rt] [--def NAME|FILE] [--fragment FILE]... "
                   "[--set CONFIG_X=v]... [--base-config TARGET|FILE] [--rt-patch SOURCE [--keyring FILE]] [--version-suffix S] "
                   "[--no-resolve] [--allow-dropped] "
                   "[--force]",
                   new_options, run_new, {}};
}

}  // namespace kf::cli
