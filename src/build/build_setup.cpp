#include "build/build_setup.hpp"

#include "archive/suites.hpp"
#include "base/fs.hpp"
#include "base/text.hpp"
#include "build/build_request.hpp"
#include "tree/changelog.hpp"

namespace kf::sys {
namespace fs = std::filesystem;
namespace {

// What the kernel's bindeb-pkg / Ubuntu's rules need in the chroot.
const std::vector<std::string> kernel_build_packages = {"bc",   "bison", "flex",    "libssl-dev", "libelf-dev",
                                                        "kmod", "cpio",  "rsync",   "python3",    "fakeroot"};

// `spec`'s chroot from the cache, made first when missing.
Status make_chroot(ProcessRunner& runner, const Os& os, const Reporter& report, const ChrootSpec& spec,
                   const fs::path& chroots, const fs::path& tarball, const ProcessRunner::OutputSink& output) {
    KF_TRY(const std::string tmpl, sources_template(os, spec.suite));
    if (!fs::exists(tarball)) report.progress("chroot " + spec.name + ": creating with mmdebstrap");
    KF_TRY(auto res, create_chroot(runner, spec, chroots, tmpl, false, output));
    report.progress("  chroot    " + clock_time(res.seconds) + "  " + res.name +
                    (res.reused ? " (cached)" : " (created)"));
    return ok_status();
}

}  // namespace

Result<BuildSelection> select_build_mode(const std::string& native_arch, const std::string& host,
                                         const std::string& arch, bool native_flag) {
    BuildSelection s;
    s.build_arch = native_arch;
    if (!host.empty() && !arch.empty()) return bad_input("--host (cross) and --arch (emulated) exclude each other");
    if (native_flag && (!host.empty() || !arch.empty())) return bad_input("--native excludes --host and --arch");
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
    if (!names)
        return bad_input("unknown arch " + quote_input(target) +
                         " (" + built_arches_list() + ")");
    s.host = *names;
    return s;
}

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

std::string default_build_suite(const Tree& tree) {
    if (tree.kind == TreeKind::upstream) return native_suite();
    const fs::path changelog =
        tree.kind == TreeKind::ubuntu ? tree.changelog_file() : tree.root / "debian" / "changelog";
    auto text = read_text_file(changelog);
    if (!text.ok()) return native_suite();
    auto top = parse_changelog_top(text.value(), changelog.string());
    if (!top.ok()) return native_suite();
    auto d = split_words(top.value().top.distribution);
    if (!d.empty() && d[0] == "unstable") return "sid";
    if (!d.empty() && d[0] != "UNRELEASED") return d[0];
    return native_suite();
}

std::string build_label(const BuildRequest& req, const fs::path& root) {
    std::string featureset;  // Debian's rt flavours: tickless-rt-arm64
    if (req.debian_flavour && req.debian_flavour->featureset != "none")
        featureset = "-" + req.debian_flavour->featureset;
    return (req.flavours.empty() ? root.filename().string() : join(req.flavours, "+")) + featureset + "-" +
           req.host.debian;
}

std::string deb_compression(const std::optional<std::string>& given, const std::string& build_suite,
                            const std::string& target) {
    if (given) return *given;
    const std::string fast = default_deb_compression(target);
    return fast == default_deb_compression(build_suite) ? fast : std::string();
}

ChrootSpec build_chroot_spec(const BuildRequest& req, const std::string& suite, const std::string& native_arch,
                             const std::string& keyring) {
    ChrootSpec spec;
    spec.suite = suite;
    spec.arch = req.mode == BuildMode::emulated ? req.host.debian : req.build_arch;
    spec.native_arch = native_arch;
    if (req.mode == BuildMode::cross) spec.hosts = {req.host.debian};
    spec.qemu = req.mode == BuildMode::emulated;
    spec.keyring = keyring;
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
    spec.name = default_name(spec);
    return spec;
}

Result<BuildChroot> prepare_build_chroot(ProcessRunner& runner, const Os& os, const Reporter& report,
                                         const BuildRequest& req, const std::optional<std::string>& name,
                                         const ChrootSpec& spec, bool dry_run,
                                         const ProcessRunner::OutputSink& output) {
    BuildChroot bc;
    const fs::path chroots = chroot_cache_dir(os);
    if (name) {
        KF_TRY(auto info, find_chroot(chroots, *name));
        bc.name = info.name;
        bc.suite = info.suite;
        bc.tarball = info.tarball;
    } else {
        bc.name = spec.name;
        bc.suite = spec.suite;
        bc.tarball = chroot_paths(chroots, spec.name).tarball;
        if (!dry_run) KF_TRY_STATUS(make_chroot(runner, os, report, spec, chroots, bc.tarball, output));
    }
    bc.binds = tree_binds(req.tree);
    bc.binds.push_back(req.out);
    if (req.ccache_dir) {
        // A bind mount needs its source to exist.
        std::error_code ec;
        if (!dry_run) fs::create_directories(*req.ccache_dir, ec);
        bc.binds.push_back(*req.ccache_dir);
    }
    return bc;
}

std::string kflavour_reentry(const Os& os) {
    if (auto self = os.env_nonempty("KFLAVOUR_SELF")) return *self;
    return os.executable().string();
}

BuildRun build_run_for(const BuildRequest& req, TreeKind kind, const std::string& machine_arch,
                       const std::string& modules_from) {
    BuildRun run;
    run.out = req.out;
    run.title = build_label(req, req.tree) + ", " + std::string(to_string(req.mode)) +
                (req.mode == BuildMode::cross ? " from " + req.build_arch : std::string());
    run.manifest_fields = {{"tree", req.tree.string()},
                           {"kind", std::string(to_string(kind))},
                           {"mode", std::string(to_string(req.mode))},
                           {"build_arch", machine_arch},
                           {"host_arch", req.host.debian},
                           {"flavours", join(req.flavours, " ")},
                           {"package_version", req.package_version},
                           {"config", req.quick_lsmod.empty() ? std::string("full")
                                                              : "quick (localmodconfig of " + modules_from + ")"}};
    if (!req.applied_patches.empty()) run.manifest_fields["rt_patch"] = join(req.applied_patches, "; ");
    for (const auto& p : req.applied_patches) run.header_notes.push_back("the tree carries the RT patch of " + p);
    return run;
}

}  // namespace kf::sys
