// `deps fix`: the `:native` markings a cross build needs in Build-Depends.
//
// Pure logic. The relations come from libapt-pkg (deps/build_depends.hpp),
// with the byte span of every relation and package name in the file, so the
// fixed file differs from the original only where a marking is added; the
// Multi-Arch metadata comes from a MultiArchSource (the chroot's apt lists).
#pragma once

#include "base/error.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kf {

// One alternative of a relation: `python3:any (>= 3.5)`.
struct DepAtom {
    std::string package;    // without qualifier: "python3"
    std::string qualifier;  // "", "any", "native" or an arch
    size_t name_begin = 0;  // byte span of "python3" (without the qualifier) in the file
    size_t name_end = 0;
    std::string version;    // "(>= 9)" as "9" with op ">=", empty when none
    std::string op;
    bool applies = true;    // for the arch and profiles the file was parsed for
};

// One comma-separated relation: `libssl-dev [amd64] <!stage1>` or `a | b`.
struct DepRelation {
    std::vector<DepAtom> atoms;  // more than one: alternatives
    size_t begin = 0;            // byte span of the relation text in the file
    size_t end = 0;
    size_t sep_begin = 0;        // the whitespace before it (after ',' or the field's ':')
    int line = 0;                // 1-based line of `begin`
};

struct DepField {
    std::string name;  // Build-Depends, Build-Depends-Arch
    std::vector<DepRelation> relations;
};

enum class MultiArch { none, foreign, allowed, same };
std::string to_string(MultiArch ma);

// What the archive says about a package.
struct PackageInfo {
    MultiArch multi_arch = MultiArch::none;
    bool arch_all = false;  // Architecture: all
    std::string section;    // "libdevel", "devel", "utils", …
};

// "Multi-Arch of package P", answered from an apt cache (or a fake in tests).
class MultiArchSource {
public:
    virtual ~MultiArchSource() = default;
    // nullopt: the package is not in the archive.
    virtual std::optional<PackageInfo> lookup(const std::string& package) const = 0;
    // Where the answers come from, for messages ("the apt lists of chroot X").
    virtual std::string describe() const = 0;
};

enum class DepAction {
    none_foreign,   // Multi-Arch: foreign — apt installs it for the build machine already
    none_all,       // Architecture: all — there is only one
    none_library,   // a host-arch library, stays as is
    none_qualified, // already has an arch qualifier
    native,         // a tool that runs during the build: add :native
    twin,           // a library also linked into build-machine programs: add a :native twin
    unknown,        // not in the archive: left alone, reported
};

struct DepDecision {
    std::string package;
    std::string field;
    int line = 0;
    DepAction action = DepAction::unknown;
    std::string reason;  // "Multi-Arch: allowed", …
};

struct DepsFixPlan {
    std::string text;  // the fixed file
    std::vector<DepDecision> decisions;
    bool changed = false;
};

// Libraries that gain a `:native` twin: one package name a line, '#' comments.
std::set<std::string> parse_native_twins(const std::string& text);

// Applies the rule (docs/chroots.md, "deps fix") to `fields` of `text`.
DepsFixPlan plan_deps_fix(const std::string& text, const std::vector<DepField>& fields,
                          const MultiArchSource& source, const std::set<std::string>& native_twins);

}  // namespace kf

namespace kf {

// Build-dependencies a later release retired: the package is gone and what
// it did is now part of another (dh-systemd's dh_installsystemd lives in
// debhelper >= 10). templates/retired-build-deps: `package  reason` a line.
std::map<std::string, std::string> parse_retired_build_deps(const std::string& text);

struct RetiredDep {
    std::string package;
    std::string field;
    int line = 0;
    std::string reason;
};

// `text` without each relation whose only alternative is a retired package
// `source` (the build chroot's archive) does not have, so that an older
// tree builds in a newer release's chroot. The relation's separator goes
// with it; every other byte stays.
std::string drop_retired_build_deps(const std::string& text, const std::vector<DepField>& fields,
                                    const MultiArchSource& source, const std::map<std::string, std::string>& retired,
                                    std::vector<RetiredDep>& dropped);

}  // namespace kf
