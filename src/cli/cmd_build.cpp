// kflavour build: turn a flavour into an installable .deb set (native, cross
// with --host, emulated with --arch), in a cached chroot or on the machine.
#include "archive/suites.hpp"
#include "base/fs.hpp"
#include "base/text.hpp"
#include "build/build_options.hpp"
#include "build/build_plan.hpp"
#include "build/build_request.hpp"
#include "build/build_run.hpp"
#include "build/build_setup.hpp"
#include "cli/app.hpp"
#include "config/kbuild.hpp"
#include "tree/tree.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace kf::cli {
namespace fs = std::filesystem;
namespace {

Status check_compress(const po::variables_map& vm) {
    const std::string type = string_option(vm, "compress");
    if (vm.count("compress") && !valid_deb_compression(type))
        return bad_input("--compress " + type + ": dpkg-deb takes zstd, xz, gzip or none");
    return ok_status();
}

void print_compile_tools(Context& ctx, const sys::BuildOutcome& o, const fs::path& out) {
    if (o.ccache && o.ccache->hits + o.ccache->misses > 0) {
        char rate[32];
        std::snprintf(rate, sizeof rate, "%.1f%%", o.ccache->hit_rate() * 100);
        ctx.info("  ccache    " + std::string(rate) + " hits (" + std::to_string(o.ccache->hits) + " of " +
                 std::to_string(o.ccache->hits + o.ccache->misses) + " compiles)");
    }
    if (o.distcc && (o.distcc->local_compiles > 0 || !o.distcc->host_errors.empty()))
        ctx.warn("distcc: " + std::to_string(o.distcc->local_compiles) +
                 " compiles ran on this machine instead of the farm" +
                 (o.distcc->host_errors.empty() ? "" : " (" + join(o.distcc->host_errors, "; ") + ")") + "; see " +
                 (out / "distcc.log").string());
}

void print_summary(Context& ctx, const sys::BuildOutcome& o, const fs::path& out) {
    print_compile_tools(ctx, o, out);
    ctx.info("built " + std::to_string(o.packages.size()) + " packages in " + sys::clock_time(o.seconds) + ": " + out.string());
    for (const auto& p : o.packages) {
        char size[32];
        std::snprintf(size, sizeof size, "%8.1f KiB", double(p.size) / 1024);
        ctx.info("  " + std::string(size) + "  " + p.file);
    }
}

// The options as given; build_options decides what they make.
sys::BuildOptions build_options(const po::variables_map& vm) {
    auto path = [&](const char* name) {
        return vm.count(name) ? std::optional(fs::absolute(string_option(vm, name))) : std::nullopt;
    };
    auto text = [&](const char* name) {
        return vm.count(name) ? std::optional(string_option(vm, name)) : std::nullopt;
    };
    sys::BuildOptions o;
    o.flavours = strings_option(vm, "flavour");
    if (vm.count("jobs")) o.jobs = vm["jobs"].as<int>();
    o.full = vm["full"].as<bool>();
    o.no_chroot = vm["no-chroot"].as<bool>();
    o.chroot_named = vm.count("chroot") > 0;
    o.ccache = !vm["no-ccache"].as<bool>();
    o.distcc_off = vm["no-distcc"].as<bool>();
    o.distcc = text("distcc");
    o.distcc_any = vm["distcc-any"].as<bool>();
    o.pkg_version = string_option(vm, "pkg-version");
    o.featureset = text("featureset");
    o.modules_from = path("modules-from");
    o.out = path("out");
    return o;
}

void print_dry_run(Context& ctx, const sys::BuildRun& run, const BuildPlan& plan) {
    ctx.out << "# kflavour build: " << run.title << "\n# out: " << run.out.string() << "\n";
    for (const auto& note : run.header_notes) ctx.out << "# " << note << "\n";
    if (run.chroot) ctx.out << "# in chroot " << run.chroot->name << " (" << run.chroot->tarball.string() << ")\n";
    if (run.chroot && !run.chroot->base.empty())
        ctx.out << "# the tree's build-dependencies prepared on top of chroot " << run.chroot->base
                << (run.chroot->cached ? " (cached)" : " (made on the first build)") << "\n";
    ctx.out << render_dry_run(plan);
}

// Runs the plan, printing each stage as it ends, then the summary (or the manifest with --json).
Status execute(Context& ctx, sys::BuildRun& run) {
    ctx.info("kflavour build: " + run.title + " -> " + run.out.string());
    if (!run.plan.knobs.empty()) ctx.info("  knobs: " + join(run.plan.knobs, " "));
    sys::SystemRunner runner;
    auto on_stage = [&](const std::string& stage, double secs) {
        std::string name = stage;
        name.resize(std::max<size_t>(name.size(), 8), ' ');
        ctx.info("  " + name + "  " + sys::clock_time(secs));
    };
    KF_TRY(auto outcome, sys::run_build(runner, ctx.os, run, on_stage));
    if (ctx.global.json) {
        print_compile_tools(ctx, outcome, run.out);
        ctx.out << outcome.manifest;
        return ok_status();
    }
    print_summary(ctx, outcome, run.out);
    return ok_status();
}

// The chroot to build in: --chroot NAME, else the suite's; with a Debian or
// Ubuntu tree's build-dependencies prepared on top.
Result<sys::BuildChroot> build_chroot(Context& ctx, const po::variables_map& vm, BuildRequest& req,
                                      const std::string& suite) {
    std::optional<std::string> name;
    if (vm.count("chroot")) name = string_option(vm, "chroot");
    const auto spec = sys::build_chroot_spec(req, suite, ctx.os.native_arch(), string_option(vm, "keyring"));
    auto output = [&](std::string_view chunk) { ctx.verbose_output(chunk); };
    sys::SystemRunner runner;
    KF_TRY(auto bc, sys::prepare_build_chroot(runner, ctx.os, ctx.reporter(), req, name, spec, ctx.global.dry_run,
                                              output));
    if (req.kind != TreeKind::upstream)
        KF_TRY_STATUS(sys::prepare_build_deps(runner, ctx.os, ctx.reporter(), req, bc, ctx.global.dry_run, output));
    return bc;
}

Status run_build(Context& ctx, const po::variables_map& vm) {
    KF_TRY(auto sel, sys::select_build_mode(ctx.os.native_arch(), string_option(vm, "host"), string_option(vm, "arch"),
                                            vm["native"].as<bool>()));
    KF_TRY_STATUS(check_compress(vm));
    std::error_code ec;
    fs::path root = fs::absolute(ctx.global.tree, ec).lexically_normal();
    if (root.has_filename() == false) root = root.parent_path();
    KF_TRY(auto tree, sys::build_tree(root));
    sys::SystemRunner runner;
    KF_TRY(auto req, sys::make_build_request(runner, ctx.os, ctx.reporter(), tree, root, sel, build_options(vm)));
    KF_TRY_STATUS(plan_build(req));  // bad input before a chroot is made
    sys::BuildRun run = sys::build_run_for(req, tree.kind, ctx.os.native_arch(), string_option(vm, "modules-from"));
    std::string suite = vm.count("suite") ? string_option(vm, "suite") : sys::default_build_suite(tree);
    if (req.in_chroot) {
        KF_TRY(auto bc, build_chroot(ctx, vm, req, suite));
        if (!bc.suite.empty()) suite = bc.suite;  // --chroot NAME: the suite it was made of
        run.chroot = bc;
    }
    const auto compress = vm.count("compress") ? std::optional(string_option(vm, "compress")) : std::nullopt;
    req.compression = sys::deb_compression(compress, req.in_chroot ? suite : sys::native_suite(), suite);
    KF_TRY(run.plan, plan_build(req));
    run.manifest_fields["suite"] = suite;
    run.manifest_fields["compression"] = req.compression.empty() ? "dpkg-deb default" : req.compression;
    if (ctx.global.dry_run) {
        print_dry_run(ctx, run, run.plan);
        return ok_status();
    }
    if (!req.in_chroot && req.mode == BuildMode::cross && tree.kind == TreeKind::upstream) {
        sys::SystemRunner probe;
        KF_TRY_STATUS(sys::kbuild_target(probe, ctx.os, req.host.debian));  // the cross compiler is here
    }
    run.kflavour = sys::kflavour_reentry(ctx.os);
    return execute(ctx, run);
}

}  // namespace

