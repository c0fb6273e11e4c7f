// `kflavour boot DIR`: install the kernel set in DIR with dpkg into a scratch
// copy of a chroot of the target suite and boot it under qemu-system.
#include "cli/app.hpp"
#include "boot/boot_check.hpp"
#include "base/text.hpp"
#include "boot/boot.hpp"
#include "chroot/chroot.hpp"
#include "base/process.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;
namespace {

constexpr size_t kConsoleTailLines = 30;

std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
}

Result<sys::BootRequest> read_request(const po::variables_map& vm) {
    sys::BootRequest r;
    r.dir = vm["dir"].as<std::string>();
    if (vm.count("arch")) r.arch = vm["arch"].as<std::string>();
    r.suite = vm["suite"].as<std::string>();
    if (vm.count("chroot")) r.chroot = vm["chroot"].as<std::string>();
    if (vm.count("expect"))
        for (const auto& e : vm["expect"].as<std::vector<std::string>>()) {
            KF_TRY(auto expect, parse_expect(e));
            r.expects.push_back(std::move(expect));
        }
    if (vm.count("cmdline")) r.cmdline = vm["cmdline"].as<std::string>();
    r.timeout_seconds = vm["timeout"].as<int>();
    if (r.timeout_seconds <= 0) return bad_input("--timeout must be a positive number of seconds");
    r.accel = vm["accel"].as<std::string>();
    r.memory_mib = vm["memory"].as<int>();
    if (r.memory_mib < 16) return bad_input("--memory is in MiB and must be at least 16");
    return r;
}

nlohmann::ordered_json to_json(const sys::BootResult& r) {
    nlohmann::ordered_json installed = nlohmann::ordered_json::array(), expects = nlohmann::ordered_json::array(),
                           skipped = nlohmann::ordered_json::array();
    for (const auto& p : r.installed)
        installed.push_back({{"status", p.status}, {"package", p.name}, {"version", p.version}, {"arch", p.arch}});
    for (const auto& d : r.skipped) skipped.push_back(d.file);
    for (const auto& o : r.verdict.expects)
        expects.push_back({{"symbol", o.expect.symbol}, {"expected", o.expect.value}, {"actual", o.actual},
                           {"holds", o.holds}});
    return {{"passed", r.verdict.passed},
            {"failures", r.verdict.failures},
            {"arch", r.arch},
            {"release", r.release},
            {"running_release", r.report.release},
            {"cmdline", r.report.cmdline},
            {"version", r.report.version},
            {"realtime", {{"judged", r.realtime}, {"sys_kernel_realtime", r.report.realtime},
                          {"proofs", r.verdict.realtime_proofs}}},
            {"config_source", r.report.config_source},
            {"expects", expects},
            {"chroot", r.chroot},
            {"chroot_created", r.chroot_created},
            {"chroot_seconds", r.chroot_seconds},
            {"install_seconds", r.install_seconds},
            {"installed", installed},
            {"not_installed", r.not_installed},
            {"install_problems", r.install_problems},
            {"skipped", skipped},
            {"initramfs_bytes", r.initramfs_bytes},
            {"module_files", r.module_files},
            {"qemu", r.qemu_argv},
            {"boot_seconds", r.boot_seconds},
            {"timed_out", r.timed_out},
            {"console_tail", tail_lines(r.console, kConsoleTailLines)}};
}

void print_human(Context& ctx, const sys::BootResult& r) {
    ctx.info("chroot " + r.chroot + (r.chroot_created ? ": created" : ": cached") + " (" + seconds(r.chroot_seconds) +
             "); set installed with dpkg in " + seconds(r.install_seconds) + "; dpkg -l:");
    for (const auto& p : r.installed) ctx.info("  " + p.status + "  " + p.name + "  " + p.version + "  " + p.arch);
    for (const auto& p : r.not_installed) ctx.warn(p + " is not installable in the chroot (purged again)");
    for (const auto& why : r.install_problems) ctx.warn("  " + why);
    for (const auto& d : r.skipped) ctx.verbose("skipped (not " + r.arch + "): " + d.file);
    ctx.info("booted " + r.release + " in " + seconds(r.boot_seconds) + " (initramfs " +
             std::to_string(r.initramfs_bytes / 1024) + " KiB, " + std::to_string(r.module_files) + " module files)");
    if (r.report.began) {
        ctx.info("  running release: " + r.report.release);
        ctx.info("  cmdline: " + r.report.cmdline);
        ctx.info("  uname -v: " + r.report.version);
        ctx.info("  /sys/kernel/realtime: " + r.report.realtime);
        ctx.info("  config source: " + r.report.config_source);
    }
    for (const auto& o : r.verdict.expects)
        ctx.info("  " + o.expect.symbol + "=" + o.expect.value + ": " + (o.holds ? "ok" : "FAILED") +
                 (o.actual.empty() ? std::string(" (not reported)") : " (running: " + o.actual + ")"));
    if (r.realtime) {
        ctx.info("  real-time proofs (" + std::to_string(r.verdict.realtime_proofs.size()) + " of 3 held):");
        for (const auto& p : r.verdict.realtime_proofs) ctx.info("    ok: " + p);
    }
}

