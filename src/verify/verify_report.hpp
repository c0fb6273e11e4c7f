// The result of `kflavour verify` and the table a person reads: one row per
// package (and per missing package), a column per check, then the problems.
#pragma once

#include "archive/deb_set.hpp"

#include <string>
#include <vector>

namespace kf {

struct VerifyReport {
    std::string set;     // the directory or .changes verified
    std::string host;    // the architecture checked against
    std::string target;  // the index judged by, e.g. "bookworm (2 Packages files, 63123 packages)"
    std::vector<DebPackage> packages;
    std::vector<Finding> findings;
    std::vector<std::string> device_trees;  // what the image package carries (device_trees())

    bool ok() const { return findings.empty(); }
    // Whether `package` (a name) has a finding of `check`.
    bool failed(const std::string& package, Check check) const;
    // Names with findings that are not in the set (missing packages, "(set)").
    std::vector<std::string> absent_names() const;
};

// The table, then each finding as "package: check: message", then a summary line.
std::string format_report(const VerifyReport& report);

}  // namespace kf
