#include "build/build_request.hpp"
#include "tree/upstream_store.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "deps/control_file.hpp"
#include "deps/build_deps.hpp"
#include "tree/changelog.hpp"
#include "tree/kernel_version.hpp"
#include "build/module_list.hpp"
#include "tree/upstream_flavour.hpp"
#include "deps/build_depends.hpp"
#include "deps/build_deps_chroot.hpp"
#include "chroot/chroot.hpp"
#include "build/distcc.hpp"
#include "archive/dpkg.hpp"
#include "config/kbuild.hpp"
#include "build/tree_modules.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <unistd.h>

namespace kf::sys {
namespace fs = std::filesystem;
std::string clock_time(double secs) {
    char buf[32];
    const int s = int(secs + 0.5);
    std::snprintf(buf, sizeof buf, "%d:%02d", s / 60, s % 60);
    return buf;
}

namespace {

// What each flavour asks for, which the reduction must keep.
Status fill_requested(BuildRequest& req, const Tree& tree) {
    if (req.debian_flavour) return fill_debian_requested(req);
    if (tree.kind == TreeKind::ubuntu) {
        KF_TRY(auto notes, Annotations::load(tree.annotations_file()));
        for (const auto& f : req.flavours)
            req.quick_requested[f] = ubuntu_requested_fragment(notes, req.host.debian, f);
        return ok_status();
    }
    const UpstreamLayout layout{req.tree};
    for (const auto& f : req.flavours) {
        auto fragment = read_text_file(layout.fragment_file(f));
        req.quick_requested[f] = fragment.ok() ? *fragment : std::string();
    }
    return ok_status();
}

}  // namespace

Status fill_quick(const Reporter& report, BuildRequest& req, const Tree& tree, const fs::path& list_file) {
    KF_TRY(auto text, read_text_file(list_file));
    KF_TRY(auto modules, parse_module_list(text, list_file.string()));
    const auto known = tree_module_objects(req.tree);
    std::vector<std::string> unknown;
    for (const auto& m : modules)
        if (!known.count(m)) unknown.push_back(m);
    if (unknown.size() == modules.size()) {
        const auto shown = long(std::min<size_t>(5, modules.size()));
        const std::vector<std::string> first(modules.begin(), modules.begin() + shown);
        return with_hint(bad_input("none of the " + std::to_string(modules.size()) +
                                       " modules in the list is built by this tree (" + join(first, ", ") +
                                       (modules.size() > 5 ? ", …" : "") + ")",
                                   list_file.string()),
                         "the list is lsmod output (or one module name per line) from the machine the kernel is for");
    }
    if (!unknown.empty())
        report.warning(std::to_string(unknown.size()) + " of " + std::to_string(modules.size()) +
                       " modules in the list are not built by this tree (localmodconfig ignores them): " +
                       join(unknown, " "));
    req.quick_lsmod = lsmod_text(modules);
    KF_TRY_STATUS(fill_requested(req, tree));
    req.package_version = quick_version(req.package_version);
    return ok_status();
}

namespace {

// bindeb-pkg copies include/, scripts/ and arch/ of the source with tar: a
// symlinked one would land in the headers package as a link to this machine's
// path, and the build's own files would be written through it into the target.
Status check_real_dirs(const fs::path& tree) {
    for (const char* dir : {"include", "scripts", "arch"}) {
        std::error_code ec;
        if (fs::is_symlink(tree / dir, ec))
            return with_hint(bad_input(std::string("the tree's ") + dir +
                                           "/ is a symlink: make bindeb-pkg would package the link and write build "
                                           "files through it",
                                       (tree / dir).string()),
                             "build from a real tree (a hard-link copy works: cp -al SOURCE/. TREE/)");
    }
    return ok_status();
}

// The kernel's build timestamp: $SOURCE_DATE_EPOCH when set (reproducible
// builds), else now; fixed for the whole build (and in reproduce.sh).
Result<std::string> build_timestamp(const Os& os) {
    KF_TRY(auto epoch, source_date_epoch(os));
    const std::time_t t = epoch ? std::time_t(*epoch) : os.now();
    char buf[64];
    std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S UTC %Y", std::gmtime(&t));
    return std::string(buf);
}

// The tree's localversion* files (the RT patch brings localversion-rt).
Result<std::string> tree_localversion(const fs::path& tree) {
    std::vector<std::pair<std::string, std::string>> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(tree, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with("localversion") || !entry.is_regular_file(ec)) continue;
        KF_TRY(std::string text, read_text_file(entry.path()));
        files.emplace_back(name, std::move(text));
    }
    return localversion_suffix(std::move(files));
}

// "FLAVOUR: NAME (sha256 …) from SOURCE" for each flavour with an RT patch.
Result<std::vector<std::string>> recorded_patches(const fs::path& tree, const std::vector<std::string>& flavours) {
    std::vector<std::string> out;
    for (const auto& f : flavours) {
        KF_TRY(auto flavour, stored_upstream_flavour(tree, f));
        if (flavour && flavour->rt_patch)
            out.push_back(f + ": " + flavour->rt_patch->name + " (sha256 " + flavour->rt_patch->sha256 + ") from " +
                          flavour->rt_patch->source);
    }
    return out;
}

}  // namespace