Status print_dry_run(Context& ctx, const sys::BootRequest& request) {
    KF_TRY(DebSet set, sys::read_set(request.dir, request.arch));
    KF_TRY(BootArch arch, boot_arch(set.arch));
    const std::string chroot =
        request.chroot.empty()
            ? sys::default_name(
                  sys::boot_chroot_spec(request.suite, set.arch, ctx.os.native_arch(), request.image_depends))
            : request.chroot;
    ctx.out << "# chroot " << chroot << ", extracted to a scratch ROOT; inside it:\n"
            << install_script(set, fs::absolute(request.dir).lexically_normal().string()) << "# then:\n"
            << sys::boot_command({sys::tool_path(arch.qemu), arch, "ROOT/boot/vmlinuz-RELEASE", "INITRD",
                                  request.cmdline, request.accel, request.memory_mib},
                                 request.timeout_seconds)
                   .to_shell()
            << "\n";
    return ok_status();
}

Status run_boot(Context& ctx, const po::variables_map& vm) {
    KF_TRY(sys::BootRequest request, read_request(vm));
    KF_TRY(request.sources_template, sys::sources_template(ctx.os, request.suite));
    if (request.chroot.empty()) {
        KF_TRY(DebSet set, sys::read_set(request.dir, request.arch));
        KF_TRY_STATUS(boot_arch(set.arch));  // an arch it can't boot: said before any .deb is read
        KF_TRY(request.image_depends, sys::boot_archive_depends(set, request.dir));
    }
    if (ctx.global.dry_run) return print_dry_run(ctx, request);
    const bool json = ctx.global.json;
    auto progress = [&](std::string_view stage) {
        if (json) ctx.verbose(stage);
        else ctx.info(stage);
    };
    auto console = [&](std::string_view chunk) { ctx.verbose_output(chunk); };
    sys::SystemRunner runner;
    KF_TRY(sys::BootResult result, sys::boot_set(runner, ctx.os, request, progress, console));
    if (json) ctx.out << to_json(result).dump(2) << "\n";
    else print_human(ctx, result);
    if (result.verdict.passed) {
        if (!json) ctx.info("PASS: " + result.release + " booted and reported what was expected");
        return ok_status();
    }
    if (!json) {
        ctx.err << "console (last " << kConsoleTailLines << " lines):\n" << tail_lines(result.console, kConsoleTailLines);
        for (const auto& f : result.verdict.failures) ctx.err << "FAIL: " << f << "\n";
    }
    Error e = failure("boot check failed for " + result.release + ": " + join(result.verdict.failures, "; "));
    e.code = Exit::check_failed;
    return e;
}

}  // namespace

Command boot_command() {
    return Command{
        "boot", "install a kernel set with dpkg into a scratch root and boot it under qemu",
        "DIR [--arch A] [--suite S] [--expect CONFIG_X=v]... [--cmdline \"…\"] [--timeout S] [--chroot NAME]",
        [](po::options_description& d, po::positional_options_description& p) {
            d.add_options()
                ("dir", po::value<std::string>()->required()->value_name("DIR"), "the set's .debs (kflavour build --out)")
                ("arch", po::value<std::string>()->value_name("A"), "the kernel's arch (default: the images' arch)")
                ("suite", po::value<std::string>()->default_value("bookworm")->value_name("S"),
                 "the target release the set is installed on")
                ("expect", po::value<std::vector<std::string>>()->value_name("CONFIG_X=v"),
                 "the running kernel's config must have this; repeatable")
                ("cmdline", po::value<std::string>()->value_name("\"…\""), "more kernel command line (must reach the guest)")
                ("timeout", po::value<int>()->default_value(120)->value_name("S"), "seconds the boot may take")
                ("chroot", po::value<std::string>()->value_name("NAME"),
                 "a cached chroot of the set's arch with busybox-static (default: created on demand)")
                ("accel", po::value<std::string>()->default_value("tcg")->value_name("tcg|kvm"), "qemu accelerator")
                ("memory", po::value<int>()->default_value(256)->value_name("MiB"), "guest memory");
            p.add("dir", 1);
        },
        run_boot, {}};
}

}  // namespace kf::cli
