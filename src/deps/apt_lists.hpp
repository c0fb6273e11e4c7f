// Multi-Arch metadata from apt's downloaded package lists (the Packages files
// in a chroot's var/lib/apt/lists), read with libapt-pkg's tag file parser.
#pragma once

#include "deps/deps_check.hpp"
#include "deps/deps_fix.hpp"
#include "base/error.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kf::sys {

class AptListsSource : public MultiArchSource, public ArchIndex {
public:
    // Reads every *_Packages file (any compression apt knows) in `lists_dir`.
    // `arch` is the primary architecture, whose lists answer lookup(package)
    // (the build machine's); empty: the first found. No Packages file for it
    // is bad input.
    static Result<AptListsSource> load(const std::filesystem::path& lists_dir, const std::string& arch,
                                       std::string description = {});

    // In the lists of the primary arch.
    std::optional<PackageInfo> lookup(const std::string& package) const override;
    std::string describe() const override { return description_; }
    size_t size() const { return packages_.size(); }

    // In the lists of `arch` (arch-all packages are in every arch's list).
    std::optional<PackageInfo> lookup(const std::string& package, const std::string& arch) const override;
    // Packages of `arch` that Provide `package`.
    std::vector<std::string> providers(const std::string& package, const std::string& arch) const override;
    // The arches that have `package`.
    std::vector<std::string> arches_with(const std::string& package) const override;
    std::vector<std::string> arches() const;

private:
    std::string primary_;
    std::map<std::string, PackageInfo> packages_;  // primary arch
    std::map<std::string, std::map<std::string, PackageInfo>> by_arch_;
    std::map<std::string, std::map<std::string, std::vector<std::string>>> provides_;  // arch -> virtual -> providers
    std::string description_;
};

}  // namespace kf::sys
