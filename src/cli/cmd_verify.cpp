// `kflavour verify DIR|FILE.changes`: is a built .deb set complete, for the
// right CPU, consistent, and installable on the target release?
#include "cli/app.hpp"
#include "core/verify_report.hpp"
#include "core/verify_rules.hpp"
#include "sys/chroot.hpp"
#include "sys/deb_archive.hpp"
#include "sys/package_index.hpp"
#include "sys/process.hpp"
#include "sys/target_index.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <future>
#include <iterator>
#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;

namespace {

// The .deb files of a directory or a .changes file (with what it records of them).
struct SetFiles {
    std::vector<fs::path> debs;
    std::vector<sys::ChangesEntry> listed;  // empty for a directory
};

Result<SetFiles> set_files(const fs::path& input) {
    std::error_code ec;
    SetFiles out;
    if (fs::is_directory(input, ec)) {
        for (const auto& e : fs::directory_iterator(input, ec))
            if (e.path().extension() == ".deb" && e.is_regular_file()) out.debs.push_back(e.path());
        std::sort(out.debs.begin(), out.debs.end());
        if (out.debs.empty()) return bad_input("no .deb files in the directory", input.string());
        return out;
    }
    if (input.extension() == ".changes" && fs::is_regular_file(input, ec)) {
        KF_TRY(out.listed, sys::debs_of_changes(input));
        for (const auto& e : out.listed) out.debs.push_back(e.file);
        return out;
    }
    return bad_input("not a directory of .debs or a .changes file", input.string());
}

struct Target {
    sys::IndexFiles files;
    std::string suite;  // how messages name the release; may be empty
};

// --packages, --chroot, --suite: the first given decides where the index comes from.
Result<Target> find_target(const po::variables_map& vm, const std::string& host) {
    Target t;
    if (vm.count("suite")) t.suite = vm["suite"].as<std::string>();
    if (vm.count("packages")) {
        for (const auto& f : vm["packages"].as<std::vector<std::string>>()) t.files.files.emplace_back(f);
        t.files.origin = "--packages";
        return t;
    }
    sys::SystemRunner runner;
    const auto cache = sys::chroot_cache_dir();
    if (vm.count("chroot")) {
        KF_TRY(auto chroot, sys::find_chroot(cache, vm["chroot"].as<std::string>()));
        if (t.suite.empty()) t.suite = chroot.suite;
        KF_TRY(t.files, sys::chroot_index_files(runner, chroot, host));
        return t;
    }
    if (t.suite.empty()) {
        Error e = bad_input("no package index: say which release the set is for");
        e.hint = "--suite S (a kflavour chroot of S, or this machine's apt lists of S), --chroot NAME or --packages FILE";
        return e;
    }
    if (auto chroot = sys::find_chroot_for_suite(cache, t.suite); chroot.ok()) {
        KF_TRY(t.files, sys::chroot_index_files(runner, *chroot, host));
        return t;
    }
    KF_TRY(t.files, sys::host_index_files("/var/lib/apt/lists", t.suite, host));
    return t;
}

struct LoadedTarget {
    Target target;
    sys::PackageIndex index;
};

Result<LoadedTarget> load_target(const po::variables_map& vm, const std::string& host) {
    KF_TRY(auto target, find_target(vm, host));
    KF_TRY(auto index, sys::PackageIndex::load(target.files.files, host));
    return LoadedTarget{std::move(target), std::move(index)};
}

nlohmann::ordered_json report_json(const VerifyReport& r) {
    nlohmann::ordered_json packages = nlohmann::ordered_json::array();
    auto checks_of = [&](const std::string& name) {
        nlohmann::ordered_json c;
        for (Check check : all_checks) c[std::string(check_name(check))] = r.failed(name, check) ? "fail" : "ok";
        return c;
    };
    for (const auto& p : r.packages)
        packages.push_back({{"name", p.name}, {"version", p.version}, {"architecture", p.architecture},
                            {"file", p.file.string()}, {"checks", checks_of(p.name)}});
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const auto& f : r.findings)
        findings.push_back({{"package", f.package}, {"check", check_name(f.check)}, {"message", f.message}});
    return {{"set", r.set}, {"host", r.host}, {"target", r.target}, {"ok", r.ok()},
            {"packages", packages}, {"missing", r.absent_names()}, {"findings", findings}};
}

