#include "archive/package_index.hpp"

#include "archive/dpkg.hpp"

#include <apt-pkg/deblistparser.h>
#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <apt-pkg/pkgcache.h>
#include <apt-pkg/tagfile.h>

#include <algorithm>

namespace fs = std::filesystem;

namespace kf::sys {
namespace {

// One alternative of a relation, as libapt-pkg parsed it.
struct Relation {
    std::string name;
    std::string arch_qualifier;  // "", "any", "native" or an architecture
    unsigned int op = pkgCache::Dep::NoOp;
    std::string version;

    std::string text() const {
        std::string t = name + (arch_qualifier.empty() ? "" : ":" + arch_qualifier);
        if ((op & 0xF) != pkgCache::Dep::NoOp) t += std::string(" (") + pkgCache::CompTypeDeb(op & 0xF) + " " + version + ")";
        return t;
    }
};
using OrGroup = std::vector<Relation>;

Result<std::vector<OrGroup>> parse_relations(const std::string& field, const std::string& what) {
    std::vector<OrGroup> groups;
    const char* p = field.data();
    const char* end = field.data() + field.size();
    OrGroup group;
    while (p != end) {
        Relation r;
        p = debListParser::ParseDepends(p, end, r.name, r.version, r.op, false, false);
        if (!p) {
            _error->Discard();
            return bad_input("cannot parse " + what + ": " + field);
        }
        if (auto colon = r.name.find(':'); colon != std::string::npos) {
            r.arch_qualifier = r.name.substr(colon + 1);
            r.name.resize(colon);
        }
        const bool more = r.op & pkgCache::Dep::Or;
        if (!r.name.empty()) group.push_back(std::move(r));
        if (!more && !group.empty()) groups.push_back(std::move(group)), group.clear();
    }
    if (!group.empty()) groups.push_back(std::move(group));
    return groups;
}

bool version_meets(const std::string& have, unsigned int op, const std::string& want) {
    if ((op & 0xF) == pkgCache::Dep::NoOp) return true;
    if (have.empty()) return false;
    const int c = compare_versions(have, want);
    switch (op & 0xF) {
        case pkgCache::Dep::LessEq: return c <= 0;
        case pkgCache::Dep::GreaterEq: return c >= 0;
        case pkgCache::Dep::Less: return c < 0;
        case pkgCache::Dep::Greater: return c > 0;
        case pkgCache::Dep::Equals: return c == 0;
        case pkgCache::Dep::NotEquals: return c != 0;
    }
    return false;
}

// Whether `candidate` can stand for relation `r` on `host` (arch qualifiers, Multi-Arch).
bool arch_fits(const IndexedPackage& candidate, const Relation& r, const std::string& host) {
    if (r.arch_qualifier == "any") return candidate.multi_arch == "allowed";
    const std::string& want = (r.arch_qualifier.empty() || r.arch_qualifier == "native") ? host : r.arch_qualifier;
    return candidate.architecture == want || candidate.architecture == "all";
}

bool satisfied_by(const PackageIndex& index, const Relation& r, const std::string& host) {
    for (const IndexedPackage* c : index.named(r.name))
        if (arch_fits(*c, r, host) && version_meets(c->version, r.op, r.version)) return true;
    for (const auto& [c, provided_version] : index.providing(r.name)) {
        if (!arch_fits(*c, r, host)) continue;
        // A versioned relation is met only by a versioned Provides.
        if ((r.op & 0xF) == pkgCache::Dep::NoOp || version_meets(provided_version, r.op, r.version)) return true;
    }
    return false;
}

// The highest version of `name` that `index` has for `host`, or "".
std::string best_version(const PackageIndex& index, const std::string& name, const std::string& host) {
    std::string best;
    for (const IndexedPackage* c : index.named(name))
        if ((c->architecture == host || c->architecture == "all") && (best.empty() || compare_versions(c->version, best) > 0))
            best = c->version;
    return best;
}

// Why `r` is not met: what the target has instead.
std::string why_not(const Relation& r, const PackageIndex& set, const PackageIndex& target, const std::string& host,
                    const std::string& target_name) {
    if (const std::string in_set = best_version(set, r.name, host); !in_set.empty())
        return r.text() + " but the set has " + in_set;
    const std::string have = best_version(target, r.name, host);
    if (have.empty()) {
        std::string providers;
        for (const auto& [p, version] : target.providing(r.name))
            if (p->architecture == host || p->architecture == "all")
                providers += (providers.empty() ? "" : ", ") + p->name + (version.empty() ? "" : " (= " + version + ")");
        if (!providers.empty()) return r.text() + " but " + target_name + " has " + r.name + " only as provided by " + providers;
        return r.text() + " but " + target_name + " has no " + r.name + " for " + host;
    }
    std::string s = r.text() + " but " + target_name + " has " + have;
    const unsigned int op = r.op & 0xF;
    if ((op == pkgCache::Dep::GreaterEq || op == pkgCache::Dep::Greater) && compare_versions(have, r.version) < 0)
        s += ": built against a newer " + r.name + " than the target; build in a " +
             (target_name == "the target" ? std::string("chroot of the target release") : target_name + " chroot");
    return s;
}

}  // namespace

void PackageIndex::add(IndexedPackage p) {
    const size_t i = packages_.size();
    by_name_[p.name].push_back(i);
    for (const auto& prov : p.provides) by_provided_[prov.name].emplace_back(i, prov.version);
    packages_.push_back(std::move(p));
}

std::vector<const IndexedPackage*> PackageIndex::named(const std::string& name) const {
    std::vector<const IndexedPackage*> out;
    if (auto it = by_name_.find(name); it != by_name_.end())
        for (size_t i : it->second) out.push_back(&packages_[i]);
    return out;
}

std::vector<std::pair<const IndexedPackage*, std::string>> PackageIndex::providing(const std::string& name) const {
    std::vector<std::pair<const IndexedPackage*, std::string>> out;
    if (auto it = by_provided_.find(name); it != by_provided_.end())
        for (const auto& [i, version] : it->second) out.emplace_back(&packages_[i], version);
    return out;
}

namespace {
std::vector<IndexedPackage::Provided> parse_provides(const std::string& field) {
    std::vector<IndexedPackage::Provided> out;
    auto groups = parse_relations(field, "Provides");
    if (!groups.ok()) return out;
    for (const auto& g : *groups)
        for (const auto& r : g) out.push_back({r.name, (r.op & 0xF) == pkgCache::Dep::Equals ? r.version : ""});
    return out;
}
}  // namespace

Result<PackageIndex> PackageIndex::load(const std::vector<fs::path>& files, const std::string& host) {
    PackageIndex index;
    for (const auto& f : files) {
        _error->Discard();
        FileFd fd;
        if (!fd.Open(f.string(), FileFd::ReadOnly, FileFd::Extension)) {
            _error->Discard();
            return bad_input("cannot read package index", f.string());
        }
        pkgTagFile tags(&fd);
        pkgTagSection s;
        while (tags.Step(s)) {
            std::string arch = s.FindS("Architecture");
            if (arch != host && arch != "all") continue;
            IndexedPackage p{s.FindS("Package"), s.FindS("Version"), std::move(arch), s.FindS("Multi-Arch"), {}};
            if (p.name.empty()) continue;
            if (auto provides = s.FindS("Provides"); !provides.empty()) p.provides = parse_provides(provides);
            index.add(std::move(p));
        }
        if (_error->PendingError()) {
            _error->Discard();
            return bad_input("cannot parse package index", f.string());
        }
    }
    return index;
}

PackageIndex PackageIndex::of_set(const std::vector<DebPackage>& set) {
    PackageIndex index;
    for (const auto& d : set) index.add({d.name, d.version, d.architecture, d.multi_arch, parse_provides(d.provides)});
    return index;
}

namespace {

// Why the target's dpkg cannot unpack the package ("" when it can, or when
// the index has no dpkg to judge by). Only zstd is newer than any target:
// Debian's dpkg unpacks it since 1.21.18; Ubuntu's carries its own patches
// (jammy has them) and is not judged by Debian's version.
std::string unpack_problem(const DebPackage& package, const PackageIndex& target, const std::string& target_label) {
    if (!package.data_member.ends_with(".zst")) return {};
    const IndexedPackage* newest = nullptr;
    for (const auto* p : target.named("dpkg")) {
        if (p->version.find("ubuntu") != std::string::npos) return {};
        if (!newest || compare_versions(p->version, newest->version) > 0) newest = p;
    }
    if (!newest || compare_versions(newest->version, "1.21.18") >= 0) return {};
    return package.data_member + ": " + target_label + "'s dpkg " + newest->version +
           " cannot unpack zstd (Debian's dpkg can since 1.21.18); build with --compress xz";
}

}  // namespace

std::vector<Finding> check_installable(const DebPackage& package, const PackageIndex& set, const PackageIndex& target,
                                       const std::string& host, const std::string& target_name) {
    const std::string target_label = target_name.empty() ? "the target" : target_name;
    std::vector<Finding> out;
    for (const auto& [field_name, field] : {std::pair{"Pre-Depends", &package.pre_depends}, std::pair{"Depends", &package.depends}}) {
        auto groups = parse_relations(*field, field_name);
        if (!groups.ok()) {
            out.push_back({package.name, Check::installable, groups.error().message});
            continue;
        }
        for (const auto& group : *groups) {
            bool met = std::any_of(group.begin(), group.end(), [&](const Relation& r) {
                return satisfied_by(set, r, host) || satisfied_by(target, r, host);
            });
            if (met) continue;
            std::string reason;
            for (const auto& r : group) reason += (reason.empty() ? "" : "; or ") + why_not(r, set, target, host, target_label);
            out.push_back({package.name, Check::installable, std::string(field_name) + ": " + reason});
        }
    }
    if (auto why = unpack_problem(package, target, target_label); !why.empty())
        out.push_back({package.name, Check::installable, why});
    return out;
}

Result<std::vector<std::string>> archive_depends(const DebPackage& package, const std::set<std::string>& have) {
    std::vector<std::string> out;
    for (const auto& [field_name, field] : {std::pair{"Pre-Depends", &package.pre_depends}, std::pair{"Depends", &package.depends}}) {
        KF_TRY(auto groups, parse_relations(*field, std::string(field_name) + " of " + package.name));
        for (const auto& group : groups) {
            if (std::any_of(group.begin(), group.end(), [&](const Relation& r) { return have.count(r.name); })) continue;
            if (std::find(out.begin(), out.end(), group.front().name) == out.end()) out.push_back(group.front().name);
        }
    }
    return out;
}

}  // namespace kf::sys
