#include "deps/deps_check.hpp"

#include "base/text.hpp"

namespace kf {

namespace {

struct AtomResult {
    bool ok = false;
    std::string kind;
    std::string reason;
    bool fatal = true;
};

AtomResult check_atom(const DepAtom& a, const ArchIndex& index, const std::string& build, const std::string& host) {
    AtomResult r;
    std::string need;  // the arch whose package satisfies the atom
    auto on_host = index.lookup(a.package, host);
    if (a.qualifier == "native" || a.qualifier == "any") need = build;
    else if (!a.qualifier.empty()) need = a.qualifier;
    else if (on_host && (on_host->arch_all || on_host->multi_arch == MultiArch::foreign)) need = build;
    else need = host;

    if (index.lookup(a.package, need)) {
        r.ok = true;
        auto info = index.lookup(a.package, need);
        if (need == host && host != build && a.qualifier.empty() && info->multi_arch != MultiArch::same &&
            info->section != "libdevel" && !info->section.ends_with("/libdevel")) {
            // Satisfiable, but apt installs the host-arch build of a tool.
            r.kind = "foreign-tool";
            r.reason = "Multi-Arch: " + to_string(info->multi_arch) + " (section " + info->section + "): apt installs " +
                       a.package + ":" + host + ", which cannot run during the build; mark it :native (kflavour deps fix)";
            r.fatal = false;
        }
        return r;
    }
    auto prov = index.providers(a.package, need);
    if (!prov.empty()) {
        r.ok = true;
        return r;
    }
    auto elsewhere = index.arches_with(a.package);
    if (elsewhere.empty()) {
        r.kind = "missing";
        r.reason = a.package + " is not in the suite (no package and no provider)";
    } else {
        r.kind = "wrong-arch";
        r.reason = a.package + ":" + need + " is needed but the suite has " + a.package + " only for " + join(elsewhere, ", ");
    }
    return r;
}

}  // namespace

std::vector<DepProblem> check_cross_deps(const std::string& text, const std::vector<DepField>& fields,
                                         const ArchIndex& index, const std::string& build_arch,
                                         const std::string& host_arch) {
    std::vector<DepProblem> out;
    for (const auto& f : fields) {
        for (const auto& rel : f.relations) {
            std::vector<AtomResult> results;
            bool any_applies = false, satisfied = false;
            for (const auto& a : rel.atoms) {
                if (!a.applies) continue;
                any_applies = true;
                results.push_back(check_atom(a, index, build_arch, host_arch));
                if (results.back().ok) satisfied = true;
            }
            if (!any_applies) continue;
            const std::string rel_text = text.substr(rel.begin, rel.end - rel.begin);
            if (!satisfied) {
                DepProblem p{rel_text, f.name, rel.line, results.front().kind, "", true};
                for (const auto& r : results) p.reason += (p.reason.empty() ? "" : "; ") + r.reason;
                out.push_back(p);
            } else if (results.size() == 1 && !results[0].kind.empty()) {
                out.push_back({rel_text, f.name, rel.line, results[0].kind, results[0].reason, results[0].fatal});
            }
        }
    }
    return out;
}

}  // namespace kf
