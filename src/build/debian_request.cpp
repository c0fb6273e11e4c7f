// fill_debian_kernel and fill_debian_requested (build/build_request.hpp):
// one flavour of Debian's kernel packaging, checked against its defines and
// debian/rules.gen.
#include "build/build_request.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "build/debian_kernel_plan.hpp"
#include "tree/debian_defines.hpp"
#include "tree/debian_kconfig.hpp"

#include <algorithm>

namespace kf::sys {
namespace fs = std::filesystem;

namespace {

// The arch, featureset and flavour as the defines declare them.
Status check_declared(const DebianTree& dt, const DebianFlavourBuild& f) {
    const fs::path defines = dt.config_dir() / (dt.format == DefinesFormat::toml ? "defines.toml" : "defines");
    const DebianArch* arch = dt.arch(f.arch);
    if (!arch)
        return with_hint(bad_input("the tree's defines have no arch " + f.arch, defines.string()), "kflavour list");
    const DebianFeatureset* set = arch->featureset(f.featureset);
    if (!set)
        return with_hint(bad_input("arch " + f.arch + " has no featureset " + quote_input(f.featureset) + " (it has " +
                                       join(arch->featureset_names(), ", ") + ")",
                                   dt.flavours_file(f.arch, "none").string()),
                         "kflavour list");
    if (std::find(set->flavours.begin(), set->flavours.end(), f.flavour) == set->flavours.end())
        return with_hint(bad_input("featureset " + f.featureset + " of " + f.arch + " has no flavour " +
                                       quote_input(f.flavour) + " (it has " + join(set->flavours, ", ") + ")",
                                   dt.flavours_file(f.arch, f.featureset).string()),
                         "kflavour new " + f.flavour + " --arch " + f.arch +
                             (f.featureset == "none" ? std::string() : " --featureset " + f.featureset));
    return ok_status();
}

}  // namespace

Status fill_debian_kernel(BuildRequest& req, const Tree& tree, const std::string& featureset) {
    if (req.flavours.size() != 1)
        return with_hint(bad_input("a build of Debian's kernel packaging makes one flavour (as debian/bin/test-patches "
                                   "does); --flavour was given " + std::to_string(req.flavours.size()) + " times"),
                         "build each flavour on its own, with its own --out");
    KF_TRY(DebianTree dt, read_debian_tree(tree.root));
    DebianFlavourBuild f;
    f.arch = req.host.debian;
    f.featureset = featureset;
    f.flavour = req.flavours.front();
    f.toml = dt.format == DefinesFormat::toml;
    KF_TRY_STATUS(check_declared(dt, f));
    const fs::path rules_gen = tree.root / "debian" / "rules.gen";
    KF_TRY(std::string text, read_text_file(rules_gen));
    KF_TRY(auto files, debian_kconfig_files(text, f.arch, f.featureset, f.flavour, rules_gen.string()));
    if (files.empty()) return bad_input("the flavour " + f.flavour + " lists no config file", rules_gen.string());
    f.last_kconfig = files.back();
    for (const auto& file : files)
        if (fs::path(file).filename() == "config." + f.flavour) f.fragment = file;
    KF_TRY(f.abiname, debian_abiname(text, f.arch, f.featureset, f.flavour, rules_gen.string()));
    req.debian_flavour = f;
    req.package_version = dt.version;
    req.changelog_version = dt.version;
    return ok_status();
}

Status fill_debian_requested(BuildRequest& req) {
    const auto& f = *req.debian_flavour;
    if (f.fragment.empty()) return ok_status();
    KF_TRY(std::string fragment, read_text_file(req.tree / f.fragment));
    req.quick_requested[f.flavour] = fragment;
    return ok_status();
}

}  // namespace kf::sys
