#include "deps/apt_lists.hpp"

#include <apt-pkg/deblistparser.h>
#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <apt-pkg/tagfile.h>

#include <algorithm>
#include <vector>

namespace fs = std::filesystem;

namespace kf::sys {

namespace {

using Packages = std::map<std::string, PackageInfo>;
using Providers = std::map<std::string, std::vector<std::string>>;

// The Packages lists of a lists directory (apt's `…_binary-ARCH_Packages`), sorted.
std::vector<fs::path> packages_lists(const fs::path& lists_dir) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (auto it = fs::directory_iterator(lists_dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.find("_Packages") == std::string::npos || name.find("binary-") == std::string::npos) continue;
        files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string list_arch(const fs::path& list) {
    const std::string name = list.filename().string();
    auto b = name.find("binary-") + 7;
    return name.substr(b, name.find('_', b) - b);
}

PackageInfo package_info(pkgTagSection& s) {
    PackageInfo info;
    std::string ma = s.FindS("Multi-Arch");
    if (ma == "foreign") info.multi_arch = MultiArch::foreign;
    else if (ma == "allowed") info.multi_arch = MultiArch::allowed;
    else if (ma == "same") info.multi_arch = MultiArch::same;
    info.arch_all = s.FindS("Architecture") == "all";
    info.section = s.FindS("Section");
    return info;
}

// Each entry of a Provides field ("name (= version)", parsed by libapt-pkg)
// gets `package` as a provider.
void add_provides(const std::string& provides, const std::string& package, Providers& prov) {
    for (size_t i = 0; i < provides.size();) {
        size_t comma = provides.find(',', i);
        if (comma == std::string::npos) comma = provides.size();
        std::string v, ver;
        unsigned int op = 0;
        if (debListParser::ParseDepends(provides.data() + i, provides.data() + comma, v, ver, op) && !v.empty())
            prov[v].push_back(package);
        else
            _error->Discard();
        i = comma + 1;
    }
}

Status read_list(const fs::path& list, Packages& pkgs, Providers& prov) {
    FileFd fd;
    if (!fd.Open(list.string(), FileFd::ReadOnly, FileFd::Extension)) {
        _error->Discard();
        return failure("cannot read apt list", list.string());
    }
    pkgTagFile tags(&fd);
    pkgTagSection s;
    while (tags.Step(s)) {
        std::string name = s.FindS("Package");
        if (name.empty()) continue;
        // Several versions: the first read wins.
        pkgs.emplace(name, package_info(s));
        add_provides(s.FindS("Provides"), name, prov);
    }
    if (_error->PendingError()) {
        _error->Discard();
        return failure("cannot parse apt list", list.string());
    }
    return ok_status();
}

}  // namespace

Result<AptListsSource> AptListsSource::load(const fs::path& lists_dir, const std::string& arch,
                                            std::string description) {
    std::error_code ec;
    if (!fs::is_directory(lists_dir, ec))
        return bad_input("no apt lists directory", lists_dir.string());
    const std::vector<fs::path> files = packages_lists(lists_dir);
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
        const std::string farch = list_arch(f);
        if (src.primary_.empty()) src.primary_ = arch.empty() ? farch : arch;
        KF_TRY_STATUS(read_list(f, src.by_arch_[farch], src.provides_[farch]));
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
