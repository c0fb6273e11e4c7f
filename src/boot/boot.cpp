#include "boot/boot.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "archive/deb_archive.hpp"
#include "boot/initramfs.hpp"
#include "archive/package_index.hpp"
#include "config/kbuild.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <unistd.h>

namespace fs = std::filesystem;

namespace kf::sys {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// `timeout` exits 124 when it stopped the command, 137 when it had to KILL it.
constexpr int kTimedOut = 124, kKilledAfterTimeout = 137;
// Ctrl-C: seconds for tar, the chroot's dpkg or qemu to stop before SIGKILL
// (the chroot's PID 1 ignores SIGINT; qemu-user's can hang on it).
constexpr int kKillAfterInterrupt = 3;

Error interrupted() { return InterruptGuard::error("stopped, scratch root removed"); }

// dpkg in a foreign chroot runs through qemu-user: binfmt must be on.
Status check_can_run(ProcessRunner& runner, const std::string& arch, const std::string& native_arch) {
    if (arch == native_arch) return ok_status();
    KF_TRY(auto at, runner.run(arch_test_command(arch)));
    if (at.exit_code == 0) return ok_status();
    Error e = failure("this machine cannot run " + arch + " binaries (arch-test " + arch + ": " +
                      std::string(trim(at.output)) + "), which dpkg in the " + arch + " chroot needs");
    e.hint = binfmt_hint(arch);
    return e;
}

struct ChrootChoice {
    std::string name;
    fs::path tarball;
    bool created = false;
};

Result<ChrootChoice> find_or_create_chroot(ProcessRunner& runner, const Os& os, const BootRequest& request,
                                           const std::string& arch, const Progress& progress) {
    const fs::path cache = chroot_cache_dir(os);
    if (!request.chroot.empty()) {
        KF_TRY(auto info, find_chroot(cache, request.chroot));
        return ChrootChoice{info.name, info.tarball, false};
    }
    ChrootSpec spec = boot_chroot_spec(request.suite, arch, os.native_arch(), request.image_depends);
    const std::string name = default_name(spec);
    std::error_code ec;
    if (!fs::exists(chroot_paths(cache, name).tarball, ec) && progress)
        progress("chroot " + name + ": creating with mmdebstrap (" + spec.variant + " + " + join(spec.includes, " ") + ")");
    KF_TRY(auto created, create_chroot(runner, spec, cache, request.sources_template, false, nullptr));
    return ChrootChoice{created.name, created.tarball, !created.reused};
}

std::set<std::string> set_packages(const DebSet& set) {
    std::set<std::string> out;
    for (const auto* list : {&set.images, &set.others})
        for (const auto& d : *list) out.insert(d.package);
    return out;
}

// What the boot needs of the installed root (the kernel, its modules and
// config, busybox), copied out by the user namespace's root: owned by the
// user, so kflavour can read a 0600 vmlinuz.
const char* const kBootFiles = "boot lib/modules bin/busybox";

// An unprivileged user: extract, install and copy out in one user namespace
// with the subuid/subgid ranges (unshare --map-auto), as builds do. `out`
// receives kBootFiles; scratch/root is removed afterwards by
// chroot_cleanup_unprivileged_command.
Command unprivileged_install_command(const fs::path& tarball, const fs::path& scratch, const fs::path& dir,
                                     const std::string& script, const fs::path& out) {
    const std::string tar = shell_quote(tool_path("tar"));
    const std::string in_dir = "\"$r\"" + shell_quote(dir.string());
    const std::string sh = unpack_and_mount_script(tarball, scratch / "root", true) + "mkdir -p " + in_dir +
                           "; mount --bind " + shell_quote(dir.string()) + " " + in_dir + "; rc=0; chroot \"$r\" " +
                           join(chroot_env_argv(), " ") + " sh -c " + shell_quote(script) + " || rc=$?; mkdir -p " +
                           shell_quote(out.string()) + "; " + tar + " -C \"$r\" -cf - " + kBootFiles + " 2>/dev/null | " +
                           tar + " -C " + shell_quote(out.string()) + " -xf - --no-same-owner || true; exit $rc";
    Command c;
    c.argv = namespace_argv(true);
    c.argv.insert(c.argv.end(), {"sh", "-c", sh});
    c.own_process_group = true;
    c.kill_after_interrupt = kKillAfterInterrupt;
    return c;
}

// The set installed into a scratch root with dpkg (inside the chroot);
// fills installed / not_installed. An image that does not install is a
// failed check. `root` is where the installed files are read afterwards:
// the scratch root (as root), or the files copied out of it (a user).
Status install_set(ProcessRunner& runner, bool as_root, const fs::path& tarball, const fs::path& scratch,
                   const DebSet& set, const fs::path& dir, BootResult& result, fs::path& root) {
    const std::string script = install_script(set, dir.string());
    ProcessOutput out;
    if (as_root) {
        root = scratch / "root";
        std::error_code ec;
        if (!fs::create_directory(root, ec)) return failure("cannot create: " + ec.message(), root.string());
        Command extract = extract_command(tarball, root, {});
        extract.own_process_group = true;
        extract.kill_after_interrupt = kKillAfterInterrupt;
        KF_TRY(auto x, runner.run(extract));
        if (InterruptGuard::interrupted()) return interrupted();
        if (x.exit_code != 0) return failure("cannot extract the chroot:\n" + tail_lines(x.output, 10), tarball.string());
        ChrootRun run{tarball, {dir}, {"sh", "-c", script}, {}};
        Command install = chroot_exec_command(run, root);
        install.kill_after_interrupt = kKillAfterInterrupt;
        KF_TRY(out, runner.run(install));
    } else {
        root = scratch / "boot-files";
        auto ran = runner.run(unprivileged_install_command(tarball, scratch, dir, script, root));
        (void)runner.run(chroot_cleanup_unprivileged_command(scratch));
        KF_TRY(out, std::move(ran));
    }
    if (InterruptGuard::interrupted()) return interrupted();
    if (out.exit_code != 0)
        return failure("installing the set in the chroot failed (exit " + std::to_string(out.exit_code) + "); " +
                       tool_failure_evidence(out.output, 20));
    result.not_installed = not_installed(out.output);
    if (!result.not_installed.empty()) result.install_problems = install_problems(out.output);
    const std::string listing_marker = std::string(kBootMarker) + "dpkg -l";
    auto listing = out.output.find(listing_marker);
    const auto wanted = set_packages(set);
    if (listing != std::string::npos)
        for (auto& row : parse_dpkg_list(std::string_view(out.output).substr(listing + listing_marker.size())))
            if (wanted.count(row.name)) result.installed.push_back(std::move(row));
    for (const auto& img : set.images) {
        bool ok = std::any_of(result.installed.begin(), result.installed.end(),
                              [&](const InstalledPackage& p) { return p.name == img.package && p.status == "ii"; });
        if (!ok) {
            Error e = failure(img.package + " does not install with dpkg in the chroot; dpkg: " +
                              tool_failure_evidence(out.output, 20));
            e.code = Exit::check_failed;
            return e;
        }
    }
    return ok_status();
}

Result<std::vector<std::string>> boot_dir_names(const fs::path& root) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root / "boot", ec)) names.push_back(e.path().filename().string());
    if (ec) return failure("cannot list the root's /boot: " + ec.message(), (root / "boot").string());
    return names;
}