Status fill_upstream(const Os& os, BuildRequest& req, const std::string& pkg_version) {
    KF_TRY_STATUS(check_real_dirs(req.tree));
    if (req.flavours.empty()) req.flavours = resolved_flavours(req.tree, req.host.debian);
    if (req.flavours.empty())
        return with_hint(bad_input("no flavour of this tree has a config for " + req.host.debian,
                                   UpstreamLayout{req.tree}.dir().string()),
                         "add one: kflavour new tickless --arch " + req.host.debian + " --base-config tinyconfig");
    for (const auto& f : req.flavours) {
        if (!resolved_config_file(req.tree, req.host.debian, f))
            return with_hint(bad_input("flavour " + f + " has no resolved config for " + req.host.debian,
                                       UpstreamLayout{req.tree}.resolved_config(f, req.host.debian).string()),
                             "kflavour new " + f + " --arch " + req.host.debian + " (or config resolve)");
    }
    KF_TRY(auto makefile, read_text_file(req.tree / "Makefile"));
    KF_TRY(req.kernel_release_base, kernel_version_from_makefile(makefile));
    KF_TRY(std::string localversion, tree_localversion(req.tree));
    req.kernel_release_base += localversion;
    KF_TRY(req.applied_patches, recorded_patches(req.tree, req.flavours));
    req.package_version = pkg_version;
    if (req.package_version.size() > 64) return bad_input("--pkg-version too long (at most 64 characters)");
    if (!req.package_version.empty()) KF_TRY_STATUS(check_version(req.package_version));
    if (req.package_version.empty()) req.package_version = req.kernel_release_base + "-1";
    KF_TRY(req.build_timestamp, build_timestamp(os));
    return ok_status();
}

// Ubuntu trees: the flavours asked for (default: every flavour of the host
// arch), the changelog's version, $DEBIAN and the arch's do_dkms_* knobs.
Status fill_ubuntu(BuildRequest& req, const Tree& tree) {
    KF_TRY(auto map, ubuntu_flavours(tree));
    const auto& have = map[req.host.debian];
    const std::string rules = tree.rules_file(req.host.debian).string();
    if (have.empty()) return bad_input("the tree builds no flavour for " + req.host.debian, rules);
    if (req.flavours.empty()) req.flavours = have;
    for (const auto& f : req.flavours)
        if (std::find(have.begin(), have.end(), f) == have.end())
            return with_hint(bad_input("flavour " + f + " is not built for " + req.host.debian, rules),
                             "kflavour new " + f + " --arch " + req.host.debian);
    KF_TRY(auto text, read_text_file(tree.changelog_file()));
    KF_TRY(auto top, parse_changelog_top(text, tree.changelog_file().string()));
    req.package_version = top.top.version;
    req.changelog_version = top.top.version;
    req.debian_name = tree.debian_name;
    if (auto text = read_text_file(tree.rules_file(req.host.debian)); text.ok())
        req.dkms_knobs = dkms_variables(text.value());
    return ok_status();
}

Status fill_distcc(ProcessRunner& runner, const Os& os, const Reporter& report, BuildRequest& req,
                   const DistccChoice& choice) {
    if (choice.off) {
        if (choice.hosts) return bad_input("--distcc and --no-distcc exclude each other");
        return ok_status();
    }
    const bool from_env = !choice.hosts;
    const std::string hosts = from_env ? distcc_hosts_from_env(os) : *choice.hosts;
    if (hosts.empty() && from_env) return ok_status();
    if (req.mode == BuildMode::emulated)
        return with_hint(bad_input("--distcc with --arch: an emulated build runs its compiler under qemu as plain "
                                   "gcc, and distcc would hand those compiles to hosts whose gcc makes code for their "
                                   "own arch"),
                         "cross-build with --host " + req.host.debian + " --distcc HOSTS (or --no-distcc)");
    KF_TRY(req.distcc_hosts, distcc_hosts(runner, hosts));
    req.distcc_any = choice.any;
    const int cpus = int(os.cpu_count());
    if (!choice.jobs_given) req.jobs = distcc_jobs(req.distcc_hosts, cpus);
    report.progress(std::string("  distcc    ") + (from_env ? "hosts from $DISTCC_HOSTS: " : "hosts: ") + hosts);
    if (!choice.jobs_given) report.progress("  jobs      " + distcc_jobs_text(req.distcc_hosts, cpus));
    return ok_status();
}


}  // namespace kf::sys
