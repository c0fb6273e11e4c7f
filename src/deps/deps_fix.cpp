#include "deps/deps_fix.hpp"

#include "base/text.hpp"

#include <algorithm>

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
    for (const auto& f : fields) {
        for (const auto& r : f.relations) {
            for (const auto& a : r.atoms) {
                DepDecision d{a.package, f.name, r.line, DepAction::unknown, ""};
                if (!a.qualifier.empty()) {
                    d.action = DepAction::none_qualified;
                    d.reason = "already qualified :" + a.qualifier;
                    plan.decisions.push_back(d);
                    continue;
                }
                auto info = source.lookup(a.package);
                if (!info) {
                    d.action = DepAction::unknown;
                    d.reason = "not in " + source.describe();
                } else if (info->arch_all) {
                    d.action = DepAction::none_all;
                    d.reason = "Architecture: all";
                } else if (info->multi_arch == MultiArch::foreign) {
                    d.action = DepAction::none_foreign;
                    d.reason = "Multi-Arch: foreign";
                } else if (is_library(a.package, *info)) {
                    std::string what = info->multi_arch == MultiArch::same
                                           ? "Multi-Arch: same"
                                           : "library (Section: " + info->section + ", Multi-Arch: " +
                                                 to_string(info->multi_arch) + ")";
                    if (native_twins.count(a.package) && r.atoms.size() == 1) {
                        if (has_native.count(a.package)) {
                            d.action = DepAction::none_library;
                            d.reason = what + ", :native twin already present";
                        } else {
                            d.action = DepAction::twin;
                            d.reason = what + ", also linked into build-machine programs";
                            std::string rel = text.substr(r.begin, r.end - r.begin);
                            rel.insert(a.name_end - r.begin, ":native");
                            std::string sep = text.substr(r.sep_begin, r.begin - r.sep_begin);
                            if (sep.empty()) sep = " ";
                            inserts.push_back({r.begin, rel + "," + sep});
                        }
                    } else {
                        d.action = DepAction::none_library;
                        d.reason = what + ", stays host-arch";
                    }
                } else {
                    d.action = DepAction::native;
                    d.reason = "Multi-Arch: " + to_string(info->multi_arch) + ", runs on the build machine";
                    inserts.push_back({a.name_end, ":native"});
                }
                plan.decisions.push_back(d);
            }
        }
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
