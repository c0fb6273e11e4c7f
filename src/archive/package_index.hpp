// A target release's packages (Packages files of one architecture, plus
// arch-all ones) with their versions and Provides, and the check that a
// package's Depends/Pre-Depends are met by the set itself or by that release.
// Relations are parsed by libapt-pkg and versions compared by libdpkg.
#pragma once

#include "archive/deb_set.hpp"
#include "base/error.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace kf::sys {

struct IndexedPackage {
    std::string name, version, architecture, multi_arch;
    struct Provided {
        std::string name;
        std::string version;  // empty: unversioned
    };
    std::vector<Provided> provides;
};

class PackageIndex {
public:
    // Reads `files` (any compression apt knows), keeping packages for `host`
    // and arch "all". An unreadable file is bad input.
    static Result<PackageIndex> load(const std::vector<std::filesystem::path>& files, const std::string& host);
    // The packages of a .deb set.
    static PackageIndex of_set(const std::vector<DebPackage>& set);

    // Packages called `name`, and packages that provide `name` (with the provided version).
    std::vector<const IndexedPackage*> named(const std::string& name) const;
    std::vector<std::pair<const IndexedPackage*, std::string>> providing(const std::string& name) const;
    size_t size() const { return packages_.size(); }

private:
    void add(IndexedPackage p);
    std::vector<IndexedPackage> packages_;
    std::unordered_map<std::string, std::vector<size_t>> by_name_;
    std::unordered_map<std::string, std::vector<std::pair<size_t, std::string>>> by_provided_;
};

// Depends and Pre-Depends of `package` that neither `set` nor `target`
// satisfies, each naming what the target has instead. `target_name` is how
// messages call the release ("bookworm"); empty: "the target".
std::vector<Finding> check_installable(const DebPackage& package, const PackageIndex& set, const PackageIndex& target,
                                       const std::string& host, const std::string& target_name);

// What `package` needs from the archive besides `have` (package names): the
// first alternative of each Pre-Depends/Depends group no name in `have`
// satisfies, in field order. Ubuntu's image gives kmod and linux-base.
Result<std::vector<std::string>> archive_depends(const DebPackage& package, const std::set<std::string>& have);

}  // namespace kf::sys
