// Debian's own kernel packaging (`apt-get source linux`): which arches,
// featuresets and flavours its defines declare, in either generation
// (bookworm's INI `defines`, trixie's `defines.toml`).
#pragma once

#include "base/error.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kf {

enum class DefinesFormat { ini, toml };

struct DebianFeatureset {
    std::string name;
    std::vector<std::string> flavours;
};

struct DebianArch {
    std::string name;
    std::vector<DebianFeatureset> featuresets;  // in the defines' order, "none" first
    std::string default_flavour;                // empty when the defines name none
    // INI: [relations] headers%<compiler> of the arch's defines ("headers%gcc-12",
    // its value), the compiler from the arch's or the root's [base] compiler.
    std::optional<std::pair<std::string, std::string>> headers_relation;
    const DebianFeatureset* featureset(const std::string& name) const;
    std::vector<std::string> featureset_names() const;
};

struct DebianTree {
    std::filesystem::path root;
    DefinesFormat format = DefinesFormat::ini;
    std::string source, version, distribution;  // debian/changelog's top entry
    std::vector<DebianArch> arches;             // arches with a defines file of their own
    const DebianArch* arch(const std::string& name) const;

    std::filesystem::path config_dir() const { return root / "debian" / "config"; }
    // The file that lists `featureset`'s flavours for `arch`.
    std::filesystem::path flavours_file(const std::string& arch, const std::string& featureset) const;
};

// Bad input when debian/ is not Debian's kernel packaging (no
// debian/config/defines[.toml], no debian/bin/gencontrol.py, a changelog
// whose source is not linux*) or when a defines file does not parse.
Result<DebianTree> read_debian_tree(const std::filesystem::path& root);

}  // namespace kf
