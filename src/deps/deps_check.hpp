// `deps check`: which Build-Depends relations cannot be satisfied for a cross
// build, judged from the archive's package lists of each architecture.
// Pure; conflicts need apt's resolver and are checked in the chroot (cli).
#pragma once

#include "deps/deps_fix.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kf {

class ArchIndex {
public:
    virtual ~ArchIndex() = default;
    virtual std::optional<PackageInfo> lookup(const std::string& package, const std::string& arch) const = 0;
    virtual std::vector<std::string> providers(const std::string& package, const std::string& arch) const = 0;
    virtual std::vector<std::string> arches_with(const std::string& package) const = 0;
};

struct DepProblem {
    std::string relation;  // the relation's text, as in the file
    std::string field;
    int line = 0;
    std::string kind;      // "missing", "wrong-arch", "foreign-tool"
    std::string reason;
    bool fatal = true;     // foreign-tool is a warning
};

// Relations that apply to `host` (libapt-pkg's arch/profile matching, done
// when `fields` were parsed for host) checked against `index`.
std::vector<DepProblem> check_cross_deps(const std::string& text, const std::vector<DepField>& fields,
                                         const ArchIndex& index, const std::string& build_arch,
                                         const std::string& host_arch);

}  // namespace kf
