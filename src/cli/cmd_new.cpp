// `kflavour new NAME`: the request from the options, the new stage's use
// case for the tree's kind (src/new/), and what it did (cli/new_render).
#include "base/text.hpp"
#include "cli/app.hpp"
#include "tree/annotations_store.hpp"
#include "cli/new_render.hpp"
#include "new/debian_new.hpp"
#include "new/new_inputs.hpp"
#include "new/ubuntu_new.hpp"
#include "new/upstream_new.hpp"
#include "tree/new_plan.hpp"

namespace kf::cli {
namespace fs = std::filesystem;
namespace {

// `--arch a --arch b` or `--arch a,b`.
std::vector<std::string> arch_list(const po::variables_map& vm) {
    std::vector<std::string> arches;
    for (auto value : strings_option(vm, "arch")) {
        for (char& c : value)
            if (c == ',') c = ' ';
        for (auto& a : split_words(value)) arches.push_back(a);
    }
    return arches;
}

// The definition, then --fragment files, then --set: later settings win.
Status add_settings(const sys::Os& os, const po::variables_map& vm, NewRequest& req) {
    KF_TRY(auto requested, sys::load_requested_settings(os, setting_sources(vm)));
    if (const auto& def = requested.def) {
        req.supported = def->supported;
        req.target = def->target;
        req.vars = def->vars;
        req.notes = def->notes;
        if (def->description) req.summary = std::string(trim(split_lines(*def->description).front()));
    }
    req.settings = std::move(requested.settings);
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

Status new_upstream(Context& ctx, const Tree& tree, const NewRequest& req, const po::variables_map& vm) {
    sys::UpstreamNewOptions opt;
    if (vm.count("base-config")) opt.base_config = vm["base-config"].as<std::string>();
    opt.no_resolve = vm["no-resolve"].as<bool>();
    opt.allow_dropped = vm["allow-dropped"].as<bool>();
    if (vm.count("rt-patch")) opt.rt_patch = vm["rt-patch"].as<std::string>();
    if (vm.count("keyring")) opt.keyring = vm["keyring"].as<std::string>();
    opt.dry_run = ctx.global.dry_run;
    sys::SystemRunner runner;
    KF_TRY(sys::UpstreamNewOutcome done, sys::new_upstream_flavour(runner, ctx.os, ctx.reporter(), tree, req, opt));
    render_new_upstream(ctx, tree, done);
    return ok_status();
}

Error rt_patch_not_upstream(const Tree& tree) {
    Error e = bad_input("--rt-patch is for upstream kernel trees; this is " +
                            std::string(tree.kind == TreeKind::debian ? "a Debian" : "an Ubuntu") + " tree",
                        tree.root.string());
    e.hint = tree.kind == TreeKind::debian ? "Debian's own RT patches are its rt featureset (debian/patches-rt)"
                                           : "apply the RT patch to the tree yourself, then kflavour new NAME --def rt";
    return e;
}

Status new_debian(Context& ctx, const Tree& tree, const NewRequest& req, const po::variables_map& vm) {
    if (vm.count("base-config")) ctx.verbose("--base-config is for upstream trees; ignored on a Debian tree");
    const DebianNewRequest request{req, vm.count("featureset") ? vm["featureset"].as<std::string>() : "none"};
    sys::SystemRunner runner;
    KF_TRY(NewPlan plan, sys::new_debian_flavour(runner, ctx.os, tree, request, ctx.global.dry_run));
    render_new_debian(ctx, tree, request, plan);
    return ok_status();
}

Status new_ubuntu(Context& ctx, const Tree& tree, NewRequest req, const po::variables_map& vm) {
    if (vm.count("featureset")) return bad_input("--featureset is for Debian's own kernel trees", tree.root.string());
    if (vm.count("base-config")) ctx.verbose("--base-config is for upstream trees; ignored on an Ubuntu tree");
    if (req.base.empty()) req.base = "generic";
    const sys::UbuntuNewOptions opt{!vm["no-resolve"].as<bool>(), vm["allow-dropped"].as<bool>(), ctx.global.dry_run};
    sys::SystemRunner runner;
    KF_TRY(NewPlan plan, sys::new_ubuntu_flavour(runner, ctx.os, ctx.reporter(), tree, req, opt));
    render_new_ubuntu(ctx, tree, req, plan);
    return ok_status();
}

Status run_new(Context& ctx, const po::variables_map& vm) {
    KF_TRY(NewRequest req, make_request(ctx.os, vm));
    KF_TRY(Tree tree, open_tree(ctx.global.tree, ctx.global.dry_run));
    if (tree.kind == TreeKind::upstream) return new_upstream(ctx, tree, req, vm);
    if (vm.count("rt-patch")) return rt_patch_not_upstream(tree);
    if (tree.kind == TreeKind::debian) return new_debian(ctx, tree, req, vm);
    return new_ubuntu(ctx, tree, req, vm);
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