Command build_command() {
    Command c;
    c.name = "build";
    c.summary = "build a flavour into a .deb set (native, cross --host A, emulated --arch A)";
    c.usage = "[--flavour F]... [--featureset FS] [--host A | --arch A | --native] [--chroot NAME | --no-chroot] [--suite S] "
              "[--jobs N] [--no-ccache] [--distcc HOSTS [--distcc-any] | --no-distcc] [--compress TYPE] [--full] [--modules-from FILE] [--out DIR]";
    c.options = [](po::options_description& d, po::positional_options_description&) {
        d.add_options()
            ("flavour", po::value<std::vector<std::string>>()->value_name("F"),
             "a flavour to build (repeatable; default: every flavour of the arch)")
            ("host", po::value<std::string>()->value_name("A"), "cross-build for A with the build machine's cross compiler")
            ("arch", po::value<std::string>()->value_name("A"), "build for A in an A chroot through qemu-user (emulated)")
            ("native", po::bool_switch(), "build for the build machine's arch (the default)")
            ("chroot", po::value<std::string>()->value_name("NAME"), "build in this cached chroot")
            ("no-chroot", po::bool_switch(), "build directly on this machine")
            ("suite", po::value<std::string>()->value_name("S"),
             "the chroot's suite (default: the changelog's, or this machine's release)")
            ("keyring", po::value<std::string>()->value_name("FILE"),
             "the archive keyring a new chroot is checked with (default: the distro's in /usr/share/keyrings)")
            ("jobs,j", po::value<int>()->value_name("N"), "parallel jobs (default: the CPU count)")
            ("no-ccache", po::bool_switch(), "don't use ccache (default: on, cache in ~/.cache/kflavour/ccache)")
            ("distcc", po::value<std::string>()->value_name("HOSTS"),
             "compile on a distcc farm, HOSTS in distcc's syntax (\"node1/8 node2/8,lzo\"; default: $DISTCC_HOSTS when "
             "set); ccache stays in front, -j defaults to the farm's slots plus the local CPUs")
            ("distcc-any", po::bool_switch(), "build even when a host fails the check that runs first")
            ("no-distcc", po::bool_switch(), "don't use distcc, even with DISTCC_HOSTS set")
            ("compress", po::value<std::string>()->value_name("TYPE"),
             "dpkg-deb compressor: zstd, xz, gzip or none (default: zstd where the target's dpkg unpacks it, "
             "else dpkg-deb's own)")
            ("featureset", po::value<std::string>()->value_name("FS"),
             "Debian's kernel packaging: the featureset of --flavour (none, rt; default none)")
            ("full", po::bool_switch(), "Ubuntu trees: no fast/offline knobs (ABI checks, dkms, zfs, debug, d-i); Debian "
             "kernel flavours: no profiles (docs, udebs, source, debug packages, meta packages, tools are built)")
            ("modules-from", po::value<std::string>()->value_name("FILE"),
             "quick build (Ubuntu, upstream and Debian kernel flavours): reduce the config with localmodconfig to the modules in FILE (lsmod "
             "output or one name per line, from the target); the set's version gets +quick")
            ("pkg-version", po::value<std::string>()->value_name("V"),
             "upstream trees: the packages' version (default: <kernel version>-1)")
            ("out", po::value<std::string>()->value_name("DIR"),
             "where the .debs, build.log, manifest.json and reproduce.sh go (default: ../kflavour-out/<flavour>-<arch>)");
    };
    c.run = run_build;
    return c;
}

}  // namespace kf::cli