std::string without_carriage_returns(std::string s) {
    s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
    return s;
}

}  // namespace

Result<DebSet> read_set(const fs::path& dir, const std::string& arch) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return bad_input("not a directory", dir.string());
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".deb") names.push_back(e.path().filename().string());
    if (ec) return failure("cannot list: " + ec.message(), dir.string());
    return classify_debs(names, arch);
}

Result<std::vector<std::string>> boot_archive_depends(const DebSet& set, const fs::path& dir) {
    const auto have = set_packages(set);
    std::set<std::string> need;
    for (const auto& img : set.images) {
        KF_TRY(auto control, read_deb_control(dir / img.file));
        KF_TRY(auto names, archive_depends(control, have));
        need.insert(names.begin(), names.end());
    }
    return std::vector<std::string>(need.begin(), need.end());
}

ChrootSpec boot_chroot_spec(const std::string& suite, const std::string& arch, const std::string& native_arch,
                            const std::vector<std::string>& image_depends) {
    ChrootSpec spec;
    spec.suite = suite;
    spec.arch = arch;
    spec.native_arch = native_arch;
    spec.qemu = arch != native_arch;
    // dpkg and a static busybox are all a boot needs; essential is the
    // smallest variant that has dpkg (a third of buildd's size).
    spec.variant = "essential";
    spec.includes = {"busybox-static"};
    spec.includes.insert(spec.includes.end(), image_depends.begin(), image_depends.end());
    return spec;
}

Command boot_command(const QemuSpec& qemu, int timeout_seconds) {
    Command c;
    c.argv = {tool_path("timeout"), "--kill-after=5", std::to_string(timeout_seconds)};
    auto q = qemu_argv(qemu);
    c.argv.insert(c.argv.end(), q.begin(), q.end());
    c.own_process_group = true;
    c.kill_after_interrupt = kKillAfterInterrupt;
    return c;
}

