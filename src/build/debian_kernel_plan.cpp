#include "build/debian_kernel_plan.hpp"

#include "base/text.hpp"
#include "build/compile_tools.hpp"
#include "build/plan_steps.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;
using namespace plan_steps;

std::vector<std::string> debian_kernel_profiles(bool cross, bool full) {
    std::vector<std::string> out;
    if (!full)
        out = {"nodoc", "noudeb", "pkg.linux.nosource", "pkg.linux.mintools", "pkg.linux.nokerneldbg",
               "pkg.linux.nokerneldbginfo", "pkg.linux.nometa"};
    if (cross) out.insert(out.end(), {"cross", "nocheck"});
    return out;
}

std::map<std::string, std::string> debian_config_local(const DebianFlavourBuild& f) {
    std::map<std::string, std::string> out;
    if (f.toml) {
        // defines.toml: the other featuresets off, the arch's featureset with its one flavour.
        std::string top;
        for (const char* other : {"none", "rt"})
            if (f.featureset != other) top += "[[featureset]]\nname = '" + std::string(other) + "'\nenable = false\n\n";
        out["debian/config.local/defines.toml"] = top;
        out["debian/config.local/" + f.arch + "/defines.toml"] =
            "[[featureset]]\nname = '" + f.featureset + "'\n\n[[featureset.flavour]]\nname = '" + f.flavour + "'\n";
        return out;
    }
    out["debian/config.local/" + f.arch + "/defines"] = "[base]\nfeaturesets: " + f.featureset + "\n";
    std::string flavours = "[base]\nflavours: " + f.flavour + "\n";
    // default-flavour must name a flavour that is built.
    if (f.featureset == "none") flavours += "default-flavour: " + f.flavour + "\n";
    out["debian/config.local/" + f.arch + "/" + f.featureset + "/defines"] = flavours;
    return out;
}

std::string debian_regenerate_control_script() {
    return R"SH(# Regenerates debian/control and debian/rules.gen with the tree's gencontrol.
# debian/rules debian/control-real fails on purpose once it has written them.
set -u
arch=$1 featureset=$2 flavour=$3
rm -f debian/control debian/rules.gen
debian/rules debian/control-real || true
if [ ! -s debian/control ] || [ ! -s debian/rules.gen ]; then
    echo "kflavour: Debian's gencontrol wrote no debian/control or debian/rules.gen (its output is above)" >&2
    exit 1
fi
if ! grep -q "^setup_${arch}_${featureset}_${flavour}:" debian/rules.gen; then
    echo "kflavour: debian/rules.gen does not set up ${arch} ${featureset} ${flavour}: the defines lack the flavour" >&2
    exit 1
fi
)SH";
}

