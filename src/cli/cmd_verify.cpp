// `kflavour verify DIR|FILE.changes`: is a built .deb set complete, for the
// right CPU, consistent, and installable on the target release?
#include "cli/app.hpp"
#include "cli/verify_inputs.hpp"
#include "verify/verify_set.hpp"
#include "verify/verify_report.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;

namespace {

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
            {"packages", packages}, {"missing", r.absent_names()}, {"device_trees", r.device_trees},
            {"findings", findings}};
}

}  // namespace

sys::VerifyTarget verify_target_from(const Context& ctx, const po::variables_map& vm) {
    sys::VerifyTarget target;
    if (vm.count("packages")) target.packages = vm["packages"].as<std::vector<std::string>>();
    target.chroot = string_option(vm, "chroot");
    target.chroot_cache = sys::chroot_cache_dir(ctx.os);
    target.native_arch = ctx.os.native_arch();
    return target;
}

namespace {

Status run_verify(Context& ctx, const po::variables_map& vm) {
    if (!vm.count("set")) return bad_input("verify: say which set: a directory of .debs or a .changes file");
    const fs::path input = vm["set"].as<std::string>();
    sys::VerifyTarget target = verify_target_from(ctx, vm);
    target.suite = string_option(vm, "suite");
    target.host = string_option(vm, "host");
    if (vm.count("dtb")) target.dtbs = vm["dtb"].as<std::vector<std::string>>();
    KF_TRY(const auto report, sys::verify_set(input, target, [&ctx](const std::string& line) { ctx.verbose(line); }));
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
        "DIR|FILE.changes [--suite S] [--host A] [--packages FILE]... [--chroot NAME] [--dtb NAME]...",
        [](po::options_description& d, po::positional_options_description& pos) {
            d.add_options()("set", po::value<std::string>()->value_name("DIR|FILE.changes"), "the set to verify")
                ("suite", po::value<std::string>()->value_name("S"),
                 "the target release: its kflavour chroot's apt lists, else this machine's lists of S")
                ("host", po::value<std::string>()->value_name("A"), "the CPU the set is for (default: its kernel image's)")
                ("packages", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
                 "a Packages file of the target release (any compression; repeatable)")
                ("chroot", po::value<std::string>()->value_name("NAME"), "judge by this kflavour chroot's apt lists")
                ("dtb", po::value<std::vector<std::string>>()->value_name("NAME")->composing(),
                 "a device tree the image package must carry, e.g. bcm2711-rpi-4-b (repeatable)");
            pos.add("set", 1);
        },
        run_verify, {}};
}

}  // namespace kf::cli
