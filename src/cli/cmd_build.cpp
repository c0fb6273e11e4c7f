// kflavour build: turn a flavour into an installable .deb set (native, cross
// with --host, emulated with --arch), in a cached chroot or on the machine.
#include "cli/app.hpp"
#include "base/text.hpp"
#include "build/build_request.hpp"
#include "base/data_dirs.hpp"
#include "build/build_plan.hpp"
#include "tree/changelog.hpp"
#include "base/edit_set.hpp"
#include "archive/suites.hpp"
#include "tree/tree.hpp"
#include "build/build_run.hpp"
#include "archive/dpkg.hpp"
#include "chroot/chroot.hpp"
#include "build/distcc.hpp"
#include "config/kbuild.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <thread>

namespace kf::cli {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> opts(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? vm[name].as<std::vector<std::string>>() : std::vector<std::string>();
}

// What the kernel's bindeb-pkg / Ubuntu's rules need in the chroot.
const std::vector<std::string> kernel_build_packages = {"bc",   "bison", "flex",    "libssl-dev", "libelf-dev",
                                                        "kmod", "cpio",  "rsync",   "python3",    "fakeroot"};

struct Selection {
    BuildMode mode = BuildMode::native;
    std::string build_arch;
    ArchNames host;
};

Result<Selection> select_mode(const sys::Os& os, const po::variables_map& vm) {
    Selection s;
    s.build_arch = os.native_arch();
    const std::string host = string_option(vm, "host"), arch = string_option(vm, "arch");
    if (!host.empty() && !arch.empty()) return bad_input("--host (cross) and --arch (emulated) exclude each other");
    if (vm["native"].as<bool>() && (!host.empty() || !arch.empty()))
        return bad_input("--native excludes --host and --arch");
    std::string target = s.build_arch;
    if (!host.empty() && host != s.build_arch) {
        s.mode = BuildMode::cross;
        target = host;
    } else if (!arch.empty() && arch != s.build_arch) {
        s.mode = BuildMode::emulated;
        target = arch;
        s.build_arch = arch;  // everything runs in an `arch` chroot
    }
    auto names = arch_names(target);
    if (!names) return bad_input("unknown arch " + quote_input(target) + " (amd64, arm64, armhf, i386, ppc64el, riscv64, s390x)");
    s.host = *names;
    return s;
}

std::string default_suite(const Tree& tree) {
    if (tree.kind != TreeKind::upstream) {
        fs::path changelog = tree.kind == TreeKind::ubuntu ? tree.changelog_file() : tree.root / "debian" / "changelog";
        if (auto text = read_text_file(changelog); text.ok())
            if (auto top = parse_changelog_top(text.value(), changelog.string()); top.ok()) {
                auto d = split_words(top.value().top.distribution);
                if (!d.empty() && d[0] != "UNRELEASED" && d[0] != "unstable") return d[0];
                if (!d.empty() && d[0] == "unstable") return "sid";
            }
    }
    return sys::native_suite();
}

std::string target_suite(const po::variables_map& vm, const Tree& tree) {
    const std::string suite = string_option(vm, "suite");
    return suite.empty() ? default_suite(tree) : suite;
}

Status check_compress(const po::variables_map& vm) {
    const std::string type = string_option(vm, "compress");
    if (vm.count("compress") && !valid_deb_compression(type))
        return bad_input("--compress " + type + ": dpkg-deb takes zstd, xz, gzip or none");
    return ok_status();
}

// --compress, else the fastest compressor both the building dpkg-deb (the
// chroot's, or this machine's) and the target's dpkg know.
std::string deb_compression(const po::variables_map& vm, const std::string& build_suite, const std::string& target) {
    if (vm.count("compress")) return string_option(vm, "compress");
    const std::string fast = default_deb_compression(target);
    return fast == default_deb_compression(build_suite) ? fast : std::string();
}

// The chroot to build in: --chroot NAME, else the suite's (created when missing).
Result<sys::BuildChroot> prepare_chroot(Context& ctx, const po::variables_map& vm, const BuildRequest& req,
                                        const std::string& suite) {
    sys::BuildChroot bc;
    const fs::path chroots = sys::chroot_cache_dir(ctx.os);
    if (vm.count("chroot")) {
        KF_TRY(auto info, sys::find_chroot(chroots, string_option(vm, "chroot")));
        bc.name = info.name;
        bc.suite = info.suite;
        bc.tarball = info.tarball;
    } else {
        sys::ChrootSpec spec;
        spec.suite = suite;
        spec.arch = req.mode == BuildMode::emulated ? req.host.debian : req.build_arch;
        spec.native_arch = ctx.os.native_arch();
        if (req.mode == BuildMode::cross) spec.hosts = {req.host.debian};
        spec.qemu = req.mode == BuildMode::emulated;
        spec.keyring = string_option(vm, "keyring");
        if (req.kind != TreeKind::debian) spec.includes = kernel_build_packages;
        // Linux 6.12's bindeb-pkg declares Build-Depends (debhelper-compat,
        // and the target's libssl-dev for the headers' host programs, which
        // it builds for the target) and dpkg-buildpackage checks them.
        if (req.kind == TreeKind::upstream) {
            spec.includes.push_back("debhelper");
            if (req.mode == BuildMode::cross) spec.includes.push_back("libssl-dev:" + req.host.debian);
        }
        if (req.ccache_dir) spec.includes.push_back("ccache");
        if (!req.distcc_hosts.empty()) spec.includes.push_back("distcc");
        spec.name = sys::default_name(spec);
        bc.name = spec.name;
        bc.suite = spec.suite;
        bc.tarball = sys::chroot_paths(chroots, spec.name).tarball;
        if (!ctx.global.dry_run) {
            std::string tmpl;
            if (sys::distro_of(spec.suite) == sys::Distro::ubuntu) {
                KF_TRY(tmpl, sys::read_data_file(ctx.os, "templates/ubuntu.sources"));
            }
            if (!fs::exists(bc.tarball)) ctx.info("chroot " + spec.name + ": creating with mmdebstrap");
            sys::SystemRunner runner;
            auto sink = [&](std::string_view chunk) { ctx.verbose_output(chunk); };
            KF_TRY(auto res, sys::create_chroot(runner, spec, chroots, tmpl, false, sink));
            ctx.info("  chroot    " + sys::clock_time(res.seconds) + "  " + res.name + (res.reused ? " (cached)" : " (created)"));
        }
    }
    bc.binds = sys::tree_binds(req.tree);
    bc.binds.push_back(req.out);
    if (req.ccache_dir) {
        // A bind mount needs its source to exist.
        std::error_code ec;
        if (!ctx.global.dry_run) fs::create_directories(*req.ccache_dir, ec);
        bc.binds.push_back(*req.ccache_dir);
    }
    return bc;
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

// A kernel tree (detect_tree), or any Debian source package: debian/control
// and an executable debian/rules build with dpkg-buildpackage.
Result<Tree> build_tree(const fs::path& root) {
    auto tree = detect_tree(root);
    if (tree.ok()) return tree;
    std::error_code ec;
    if (fs::exists(root / "debian" / "control", ec) && fs::exists(root / "debian" / "rules", ec)) {
        Tree t;
        t.kind = TreeKind::debian;
        t.root = root;
        return t;
    }
    return tree;
}

// "tickless-arm64": the flavours (or the tree's name), a Debian flavour's
// featureset other than none, and the host arch.
std::string build_label(const BuildRequest& req, const fs::path& root) {
    std::string featureset;  // Debian's rt flavours: tickless-rt-arm64
    if (req.debian_flavour && req.debian_flavour->featureset != "none") featureset = "-" + req.debian_flavour->featureset;
    return (req.flavours.empty() ? root.filename().string() : join(req.flavours, "+")) + featureset + "-" + req.host.debian;
}

// The request from the options and the tree's own facts (upstream release,
// Ubuntu flavours and version, a quick build's module list), with its output dir.
Result<BuildRequest> make_request(Context& ctx, const po::variables_map& vm, const Tree& tree, const fs::path& root,
                                  const Selection& sel) {
    BuildRequest req;
    req.kind = tree.kind;
    req.tree = root;
    req.flavours = opts(vm, "flavour");
    req.mode = sel.mode;
    req.build_arch = sel.build_arch;
    req.host = sel.host;
    req.jobs = vm.count("jobs") ? vm["jobs"].as<int>() : int(std::max(1u, std::thread::hardware_concurrency()));
    req.full = vm["full"].as<bool>();
    req.in_chroot = !vm["no-chroot"].as<bool>();
    if (!req.in_chroot && vm.count("chroot")) return bad_input("--chroot and --no-chroot exclude each other");
    if (!vm["no-ccache"].as<bool>()) req.ccache_dir = sys::build_ccache_dir(ctx.os);
    const sys::DistccChoice distcc{vm["no-distcc"].as<bool>(),
                                   vm.count("distcc") ? std::optional(string_option(vm, "distcc")) : std::nullopt,
                                   vm["distcc-any"].as<bool>(), vm.count("jobs") > 0};
    sys::SystemRunner runner;
    KF_TRY_STATUS(sys::fill_distcc(runner, ctx.os, ctx.reporter(), req, distcc));
    if (tree.kind == TreeKind::upstream) KF_TRY_STATUS(sys::fill_upstream(ctx.os, req, string_option(vm, "pkg-version")));
    if (tree.kind == TreeKind::ubuntu) KF_TRY_STATUS(sys::fill_ubuntu(req, tree));
    // --flavour on a Debian tree: one flavour of Debian's kernel packaging
    // (another source package is bad input saying why it is not one).
    const bool debian_kernel = tree.kind == TreeKind::debian && !req.flavours.empty();
    if (debian_kernel)
        KF_TRY_STATUS(sys::fill_debian_kernel(req, tree, vm.count("featureset") ? string_option(vm, "featureset") : "none"));
    else if (vm.count("featureset"))
        return bad_input("--featureset picks the featureset of one --flavour of Debian's kernel packaging (debian/config)");
    if (vm.count("modules-from")) {
        if (tree.kind == TreeKind::debian && !debian_kernel)
            return with_hint(bad_input("--modules-from builds Ubuntu and upstream trees and one --flavour of Debian's kernel "
                                       "packaging; a whole Debian source package makes its configs inside its own build"),
                             "docs/build.md, Quick builds");
        KF_TRY_STATUS(sys::fill_quick(ctx.reporter(), req, tree, fs::absolute(string_option(vm, "modules-from"))));
    }
    req.out = vm.count("out") ? fs::absolute(string_option(vm, "out")).lexically_normal()
                              : root.parent_path() / "kflavour-out" / build_label(req, root);
    if (req.out.filename().empty()) req.out = req.out.parent_path();
    if (!req.in_chroot && req.mode == BuildMode::emulated)
        return bad_input("--arch " + req.host.debian + " runs the build under qemu in an " + req.host.debian +
                         " chroot: drop --no-chroot (or cross-build with --host)");
    return req;
}

// The run's title and the manifest's fields that the request decides.
sys::BuildRun build_run_for(const BuildRequest& req, const Tree& tree, const po::variables_map& vm,
                            const std::string& machine_arch) {
    sys::BuildRun run;
    run.out = req.out;
    run.title = build_label(req, req.tree) + ", " + std::string(to_string(req.mode)) +
                (req.mode == BuildMode::cross ? " from " + req.build_arch : std::string());
    run.manifest_fields = {{"tree", req.tree.string()},     {"kind", std::string(to_string(tree.kind))},
                           {"mode", std::string(to_string(req.mode))},
                           {"build_arch", machine_arch}, {"host_arch", req.host.debian},
                           {"flavours", join(req.flavours, " ")}, {"package_version", req.package_version},
                           {"config", req.quick_lsmod.empty() ? "full" : "quick (localmodconfig of " + string_option(vm, "modules-from") + ")"}};
    if (!req.applied_patches.empty()) run.manifest_fields["rt_patch"] = join(req.applied_patches, "; ");
    for (const auto& p : req.applied_patches) run.header_notes.push_back("the tree carries the RT patch of " + p);
    return run;
}

void print_dry_run(Context& ctx, const sys::BuildRun& run, const BuildPlan& plan) {
    ctx.out << "# kflavour build: " << run.title << "\n# out: " << run.out.string() << "\n";
    for (const auto& note : run.header_notes) ctx.out << "# " << note << "\n";
    if (run.chroot) ctx.out << "# in chroot " << run.chroot->name << " (" << run.chroot->tarball.string() << ")\n";
    if (run.chroot && !run.chroot->base.empty())
        ctx.out << "# the tree's build-dependencies prepared on top of chroot " << run.chroot->base
                << (fs::exists(run.chroot->tarball) ? " (cached)" : " (made on the first build)") << "\n";
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
        KF_TRY(auto manifest, read_text_file(run.out / "manifest.json"));
        ctx.out << manifest;
        return ok_status();
    }
    print_summary(ctx, outcome, run.out);
    return ok_status();
}

Status run_build(Context& ctx, const po::variables_map& vm) {
    KF_TRY(auto sel, select_mode(ctx.os, vm));
    KF_TRY_STATUS(check_compress(vm));
    std::error_code ec;
    fs::path root = fs::absolute(ctx.global.tree, ec).lexically_normal();
    if (root.has_filename() == false) root = root.parent_path();
    KF_TRY(auto tree, build_tree(root));
    KF_TRY(auto req, make_request(ctx, vm, tree, root, sel));
    KF_TRY_STATUS(plan_build(req));  // bad input before a chroot is made
    sys::BuildRun run = build_run_for(req, tree, vm, ctx.os.native_arch());
    std::string suite = target_suite(vm, tree);
    if (req.in_chroot) {
        KF_TRY(auto bc, prepare_chroot(ctx, vm, req, suite));
        if (tree.kind != TreeKind::upstream) {
            sys::SystemRunner runner;
            auto output = [&](std::string_view chunk) { ctx.verbose_output(chunk); };
            KF_TRY_STATUS(sys::prepare_build_deps(runner, ctx.os, ctx.reporter(), req, bc, ctx.global.dry_run, output));
        }
        if (!bc.suite.empty()) suite = bc.suite;  // --chroot NAME: the suite it was made of
        run.chroot = bc;
    }
    req.compression = deb_compression(vm, req.in_chroot ? suite : sys::native_suite(), suite);
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
    if (auto self = ctx.os.env_nonempty("KFLAVOUR_SELF")) run.kflavour = *self;
    else run.kflavour = fs::canonical("/proc/self/exe", ec).string();
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
