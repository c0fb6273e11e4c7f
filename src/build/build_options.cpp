#include "build/build_options.hpp"

namespace kf::sys {
namespace fs = std::filesystem;
namespace {

// --flavour on a Debian tree names one flavour of Debian's kernel packaging
// (another source package is bad input saying why it is not one).
bool debian_kernel_flavour(const Tree& tree, const std::vector<std::string>& flavours) {
    return tree.kind == TreeKind::debian && !flavours.empty();
}

// Options that only some tree kinds or modes take, checked before any work.
Status check_exclusions(const Tree& tree, const BuildSelection& sel, const BuildOptions& opt) {
    if (opt.no_chroot && opt.chroot_named) return bad_input("--chroot and --no-chroot exclude each other");
    if (opt.no_chroot && sel.mode == BuildMode::emulated)
        return bad_input("--arch " + sel.host.debian + " runs the build under qemu in an " + sel.host.debian +
                         " chroot: drop --no-chroot (or cross-build with --host)");
    const bool debian_kernel = debian_kernel_flavour(tree, opt.flavours);
    if (opt.featureset && !debian_kernel)
        return bad_input("--featureset picks the featureset of one --flavour of Debian's kernel packaging (debian/config)");
    if (opt.modules_from && tree.kind == TreeKind::debian && !debian_kernel)
        return with_hint(bad_input("--modules-from builds Ubuntu and upstream trees and one --flavour of Debian's kernel "
                                   "packaging; a whole Debian source package makes its configs inside its own build"),
                         "docs/build.md, Quick builds");
    return ok_status();
}

}  // namespace

Result<BuildRequest> make_build_request(ProcessRunner& runner, const Os& os, const Reporter& report, const Tree& tree,
                                        const fs::path& root, const BuildSelection& sel, const BuildOptions& opt) {
    BuildRequest req;
    req.kind = tree.kind;
    req.tree = root;
    req.flavours = opt.flavours;
    req.mode = sel.mode;
    req.build_arch = sel.build_arch;
    req.host = sel.host;
    req.jobs = opt.jobs.value_or(int(os.cpu_count()));
    req.full = opt.full;
    req.in_chroot = !opt.no_chroot;
    if (opt.ccache) req.ccache_dir = build_ccache_dir(os);
    KF_TRY_STATUS(check_exclusions(tree, sel, opt));
    const DistccChoice distcc{opt.distcc_off, opt.distcc, opt.distcc_any, opt.jobs.has_value()};
    KF_TRY_STATUS(fill_distcc(runner, os, report, req, distcc));
    if (tree.kind == TreeKind::upstream) KF_TRY_STATUS(fill_upstream(os, req, opt.pkg_version));
    if (tree.kind == TreeKind::ubuntu) KF_TRY_STATUS(fill_ubuntu(req, tree));
    if (debian_kernel_flavour(tree, req.flavours))
        KF_TRY_STATUS(fill_debian_kernel(req, tree, opt.featureset.value_or("none")));
    if (opt.modules_from) KF_TRY_STATUS(fill_quick(report, req, tree, *opt.modules_from));
    req.out = opt.out ? opt.out->lexically_normal() : root.parent_path() / "kflavour-out" / build_label(req, root);
    if (req.out.filename().empty()) req.out = req.out.parent_path();
    return req;
}

}  // namespace kf::sys
