#include "publish/index_plan.hpp"

#include "base/text.hpp"

#include <set>

namespace kf::publish {
namespace fs = std::filesystem;

namespace {

// apt's configuration strings are double-quoted; callers refuse paths with '"' or newlines.
std::string quoted(const fs::path& p) { return "\"" + p.string() + "\""; }

std::string list_name(const std::string& suite, const std::string& component, const std::string& arch) {
    return "lists/" + suite + "_" + component + "_" + arch;
}

}  // namespace

IndexPlan index_plan(const RepoState& state, const std::vector<MadePackage>& made, const fs::path& repo,
                     const fs::path& gen, const fs::path& cache) {
    // suite → component → arch → pool paths (sorted, unique).
    std::map<std::string, std::map<std::string, std::map<std::string, std::set<std::string>>>> lists;
    std::map<std::string, std::map<std::string, std::set<std::string>>> arch_all;  // suite → component → paths
    auto add = [&](const std::string& suite, const std::string& component, const std::string& arch,
                   const std::string& path) {
        if (arch == "all") arch_all[suite][component].insert(path);
        else lists[suite][component][arch].insert(path);
    };
    for (const auto& s : state.sets)
        for (const auto& f : s.files) add(s.suite, s.component, f.architecture, f.path);
    for (const auto& m : made) add(m.suite, m.component, m.architecture, m.pool_path());

    IndexPlan plan;
    plan.generate_config = "// Written by kflavour publish for this generation of the indexes.\n"
                           "Dir { ArchiveDir " + quoted(repo) + "; CacheDir " + quoted(cache) + "; };\n"
                           "Default { Packages::Compress \". gzip xz\"; FileMode 0644; };\n";
    for (auto& [suite, components] : lists) {
        SuiteIndex index{suite, {}, {}};
        std::set<std::string> arches;
        for (auto& [component, by_arch] : components) {
            index.components.push_back(component);
            for (auto& [arch, paths] : by_arch) {
                arches.insert(arch);
                for (const auto& p : arch_all[suite][component]) paths.insert(p);
                const std::string name = list_name(suite, component, arch);
                std::string text;
                for (const auto& p : paths) text += p + "\n";
                plan.file_lists[name] = text;
                const fs::path packages = gen / "dists" / suite / component / ("binary-" + arch) / "Packages";
                plan.generate_config += "BinDirectory \"" + suite + "/" + component + "/" + arch + "\" {\n"
                                        "  Packages " + quoted(packages) + ";\n"
                                        "  FileList " + quoted(gen / name) + ";\n"
                                        "  BinCacheDB \"packages-" + arch + ".db\";\n"
                                        "};\n";
            }
        }
        index.arches.assign(arches.begin(), arches.end());
        plan.suites.push_back(std::move(index));
    }
    return plan;
}

std::vector<std::string> generate_argv(const std::string& tool, const fs::path& config) {
    return {tool, "-q=2", "--no-contents", "generate", config.string()};
}

std::vector<std::string> release_argv(const std::string& tool, const SuiteIndex& suite) {
    const std::string prefix = "-oAPT::FTPArchive::Release::";
    return {tool,
            "-q=2",
            prefix + "Origin=kflavour",
            prefix + "Label=kflavour",
            prefix + "Suite=" + suite.suite,
            prefix + "Codename=" + suite.suite,
            prefix + "Architectures=" + join(suite.arches, " "),
            prefix + "Components=" + join(suite.components, " "),
            prefix + "Description=kernel flavours published by kflavour",
            "release",
            "."};
}

std::vector<std::string> clearsign_argv(const std::string& tool, const std::string& key, const fs::path& release) {
    return {tool, "--batch", "--yes", "--local-user", key, "--digest-algo", "SHA512", "--clearsign",
            "--output", (release.parent_path() / "InRelease").string(), release.string()};
}

std::vector<std::string> detach_sign_argv(const std::string& tool, const std::string& key, const fs::path& release) {
    return {tool, "--batch", "--yes", "--local-user", key, "--digest-algo", "SHA512", "--armor", "--detach-sign",
            "--output", (release.parent_path() / "Release.gpg").string(), release.string()};
}

std::string sources_file(const std::string& url, const std::string& suite, const std::string& component,
                         const std::string& keyring) {
    std::string out = "# A kflavour repository (written by kflavour publish --client-config).\n"
                      "# Goes to /etc/apt/sources.list.d/";
    if (keyring.empty())
        out += ".\n"
               "# WARNING: this repository is NOT SIGNED. `Trusted: yes` makes apt install\n"
               "# whatever the server (or anyone between it and you) hands out. Use it only\n"
               "# for throw-away test machines.\n";
    else
        out += "; the keyring file goes to " + keyring + ".\n";
    out += "Types: deb\nURIs: " + url + "\nSuites: " + suite + "\nComponents: " + component + "\n";
    out += keyring.empty() ? "Trusted: yes\n" : "Signed-By: " + keyring + "\n";
    return out;
}

}  // namespace kf::publish
