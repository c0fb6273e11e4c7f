#include "deps/apt_lists.hpp"

#include <apt-pkg/deblistparser.h>
#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <apt-pkg/tagfile.h>

#include <algorithm>
#include <vector>

namespace fs = std::filesystem;

namespace kf::sys {

Result<AptListsSource> AptListsSource::load(const fs::path& lists_dir, const std::string& arch,
                                            std::string description) {
    std::error_code ec;
    if (!fs::is_directory(lists_dir, ec))
        return bad_input("no apt lists directory", lists_dir.string());
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(lists_dir, ec)) {
        std::string name = e.path().filename().string();
        auto pos = name.find("_Packages");
        if (pos == std::string::npos || name.find("binary-") == std::string::npos) continue;
        files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    bool have_primary = arch.empty() && !files.empty();
    for (const auto& f : files)
        if (f.filename().string().find("binary-" + arch + "_") != std::string::npos) have_primary = true;
    if (!have_primary) {
        Error e = bad_input("no Packages lists" + (arch.empty() ? std::string() : " for " + arch) + " in " +
                            lists_dir.string());
        e.hint = "run 'apt-get update' in the chroot, or create it with kflavour chroot create (it keeps the lists)";
        return e;
    }
    AptListsSource src;
    src.description_ = description.empty() ? "the apt lists in " + lists_dir.string() : std::move(description);
    for (const auto& f : files) {
        std::string fname = f.filename().string();
        auto b = fname.find("binary-") + 7;
        std::string farch = fname.substr(b, fname.find('_', b) - b);
        if (src.primary_.empty()) src.primary_ = arch.empty() ? farch : arch;
        auto& pkgs = src.by_arch_[farch];
        auto& prov = src.provides_[farch];
        FileFd fd;
        if (!fd.Open(f.string(), FileFd::ReadOnly, FileFd::Extension)) {
            _error->Discard();
            return failure("cannot read apt list", f.string());
        }
        pkgTagFile tags(&fd);
        pkgTagSection s;
        while (tags.Step(s)) {
            std::string name = s.FindS("Package");
            if (name.empty()) continue;
            PackageInfo info;
            std::string ma = s.FindS("Multi-Arch");
            if (ma == "foreign") info.multi_arch = MultiArch::foreign;
            else if (ma == "allowed") info.multi_arch = MultiArch::allowed;
            else if (ma == "same") info.multi_arch = MultiArch::same;
            info.arch_all = s.FindS("Architecture") == "all";
            info.section = s.FindS("Section");
            // Several versions: the first read wins.
            pkgs.emplace(name, info);
            std::string provides = s.FindS("Provides");
            for (size_t i = 0; i < provides.size();) {
                size_t comma = provides.find(',', i);
                if (comma == std::string::npos) comma = provides.size();
                std::string v, ver;
                unsigned int op = 0;
                // Each entry "name (= version)", parsed by libapt-pkg.
                if (debListParser::ParseDepends(provides.data() + i, provides.data() + comma, v, ver, op) && !v.empty())
                    prov[v].push_back(name);
                else
                    _error->Discard();
                i = comma + 1;
            }
        }
        if (_error->PendingError()) {
            _error->Discard();
            return failure("cannot parse apt list", f.string());
        }
    }
    src.packages_ = src.by_arch_[src.primary_];
    return src;
}

std::optional<PackageInfo> AptListsSource::lookup(const std::string& package) const {
    auto it = packages_.find(package);
    if (it == packages_.end()) return std::nullopt;
    return it->second;
}

std::optional<PackageInfo> AptListsSource::lookup(const std::string& package, const std::string& arch) const {
    auto a = by_arch_.find(arch);
    if (a == by_arch_.end()) return std::nullopt;
    auto it = a->second.find(package);
    if (it == a->second.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> AptListsSource::providers(const std::string& package, const std::string& arch) const {
    auto a = provides_.find(arch);
    if (a == provides_.end()) return {};
    auto it = a->second.find(package);
    return it == a->second.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> AptListsSource::arches_with(const std::string& package) const {
    std::vector<std::string> out;
    for (const auto& [arch, pkgs] : by_arch_)
        if (pkgs.count(package)) out.push_back(arch);
    return out;
}

std::vector<std::string> AptListsSource::arches() const {
    std::vector<std::string> out;
    for (const auto& [arch, pkgs] : by_arch_) out.push_back(arch);
    return out;
}

}  // namespace kf::sys
