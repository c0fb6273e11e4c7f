#include "build/plan_steps.hpp"

#include "build/module_list.hpp"
#include "deps/build_deps.hpp"

namespace kf::plan_steps {
namespace fs = std::filesystem;

void add(BuildPlan& plan, std::string stage, std::vector<std::string> argv, fs::path cwd) {
    plan.steps.push_back(BuildStep{std::move(stage), std::move(argv), {}, std::move(cwd)});
}

std::vector<std::string> collect_command(const fs::path& from, const fs::path& out, const std::vector<std::string>& globs) {
    std::string list;
    for (const auto& g : globs) list += " \"$0\"/" + g;
    return {"sh", "-c",
            "set -e; n=0; for f in" + list + "; do "
            "[ -e \"$f\" ] || continue; mv -- \"$f\" \"$1\"/; n=$((n+1)); done; "
            "[ \"$n\" -gt 0 ] || { echo \"no packages in $0\" >&2; exit 1; }",
            from.string(), out.string()};
}

void set_dpkg_deb_compression(BuildPlan& plan, const BuildRequest& req) {
    if (!req.compression.empty()) plan.env["DPKG_DEB_COMPRESSOR_TYPE"] = req.compression;
}

fs::path add_build_copy(BuildPlan& plan, const BuildRequest& req) {
    const fs::path src = plan.work / "src" / req.tree.filename();
    add(plan, "prepare", {"rm", "-rf", plan.work.string()});
    add(plan, "prepare", {"mkdir", "-p", src.parent_path().string()});
    add(plan, "prepare", {"cp", "-a", "--reflink=auto", "--", req.tree.string(), src.string()});
    return src;
}

void add_native_markings(BuildPlan& plan, const BuildRequest& req, const fs::path& src) {
    if (!req.in_chroot || req.native_control_path.empty()) return;
    const fs::path marked = plan.work / ("native-" + fs::path(req.native_control_path).filename().string());
    plan.data_files[marked] = req.native_control_text;
    add(plan, "deps", {"cp", marked.string(), (src / req.native_control_path).string()});
}

void add_build_dep(BuildPlan& plan, const BuildRequest& req, const fs::path& src) {
    if (!req.in_chroot) return;
    const bool cross = req.mode == BuildMode::cross;
    if (!req.build_deps_prepared) add(plan, "deps", {"apt-get", "-q", "update"});
    add(plan, "deps", build_dep_command(cross ? req.host.debian : "", request_profiles(req), "./", arch_only_build_deps(req.kind)),
        src);
    // What sbuild adds for a cross build: dh_shlibdeps needs the host libc.
    if (cross && !req.build_deps_prepared)
        add(plan, "deps", {"apt-get", "-q", "-y", "--no-install-recommends", "install", "libc6-dev:" + req.host.debian});
}

void add_quick_changelog_version(BuildPlan& plan, const BuildRequest& req, const fs::path& changelog) {
    if (req.quick_lsmod.empty()) return;
    const std::string& quick = req.package_version;
    std::string pattern;
    for (char c : req.changelog_version) pattern += c == '.' ? std::string("\\.") : std::string(1, c);
    add(plan, "prepare", {"sed", "-i", "1s/(" + pattern + ")/(" + quick + ")/", changelog.string()});
    add(plan, "prepare", {"grep", "-qF", "(" + quick + ")", changelog.string()});
}

fs::path add_quick_list(BuildPlan& plan, const BuildRequest& req) {
    const fs::path lsmod = plan.work / "lsmod-quick";
    plan.data_files[lsmod] = req.quick_lsmod;
    return lsmod;
}

void add_quick_check(BuildPlan& plan, const BuildRequest& req, const std::string& flavour, const fs::path& config) {
    const fs::path check = plan.work / ("quick-check-" + flavour + ".sh");
    auto requested = req.quick_requested.find(flavour);
    plan.helper_files[check] = quick_check_script(requested == req.quick_requested.end() ? "" : requested->second);
    add(plan, "config", {"sh", check.string(), config.string()});
}

}  // namespace kf::plan_steps
