#include "verify/verify_set.hpp"

#include "verify/verify_rules.hpp"
#include "chroot/chroot.hpp"
#include "archive/deb_archive.hpp"
#include "archive/package_index.hpp"
#include "base/process.hpp"
#include "chroot/target_index.hpp"

#include <algorithm>
#include <future>
#include <iterator>

namespace kf::sys {
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

Result<Target> find_target(const VerifyTarget& want, const std::string& host) {
    Target t;
    t.suite = want.suite;
    if (!want.packages.empty()) {
        for (const auto& f : want.packages) t.files.files.emplace_back(f);
        t.files.origin = "--packages";
        return t;
    }
    sys::SystemRunner runner;
    const auto& cache = want.chroot_cache;
    if (!want.chroot.empty()) {
        KF_TRY(auto chroot, sys::find_chroot(cache, want.chroot));
        if (t.suite.empty()) t.suite = chroot.suite;
        KF_TRY(t.files, sys::chroot_index_files(runner, chroot, host));
        return t;
    }
    if (t.suite.empty()) {
        Error e = bad_input("no package index: say which release the set is for");
        e.hint = "--suite S (a kflavour chroot of S, or this machine's apt lists of S), --chroot NAME or --packages FILE";
        return e;
    }
    if (auto chroot = sys::find_chroot_for_suite(cache, t.suite, want.native_arch); chroot.ok()) {
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

Result<LoadedTarget> load_target(const VerifyTarget& want, const std::string& host) {
    KF_TRY(auto target, find_target(want, host));
    KF_TRY(auto index, sys::PackageIndex::load(target.files.files, host));
    return LoadedTarget{std::move(target), std::move(index)};
}

// Every check on the set (files read, index loaded).
std::vector<Finding> run_checks(const VerifyReport& report, const std::vector<sys::ChangesEntry>& listed,
                                const sys::PackageIndex& index, const std::string& suite,
                                const std::vector<std::string>& dtbs) {
    const auto set_index = sys::PackageIndex::of_set(report.packages);
    const auto images = image_releases(report.packages);
    std::vector<Finding> out = check_complete(report.packages);
    auto add = [&out](std::vector<Finding> more) { std::move(more.begin(), more.end(), std::back_inserter(out)); };
    add(check_device_trees(report.packages, report.device_trees, dtbs));
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

}  // namespace

Result<std::vector<fs::path>> debs_of_set(const fs::path& input) {
    KF_TRY(auto files, set_files(input));
    return files.debs;
}

Result<VerifyReport> verify_set(const fs::path& input, const VerifyTarget& want, const VerifyProgress& progress) {
    KF_TRY(auto files, set_files(input));

    VerifyReport report;
    report.set = input.string();
    for (const auto& f : files.debs) {
        KF_TRY(auto pkg, sys::read_deb_control(f));
        report.packages.push_back(std::move(pkg));
    }
    report.host = !want.host.empty() ? want.host : native_arch_of(report.packages);
    if (report.host.empty()) return bad_input("the set has only arch-all packages: say which CPU with --host A");

    // The index loads on a second thread while the data archives are read
    // (both take about half a second for a real set and a full index).
    sys::prepare_for_threads();
    auto loading = std::async(std::launch::async, [&want, host = report.host] { return load_target(want, host); });
    for (auto& p : report.packages) {
        if (progress) progress("reading " + p.file.string());
        KF_TRY_STATUS(sys::read_deb_files(p));
    }
    KF_TRY(auto loaded, loading.get());
    const Target& target = loaded.target;
    const sys::PackageIndex& index = loaded.index;
    report.target = (target.suite.empty() ? std::string("the index") : target.suite) + " (" +
                    std::to_string(index.size()) + " packages for " + report.host + " from " + target.files.origin + ")";
    report.device_trees = device_trees(report.packages);
    report.findings = run_checks(report, files.listed, index, target.suite, want.dtbs);

    return report;
}

}  // namespace kf::sys
