#include "deps/deps_fix.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <optional>

namespace kf {

std::string to_string(MultiArch ma) {
    switch (ma) {
    case MultiArch::none: return "no";
    case MultiArch::foreign: return "foreign";
    case MultiArch::allowed: return "allowed";
    case MultiArch::same: return "same";
    }
    return "no";
}

std::set<std::string> parse_native_twins(const std::string& text) {
    std::set<std::string> out;
    for (auto line : split_lines(text)) {
        auto hash = line.find('#');
        if (hash != std::string_view::npos) line = line.substr(0, hash);
        for (auto& w : split_words(trim(line))) out.insert(w);
    }
    return out;
}

namespace {

struct Insertion {
    size_t at;
    std::string text;
};

bool is_library(const std::string& package, const PackageInfo& info) {
    if (info.multi_arch == MultiArch::same) return true;
    if (info.section == "libdevel" || info.section.ends_with("/libdevel") || info.section == "libs" ||
        info.section.ends_with("/libs"))
        return true;
    return false;
    (void)package;
}

// What the rule decides for one unqualified atom `a` of relation `r`, and the
// text it inserts into the field (none, ":native", or a ":native" twin).
struct AtomDecision {
    DepAction action;
    std::string reason;
    std::optional<Insertion> insert;
};

// A library: a ":native" twin when it is also linked into build-machine
// programs (`native_twins`, a relation of its own), else it stays host-arch.
AtomDecision decide_library(const std::string& text, const DepRelation& r, const DepAtom& a, const PackageInfo& info,
                            const std::set<std::string>& native_twins, const std::set<std::string>& has_native) {
    std::string what = info.multi_arch == MultiArch::same
                           ? "Multi-Arch: same"
                           : "library (Section: " + info.section + ", Multi-Arch: " + to_string(info.multi_arch) + ")";
    if (!native_twins.count(a.package) || r.atoms.size() != 1)
        return {DepAction::none_library, what + ", stays host-arch", {}};
    if (has_native.count(a.package)) return {DepAction::none_library, what + ", :native twin already present", {}};
    std::string rel = text.substr(r.begin, r.end - r.begin);
    rel.insert(a.name_end - r.begin, ":native");
    std::string sep = text.substr(r.sep_begin, r.begin - r.sep_begin);
    if (sep.empty()) sep = " ";
    return {DepAction::twin, what + ", also linked into build-machine programs", Insertion{r.begin, rel + "," + sep}};
}

AtomDecision decide_atom(const std::string& text, const DepRelation& r, const DepAtom& a, const MultiArchSource& source,
                         const std::set<std::string>& native_twins, const std::set<std::string>& has_native) {
    if (!a.qualifier.empty()) return {DepAction::none_qualified, "already qualified :" + a.qualifier, {}};
    auto info = source.lookup(a.package);
    if (!info) return {DepAction::unknown, "not in " + source.describe(), {}};
    if (info->arch_all) return {DepAction::none_all, "Architecture: all", {}};
    if (info->multi_arch == MultiArch::foreign) return {DepAction::none_foreign, "Multi-Arch: foreign", {}};
    if (is_library(a.package, *info)) return decide_library(text, r, a, *info, native_twins, has_native);
    return {DepAction::native, "Multi-Arch: " + to_string(info->multi_arch) + ", runs on the build machine",
            Insertion{a.name_end, ":native"}};
}

}  // namespace

DepsFixPlan plan_deps_fix(const std::string& text, const std::vector<DepField>& fields,
                          const MultiArchSource& source, const std::set<std::string>& native_twins) {
    DepsFixPlan plan;
    // Packages that already have a :native relation (a twin written before).
    std::set<std::string> has_native;
    for (const auto& f : fields)
        for (const auto& r : f.relations)
            for (const auto& a : r.atoms)
                if (a.qualifier == "native") has_native.insert(a.package);

    std::vector<Insertion> inserts;
    for (const auto& f : fields)
        for (const auto& r : f.relations)
            for (const auto& a : r.atoms) {
                auto decided = decide_atom(text, r, a, source, native_twins, has_native);
                plan.decisions.push_back({a.package, f.name, r.line, decided.action, decided.reason});
                if (decided.insert) inserts.push_back(*decided.insert);
            }
    std::stable_sort(inserts.begin(), inserts.end(), [](const Insertion& x, const Insertion& y) { return x.at > y.at; });
    plan.text = text;
    for (const auto& ins : inserts) plan.text.insert(ins.at, ins.text);
    plan.changed = !inserts.empty();
    return plan;
}

}  // namespace kf

namespace kf {

std::map<std::string, std::string> parse_retired_build_deps(const std::string& text) {
    std::map<std::string, std::string> out;
    for (auto line : split_lines(text)) {
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
        const auto words = split_words(line);
        const auto rest = trim(line.substr(words.front().size()));
        out[std::string(words.front())] = std::string(rest);
    }
    return out;
}

std::string drop_retired_build_deps(const std::string& text, const std::vector<DepField>& fields,
                                    const MultiArchSource& source, const std::map<std::string, std::string>& retired,
                                    std::vector<RetiredDep>& dropped) {
    // Byte spans to cut, applied from the end so earlier spans stay valid.
    std::vector<std::pair<size_t, size_t>> cuts;
    for (const auto& field : fields) {
        for (const auto& rel : field.relations) {
            if (rel.atoms.size() != 1) continue;
            const auto& atom = rel.atoms.front();
            auto why = retired.find(atom.package);
            if (why == retired.end() || source.lookup(atom.package)) continue;
            dropped.push_back({atom.package, field.name, rel.line, why->second});
            size_t after = rel.end;
            while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
            if (after < text.size() && text[after] == ',') {
                cuts.push_back({rel.sep_begin, after + 1});
            } else {
                // The field's last relation: the comma before it goes instead.
                size_t from = rel.sep_begin;
                if (from > 0 && text[from - 1] == ',') --from;
                cuts.push_back({from, rel.end});
            }
        }
    }
    std::sort(cuts.rbegin(), cuts.rend());
    std::string out = text;
    for (const auto& [from, to] : cuts) out.erase(from, to - from);
    return out;
}

}  // namespace kf
