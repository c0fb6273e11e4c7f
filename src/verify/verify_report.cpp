#include "verify/verify_report.hpp"

#include <algorithm>
#include <set>

namespace kf {
namespace {

std::string pad(std::string s, size_t width) {
    if (s.size() < width) s.resize(width, ' ');
    return s;
}

}  // namespace

bool VerifyReport::failed(const std::string& package, Check check) const {
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.package == package && f.check == check; });
}

std::vector<std::string> VerifyReport::absent_names() const {
    std::set<std::string> present;
    for (const auto& p : packages) present.insert(p.name);
    std::vector<std::string> out;
    for (const auto& f : findings)
        if (!present.count(f.package) && std::find(out.begin(), out.end(), f.package) == out.end())
            out.push_back(f.package);
    return out;
}

std::string format_report(const VerifyReport& report) {
    struct Row {
        std::string name, version, arch;
        bool present = true;  // a row for a missing package shows only its failures
    };
    std::vector<Row> rows;
    for (const auto& p : report.packages) rows.push_back({p.name, p.version, p.architecture});
    for (const auto& name : report.absent_names()) rows.push_back({name, name.starts_with("(") ? "" : "(missing)", "", false});  // "(set)" is no package

    size_t name_w = 7, version_w = 7, arch_w = 4;
    for (const auto& r : rows) {
        name_w = std::max(name_w, r.name.size());
        version_w = std::max(version_w, r.version.size());
        arch_w = std::max(arch_w, r.arch.size());
    }
    std::string out = "verify " + report.set + " for " + report.host + " against " + report.target + "\n\n";
    out += pad("PACKAGE", name_w + 2) + pad("VERSION", version_w + 2) + pad("ARCH", arch_w + 2);
    for (Check c : all_checks) out += pad(std::string(check_name(c)), 13);
    while (out.back() == ' ') out.pop_back();
    out += "\n";
    for (const auto& r : rows) {
        std::string line = pad(r.name, name_w + 2) + pad(r.version, version_w + 2) + pad(r.arch, arch_w + 2);
        for (Check c : all_checks) line += pad(report.failed(r.name, c) ? "FAIL" : r.present ? "ok" : "-", 13);
        while (line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    if (!report.device_trees.empty()) {
        out += "\ndevice trees in the image package (" + std::to_string(report.device_trees.size()) + "):\n";
        for (const auto& t : report.device_trees) out += "  " + t + "\n";
    }
    if (!report.findings.empty()) {
        out += "\nproblems:\n";
        for (const auto& f : report.findings)
            out += "  " + f.package + ": " + std::string(check_name(f.check)) + ": " + f.message + "\n";
    }
    const size_t n = report.findings.size();
    out += "\n" + (n == 0 ? std::string("verify: ok: ") + std::to_string(report.packages.size()) + " packages pass every check"
                          : "verify: FAILED: " + std::to_string(n) + " problem" + (n == 1 ? "" : "s")) +
           "\n";
    return out;
}

}  // namespace kf