// Every check on the set (files read, index loaded).
std::vector<Finding> run_checks(const VerifyReport& report, const std::vector<sys::ChangesEntry>& listed,
                                const sys::PackageIndex& index, const std::string& suite) {
    const auto set_index = sys::PackageIndex::of_set(report.packages);
    const auto images = image_releases(report.packages);
    std::vector<Finding> out = check_complete(report.packages);
    auto add = [&out](std::vector<Finding> more) { std::move(more.begin(), more.end(), std::back_inserter(out)); };
    for (size_t i = 0; i < listed.size(); ++i)
        if (auto why = sys::changes_mismatch(listed[i]); !why.empty())
            out.push_back({report.packages[i].name, Check::consistent, listed[i].file.filename().string() + ": " + why});
    for (const auto& p : report.packages) {
        add(sys::check_installable(p, set_index, index, report.host, suite));
        add(check_cpu(p, report.host));
        add(check_consistent(p, images));
    }
    return out;
}

Status run_verify(Context& ctx, const po::variables_map& vm) {
    if (!vm.count("set")) return bad_input("verify: say which set: a directory of .debs or a .changes file");
    const fs::path input = vm["set"].as<std::string>();
    KF_TRY(auto files, set_files(input));

    VerifyReport report;
    report.set = input.string();
    for (const auto& f : files.debs) {
        KF_TRY(auto pkg, sys::read_deb_control(f));
        report.packages.push_back(std::move(pkg));
    }
    report.host = vm.count("host") ? vm["host"].as<std::string>() : native_arch_of(report.packages);
    if (report.host.empty()) return bad_input("the set has only arch-all packages: say which CPU with --host A");

    // The index loads on a second thread while the data archives are read
    // (both take about half a second for a real set and a full index).
    sys::prepare_for_threads();
    auto loading = std::async(std::launch::async, [&vm, host = report.host] { return load_target(vm, host); });
    for (auto& p : report.packages) {
        ctx.verbose("reading " + p.file.string());
        KF_TRY_STATUS(sys::read_deb_files(p));
    }
    KF_TRY(auto loaded, loading.get());
    const Target& target = loaded.target;
    const sys::PackageIndex& index = loaded.index;
    report.target = (target.suite.empty() ? std::string("the index") : target.suite) + " (" +
                    std::to_string(index.size()) + " packages for " + report.host + " from " + target.files.origin + ")";
    report.findings = run_checks(report, files.listed, index, target.suite);

    if (ctx.global.json)
        ctx.out << report_json(report).dump(2) << "\n";
    else if (ctx.global.verbosity >= 0 || !report.ok())
        ctx.out << format_report(report);
    if (report.ok()) return ok_status();
    Error e;
    e.code = Exit::check_failed;
    e.message = "verify: " + std::to_string(report.findings.size()) + " problem" + (report.findings.size() == 1 ? "" : "s") +
                " in " + input.string() + " (see the table above)";
    return e;
}

}  // namespace

Command verify_command() {
    return Command{
        "verify", "check a built .deb set: complete, right CPU, consistent, installable on the target release",
        "DIR|FILE.changes [--suite S] [--host A] [--packages FILE]... [--chroot NAME]",
        [](po::options_description& d, po::positional_options_description& pos) {
            d.add_options()("set", po::value<std::string>()->value_name("DIR|FILE.changes"), "the set to verify")
                ("suite", po::value<std::string>()->value_name("S"),
                 "the target release: its kflavour chroot's apt lists, else this machine's lists of S")
                ("host", po::value<std::string>()->value_name("A"), "the CPU the set is for (default: its kernel image's)")
                ("packages", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
                 "a Packages file of the target release (any compression; repeatable)")
                ("chroot", po::value<std::string>()->value_name("NAME"), "judge by this kflavour chroot's apt lists");
            pos.add("set", 1);
        },
        run_verify, {}};
}

}  // namespace kf::cli