namespace {

// A command run with the host arch's dpkg-architecture variables (cross builds).
std::vector<std::string> for_host(const BuildRequest& req, std::vector<std::string> argv) {
    if (req.mode != BuildMode::cross) return argv;
    argv.insert(argv.begin(), {"dpkg-architecture", "-a" + req.host.debian, "-c"});
    return argv;
}

void add_control(BuildPlan& plan, const BuildRequest& req, const fs::path& src) {
    const auto& f = *req.debian_flavour;
    add(plan, "control", {"rm", "-rf", (src / "debian" / "config.local").string()});
    for (const auto& [rel, text] : debian_config_local(f)) {
        // Staged flat beside the script (config.local-arm64-none-defines).
        std::string flat = rel.substr(std::string_view("debian/").size());
        std::replace(flat.begin(), flat.end(), '/', '-');
        const fs::path staged = plan.work / flat, dest = src / rel;
        plan.data_files[staged] = text;
        add(plan, "control", {"mkdir", "-p", dest.parent_path().string()});
        add(plan, "control", {"cp", staged.string(), dest.string()});
    }
    const fs::path script = plan.work / "regenerate-control.sh";
    plan.helper_files[script] = debian_regenerate_control_script();
    add(plan, "control", {"sh", script.string(), f.arch, f.featureset, f.flavour}, src);
}

// Quick builds: Debian's own setup of the flavour writes its full config
// (debian/build/build_A_FS_F/.config, made by Debian's kconfig.py and
// oldconfig); localmodconfig reduces it there; the reduced config then
// replaces the flavour's last config file in the copy, so the build's own
// merge ends in it. The copy's debian/build is left for dpkg-buildpackage's clean.
void add_debian_quick(BuildPlan& plan, const BuildRequest& req, const fs::path& src) {
    const auto& f = *req.debian_flavour;
    const fs::path lsmod = add_quick_list(plan, req);
    const fs::path objtree = src / "debian" / "build" / ("build_" + f.arch + "_" + f.featureset + "_" + f.flavour);
    BuildStep setup{"config", for_host(req, {"debian/rules", "setup"}), {}, src};
    setup.env["DEB_BUILD_PROFILES"] = join(request_profiles(req), " ");
    plan.steps.push_back(setup);
    std::vector<std::string> reduce = {"make", "-C", (src / "debian" / "build" / ("source_" + f.featureset)).string(),
                                       "O=" + objtree.string(), "ARCH=" + req.host.karch};
    if (req.mode == BuildMode::cross) reduce.push_back("CROSS_COMPILE=" + req.host.triplet + "-");
    reduce.push_back("LSMOD=" + lsmod.string());
    reduce.push_back("localmodconfig");
    reduce = for_host(req, reduce);
    // localmodconfig ends in `conf --oldconfig`: no terminal to ask.
    reduce.insert(reduce.begin(), {"sh", "-c", "\"$@\" </dev/null", "sh"});
    add(plan, "config", reduce, src);
    add_quick_check(plan, req, f.flavour, objtree / ".config");
    add(plan, "config", {"cp", (objtree / ".config").string(), (src / f.last_kconfig).string()});
}

}  // namespace

Result<BuildPlan> plan_debian_kernel(const BuildRequest& req) {
    const auto& f = *req.debian_flavour;
    if (f.last_kconfig.empty() || fs::path(f.last_kconfig).is_absolute())
        return bad_input("the flavour " + f.flavour + " has no config file in debian/rules.gen");
    BuildPlan plan;
    plan.work = req.out / ".work";
    const fs::path src = add_build_copy(plan, req);
    add_quick_changelog_version(plan, req, src / "debian" / "changelog");
    add_native_markings(plan, req, src);
    add_build_dep(plan, req, src);
    add_control(plan, req, src);
    if (!req.quick_lsmod.empty()) add_debian_quick(plan, req, src);
    std::vector<std::string> build = {"dpkg-buildpackage", "-b", "-uc", "-us", "-j" + std::to_string(req.jobs)};
    if (req.mode == BuildMode::cross) build.push_back("-a" + req.host.debian);
    const auto profiles = request_profiles(req);
    if (!profiles.empty()) build.push_back("-P" + join(profiles, ","));
    // The regenerated control lacks the build copy's :native markings; the
    // deps stage has installed the build-dependencies with them.
    if (req.in_chroot && !req.native_control_path.empty()) build.push_back("-d");
    add(plan, "compile", build, src);
    add(plan, "collect", collect_command(src.parent_path(), req.out, {"*.deb", "*.changes", "*.buildinfo"}));
    add(plan, "collect", {"rm", "-rf", plan.work.string()});
    plan.knobs.push_back("profiles " + (profiles.empty() ? std::string("(none)") : join(profiles, ",")));
    plan.releases.push_back(f.abiname + (f.featureset == "none" ? "" : "-" + f.featureset) + "-" + f.flavour);
    // debhelper's automatic -dbgsym packages (linux-kbuild's) are debug
    // packages too; dpkg-buildpackage adds parallel=N to this.
    if (!req.full) plan.env["DEB_BUILD_OPTIONS"] = "noautodbgsym";
    add_compile_tools(plan, req, src);
    set_dpkg_deb_compression(plan, req);
    return plan;
}

}  // namespace kf
