#include "build/build_plan.hpp"

#include "base/arch.hpp"
#include "config/config_check.hpp"

#include "base/text.hpp"
#include "deps/build_deps.hpp"
#include "build/module_list.hpp"
#include "build/plan_steps.hpp"
#include "build/debian_kernel_plan.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;

std::string_view to_string(BuildMode mode) {
    switch (mode) {
    case BuildMode::native: return "native";
    case BuildMode::cross: return "cross";
    case BuildMode::emulated: return "emulated";
    }
    return "?";
}

namespace {
using namespace plan_steps;

std::string str(const fs::path& p) { return p.string(); }

Status check_no_spaces(const fs::path& p, std::string_view what) {
    if (p.string().find_first_of(" \t\n'\"$\\") != std::string::npos)
        return bad_input(std::string(what) + " path has a space or shell character, which the kernel's make can't take: " +
                         p.string());
    return ok_status();
}

// Arguments every make invocation of one upstream flavour shares.
std::vector<std::string> upstream_make(const BuildRequest& req, const fs::path& objtree, const std::string& flavour) {
    const bool cross = req.mode == BuildMode::cross;
    const std::string prefix = cross ? req.host.triplet + "-" : "";
    std::vector<std::string> argv = {"make", "-C", str(req.tree), "O=" + str(objtree), "ARCH=" + req.host.karch};
    if (cross) argv.push_back("CROSS_COMPILE=" + prefix);
    // Linux >= 5.2 takes the compiler front ends only from make's command line.
    if (req.ccache_dir) {
        argv.push_back("CC=ccache " + prefix + "gcc");
        argv.push_back("HOSTCC=ccache gcc");
    } else if (!req.distcc_hosts.empty()) {
        argv.push_back("CC=distcc " + req.host.triplet + "-gcc");
    }
    argv.push_back("LOCALVERSION=-" + flavour);
    argv.push_back("KDEB_PKGVERSION=" + req.package_version);
    argv.push_back("KBUILD_DEBARCH=" + req.host.debian);
    // What bindeb-pkg's debian/rules passes (the version's revision): with the
    // same value and a fixed KBUILD_BUILD_TIMESTAMP the package stage finds
    // vmlinux up to date instead of linking it again.
    const auto dash = req.package_version.rfind('-');
    argv.push_back("KBUILD_BUILD_VERSION=" +
                   (dash == std::string::npos ? std::string("1") : req.package_version.substr(dash + 1)));
    return argv;
}

// The resolved config must be what olddefconfig keeps: a difference means the
// tree changed since it was resolved. The lines that name the toolchain
// differ by design: a cross compiler and the same gcc in an emulated chroot
// have different names, and the machine that resolved may have Rust where
// the build chroot has none. They are left out.
std::vector<std::string> config_check_command(const fs::path& resolved, const fs::path& kept) {
    const std::string keep = "grep -Ev '" + toolchain_lines_regex() + "'";
    return {"bash", "-c",
            "diff -u --label \"$0\" --label \"$1 (after olddefconfig)\" "
            "<(" + keep + " \"$0\") <(" + keep + " \"$1\") || "
            "{ echo \"kflavour: olddefconfig changed the resolved config: the tree or the toolchain is not the one "
            "it was resolved with (kflavour config resolve updates it)\" >&2; exit 1; }",
            str(resolved), str(kept)};
}

// Quick builds: the kernel's own localmodconfig reduces the resolved config
// to what the target's modules need (LSMOD= the list, in the objtree), then
// every setting the flavour requests must still hold.
void add_quick_reduction(BuildPlan& plan, const BuildRequest& req, const std::vector<std::string>& make,
                         const fs::path& objtree, const std::string& flavour) {
    const fs::path lsmod = add_quick_list(plan, req);
    // localmodconfig ends in `conf --oldconfig`: no terminal to ask.
    std::vector<std::string> step = {"sh", "-c", "\"$@\" </dev/null", "sh"};
    step.insert(step.end(), make.begin(), make.end());
    step.push_back("LSMOD=" + str(lsmod));
    step.push_back("localmodconfig");
    add(plan, "config", step);
    add_quick_check(plan, req, flavour, objtree / ".config");
}

Result<BuildPlan> plan_upstream(const BuildRequest& req) {
    BuildPlan plan;
    plan.work = req.out / ".work";
    KF_TRY_STATUS(check_no_spaces(req.tree, "the tree"));
    KF_TRY_STATUS(check_no_spaces(req.out, "the output"));
    if (req.ccache_dir) KF_TRY_STATUS(check_no_spaces(*req.ccache_dir, "the ccache"));
    add(plan, "prepare", {"rm", "-rf", str(plan.work)});
    for (const auto& flavour : req.flavours) {
        const fs::path objtree = plan.work / ("obj-" + flavour);
        const fs::path config = req.tree / "kflavour" / flavour / (req.host.debian + ".config");
        auto make = upstream_make(req, objtree, flavour);
        plan.releases.push_back(req.kernel_release_base + "-" + flavour);
        add(plan, "prepare", {"mkdir", "-p", str(objtree)});
        add(plan, "prepare", {"cp", str(config), str(objtree / ".config")});
        auto step = make;
        step.push_back("olddefconfig");
        add(plan, "config", step);
        add(plan, "config", config_check_command(config, objtree / ".config"));
        if (!req.quick_lsmod.empty()) add_quick_reduction(plan, req, make, objtree, flavour);
        step = make;
        step.push_back("-j" + std::to_string(req.jobs));
        add(plan, "compile", step);
        step.push_back("bindeb-pkg");
        if (req.mode == BuildMode::cross) {
            const fs::path hook = plan.work / ("fix-headers-" + flavour + ".sh");
            plan.helper_files[hook] = fix_headers_script(req, objtree);
            step.push_back("DPKG_FLAGS=--hook-buildinfo=" + str(hook));
        }
        add(plan, "package", step);
    }
    add(plan, "collect", collect_command(plan.work, req.out, {"*.deb", "*.changes", "*.buildinfo"}));
    add(plan, "collect", {"rm", "-rf", str(plan.work)});
    add_compile_tools(plan, req, req.tree);
    if (!req.build_timestamp.empty()) plan.env["KBUILD_BUILD_TIMESTAMP"] = req.build_timestamp;
    // bindeb-pkg's builddeb passes it to dpkg-deb as -Z (any kernel, any dpkg).
    if (!req.compression.empty()) plan.env["KDEB_COMPRESS"] = req.compression;
    return plan;
}

Result<BuildPlan> plan_debian(const BuildRequest& req) {
    BuildPlan plan;
    plan.work = req.out / ".work";
    const fs::path src = add_build_copy(plan, req);
    add_native_markings(plan, req, src);
    add_build_dep(plan, req, src);
    std::vector<std::string> build = {"dpkg-buildpackage", "-b", "-uc", "-us", "-j" + std::to_string(req.jobs)};
    if (req.mode == BuildMode::cross) {
        build.push_back("-a" + req.host.debian);
        build.push_back("-P" + join(build_profiles(true), ","));
    }
    add(plan, "compile", build, src);
    add(plan, "collect", collect_command(src.parent_path(), req.out, {"*.deb", "*.changes", "*.buildinfo"}));
    add(plan, "collect", {"rm", "-rf", str(plan.work)});
    add_compile_tools(plan, req, src);
    set_dpkg_deb_compression(plan, req);
    return plan;
}

std::vector<std::string> ubuntu_knobs(const BuildRequest& req) {
    std::vector<std::string> knobs = {"skipabi=true", "skipmodule=true", "skipdbg=true", "do_zfs=false"};
    for (const auto& d : req.dkms_knobs) knobs.push_back(d + "=false");
    knobs.push_back("disable_d_i=true");
    knobs.push_back("do_doc_package=false");
    // Older trees' tools (perf) build with -Werror, and a newer compiler
    // than the tree's own release had warns where it did not: perf 5.4
    // with gcc 12. Make passes it on to the tools' makes.
    knobs.push_back("WERROR=0");
    return knobs;
}

// Ubuntu's rules turn the tools off in any cross build (do_tools=false when
// the host arch is not the build arch), so a cross set would lack the
// linux-tools packages a native one has. perf, bpftool and cpupower
// cross-build with CROSS_COMPILE; usbip's autoconf build is configured
// without --host, so it stays off. Not a speed knob: kept with --full.
std::vector<std::string> ubuntu_cross_tools_knobs() { return {"do_tools=true", "do_tools_usbip=false"}; }

// Quick Ubuntu builds. The build copy's changelog gets the +quick version
// (Ubuntu's rules take every package version from it). Per flavour, Ubuntu's
// own prepare-F writes the full config and checks it against the
// annotations; the kernel's localmodconfig then reduces it in place, and the
// binary targets run with `-o config-prepare-check-F`: make's own way to
// leave that check alone, since a reduced config is not what the
// annotations say. kflavour's check holds the reduction to the flavour.

void add_ubuntu_quick(BuildPlan& plan, const BuildRequest& req, const fs::path& src,
                      const std::vector<std::string>& rules, std::vector<std::string>& binary) {
    const fs::path lsmod = add_quick_list(plan, req);
    const std::string prefix = req.mode == BuildMode::cross ? req.host.triplet + "-" : "";
    for (const auto& f : req.flavours) {
        const fs::path objtree = src / "debian" / "build" / ("build-" + f);
        auto prepare = rules;
        prepare.push_back("prepare-" + f);
        prepare.insert(prepare.end(), plan.knobs.begin(), plan.knobs.end());
        add(plan, "config", prepare, src);
        std::vector<std::string> reduce = {"sh", "-c", "\"$@\" </dev/null", "sh", "make", "-C", str(src),
                                           "O=" + str(objtree), "ARCH=" + req.host.karch};
        if (!prefix.empty()) reduce.push_back("CROSS_COMPILE=" + prefix);
        reduce.push_back("LSMOD=" + str(lsmod));
        reduce.push_back("localmodconfig");
        add(plan, "config", reduce);
        add_quick_check(plan, req, f, objtree / ".config");
        binary.insert(binary.begin() + long(rules.size()), {"-o", "config-prepare-check-" + f});
        plan.knobs.push_back("-o config-prepare-check-" + f);
    }
}

// A cross build's linux-headers-<abi>-<flavour> holds build-machine host
// programs (Ubuntu's rules build them so): rebuilt for the target per flavour.
void add_ubuntu_fix_headers(BuildPlan& plan, const BuildRequest& req, const fs::path& src) {
    for (const auto& f : req.flavours) {
        const fs::path script = plan.work / ("fix-headers-" + f + ".sh");
        plan.helper_files[script] = ubuntu_fix_headers_script(req, src, f);
        add(plan, "package", {"bash", str(script)});
    }
}

Result<BuildPlan> plan_ubuntu(const BuildRequest& req) {
    BuildPlan plan;
    plan.work = req.out / ".work";
    const fs::path src = add_build_copy(plan, req);
    add_quick_changelog_version(plan, req, src / req.debian_name / "changelog");
    std::vector<std::string> rules = {"fakeroot", "debian/rules"};
    if (req.mode == BuildMode::cross) {
        rules.insert(rules.begin(), {"dpkg-architecture", "-a" + req.host.debian, "-c"});
        plan.env["CROSS_COMPILE"] = req.host.triplet + "-";
    }
    // Ubuntu's clean writes debian/control from the flavours' vars and
    // control.stub.in: the file apt-get build-dep then reads.
    add_native_markings(plan, req, src);
    auto clean = rules;
    clean.push_back("clean");
    add(plan, req.in_chroot ? "deps" : "prepare", clean, src);
    add_build_dep(plan, req, src);
    // binary-perarch builds linux-tools-V, which linux-tools-V-F depends on.
    auto binary = rules;
    binary.push_back("binary-headers");
    for (const auto& f : req.flavours) binary.push_back("binary-" + f);
    binary.push_back("binary-perarch");
    if (!req.full) plan.knobs = ubuntu_knobs(req);
    if (req.mode == BuildMode::cross) {
        const auto tools = ubuntu_cross_tools_knobs();
        plan.knobs.insert(plan.knobs.end(), tools.begin(), tools.end());
    }
    binary.insert(binary.end(), plan.knobs.begin(), plan.knobs.end());
    if (!req.quick_lsmod.empty()) add_ubuntu_quick(plan, req, src, rules, binary);
    add(plan, "compile", binary, src);
    if (req.mode == BuildMode::cross) add_ubuntu_fix_headers(plan, req, src);
    std::string version = req.package_version;
    if (auto colon = version.find(':'); colon != std::string::npos) version = version.substr(colon + 1);
    add(plan, "collect", collect_command(src.parent_path(), req.out, {"*_" + version + "_*.deb"}));
    add(plan, "collect", {"rm", "-rf", str(plan.work)});
    plan.env["DEB_BUILD_OPTIONS"] = "parallel=" + std::to_string(req.jobs);
    add_compile_tools(plan, req, src);
    set_dpkg_deb_compression(plan, req);
    return plan;
}

}  // namespace

std::vector<std::string> request_profiles(const BuildRequest& req) {
    const bool cross = req.mode == BuildMode::cross;
    if (req.debian_flavour) return debian_kernel_profiles(cross, req.full);
    return build_profiles(cross);
}

Result<BuildPlan> plan_build(const BuildRequest& req) {
    if (req.kind != TreeKind::debian && req.flavours.empty()) return bad_input("no flavour to build");
    if (req.jobs < 1) return bad_input("--jobs must be at least 1");
    switch (req.kind) {
    case TreeKind::upstream: return plan_upstream(req);
    case TreeKind::debian: return req.debian_flavour ? plan_debian_kernel(req) : plan_debian(req);
    case TreeKind::ubuntu: return plan_ubuntu(req);
    }
    return bad_input("unknown tree kind");
}

std::vector<std::string> dkms_variables(std::string_view rules_mk) {
    std::vector<std::string> out;
    for (auto line : split_lines(rules_mk)) {
        line = trim(line);
        if (!starts_with(line, "do_dkms_")) continue;
        auto end = line.find_first_of(" \t=?:+");
        std::string name(line.substr(0, end));
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    return out;
}

}  // namespace kf