namespace {

// The installed kernel's release, whether it is real-time, and the
// initramfs that boots it written to `initrd`; the checks to judge it by.
Result<std::vector<ConfigExpect>> make_initrd(const BootRequest& request, const DebSet& set, const BootArch& arch,
                                              const fs::path& root, const fs::path& initrd, BootResult& result) {
    KF_TRY(auto boot_names, boot_dir_names(root));
    KF_TRY(result.release, installed_release(boot_names, set));
    // An rt kernel's boot is judged as one whether or not --expect asked.
    auto installed_config = read_text_file(root / "boot" / ("config-" + result.release));
    result.realtime = requests_realtime(request.expects, installed_config.ok() ? *installed_config : "");
    auto expects = result.realtime ? with_realtime_expect(request.expects) : request.expects;
    std::vector<std::string> symbols;
    for (const auto& e : expects) symbols.push_back(e.symbol);
    const std::string init = init_script({result.release, symbols, arch.halt_applet});
    KF_TRY(Initramfs initramfs, collect_initramfs(root, result.release, arch, init));
    result.module_files = initramfs.module_files;
    KF_TRY_STATUS(write_initramfs(initramfs, initrd));
    std::error_code ec;
    result.initramfs_bytes = size_t(fs::file_size(initrd, ec));
    return expects;
}

// qemu on the installed kernel and the initrd; the console and its report.
Status run_qemu(ProcessRunner& runner, const BootRequest& request, const BootArch& arch, const fs::path& root,
                const fs::path& initrd, const ProcessRunner::OutputSink& console, BootResult& result) {
    QemuSpec qemu{tool_path(arch.qemu), arch, (root / "boot" / ("vmlinuz-" + result.release)).string(),
                  initrd.string(), request.cmdline, request.accel, request.memory_mib};
    Command cmd = boot_command(qemu, request.timeout_seconds);
    result.qemu_argv = qemu_argv(qemu);
    auto start = Clock::now();
    KF_TRY(auto out, runner.run_streaming(cmd, console));
    result.boot_seconds = seconds_since(start);
    if (InterruptGuard::interrupted()) return interrupted();
    result.console = without_carriage_returns(std::move(out.output));
    result.timed_out = out.exit_code == kTimedOut || out.exit_code == kKilledAfterTimeout;
    result.report = parse_console(result.console);
    if (out.exit_code != 0 && !result.timed_out && !result.report.kernel_started) {
        Error e = failure(arch.qemu + " failed (exit " + std::to_string(out.exit_code) + "); " +
                          tool_failure_evidence(result.console, 15));
        e.hint = "command: " + cmd.to_shell();
        return e;
    }
    return ok_status();
}

}  // namespace

Result<BootResult> boot_set(ProcessRunner& runner, const Os& os, const BootRequest& request,
                            const Progress& progress_sink, const ProcessRunner::OutputSink& console) {
    auto progress = [&](std::string_view stage) {
        if (progress_sink) progress_sink(stage);
    };
    BootResult result;
    KF_TRY(DebSet set, read_set(request.dir, request.arch));
    KF_TRY(BootArch arch, boot_arch(set.arch));
    result.arch = set.arch;
    result.skipped = set.skipped;
    const fs::path dir = fs::absolute(request.dir).lexically_normal();

    InterruptGuard guard;
    auto start = Clock::now();
    KF_TRY(ChrootChoice chroot, find_or_create_chroot(runner, os, request, set.arch, progress_sink));
    result.chroot = chroot.name;
    result.chroot_created = chroot.created;
    result.chroot_seconds = seconds_since(start);
    KF_TRY_STATUS(check_can_run(runner, set.arch, os.native_arch()));

    progress("install: dpkg -i " + std::to_string(set.images.size() + set.others.size()) + " package(s) in a copy of " +
             chroot.name);
    start = Clock::now();
    KF_TRY(ScratchDir scratch, ScratchDir::make("kflavour-boot"));
    fs::path root;
    KF_TRY_STATUS(install_set(runner, os.is_root(), chroot.tarball, scratch.path(), set, dir, result, root));
    result.install_seconds = seconds_since(start);

    const fs::path initrd = scratch.path() / "initrd.cpio.gz";
    KF_TRY(auto expects, make_initrd(request, set, arch, root, initrd, result));
    progress("boot: " + result.release + " under " + arch.qemu + " (" + request.accel + ", timeout " +
             std::to_string(request.timeout_seconds) + " s)");
    KF_TRY_STATUS(run_qemu(runner, request, arch, root, initrd, console, result));
    result.verdict = judge_boot(result.report, {result.release, expects, request.cmdline, result.timed_out,
                                                request.timeout_seconds, result.realtime});
    return result;
}

}  // namespace kf::sys
