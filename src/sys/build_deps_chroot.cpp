#include "sys/build_deps_chroot.hpp"

#include "base/text.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <unistd.h>

namespace kf::sys {
namespace fs = std::filesystem;

namespace {

const char* const kDepsDir = "/tmp/kflavour-build-deps";

Status write_file(const fs::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return failure("cannot write", p.string());
    return ok_status();
}

std::string metadata(const ChrootInfo& base, const BuildDepsSpec& spec, const std::string& name) {
    std::vector<std::string> includes = base.includes;
    includes.push_back("build-deps:" + name.substr(name.size() - 8));
    nlohmann::ordered_json j{{"name", name},
                             {"suite", base.suite},
                             {"arches", base.arches},
                             {"includes", includes},
                             {"mirror", base.mirror},
                             {"base", base.name},
                             {"host", spec.host},
                             {"profiles", spec.profiles},
                             {"build_deps_control", build_deps_control(spec)}};
    return j.dump(2) + "\n";
}

Error unmet_error(const ProcessOutput& out, const BuildDepsSpec& spec) {
    auto lines = unmet_dependency_lines(out.output);
    std::string what = lines.empty() ? tool_failure_evidence(out.output, 15) : join(lines, "\n");
    Error e = failure("the build-dependencies cannot be installed in chroot " + spec.base_chroot +
                      (spec.host.empty() ? std::string() : " for host " + spec.host) + " (apt-get build-dep):\n" + what);
    e.hint = "kflavour deps check --host A names the packages the release lacks; nothing was compiled";
    return e;
}

}  // namespace

Command prepare_command(const fs::path& base_tarball, const fs::path& root, const fs::path& control_file,
                        const std::string& script, const fs::path& partial, bool unprivileged) {
    const std::string tar = shell_quote(tool_path("tar"));
    const std::string deps = std::string("\"$r\"") + kDepsDir;
    // apt needs /proc and /dev, not /sys. In a user namespace the host's
    // submounts of /dev can't be unmounted: tar keeps to the root's own file
    // system. Exit 100: the packing failed, not apt.
    std::string sh = "set -e; r=" + shell_quote(root.string()) + "; mkdir \"$r\"; " + tar + " -x -f " +
                     shell_quote(base_tarball.string()) + " -C \"$r\" --exclude='./dev/*'; " + "mkdir -p " + deps +
                     "/debian; cp " + shell_quote(control_file.string()) + " " + deps + "/debian/control; " +
                     "mount -t proc proc \"$r/proc\"; mount --rbind /dev \"$r/dev\"; "
                     "cp /etc/resolv.conf \"$r/etc/resolv.conf\" 2>/dev/null || true; "
                     "chroot \"$r\" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "
                     "DEBIAN_FRONTEND=noninteractive sh -c " + shell_quote(script) + "; " +
                     "umount \"$r/proc\"; umount -R -l \"$r/dev\" 2>/dev/null || true; rm -rf " + deps + "; " + tar +
                     " --numeric-owner --xattrs --one-file-system --exclude='./dev/*' -C \"$r\" -cf " +
                     shell_quote(partial.string()) + " . || exit 100";
    Command c;
    c.argv = {tool_path("unshare")};
    if (unprivileged) c.argv.insert(c.argv.end(), {"--map-auto", "--map-root-user"});
    c.argv.insert(c.argv.end(), {"--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--", "sh",
                                 "-c", sh});
    c.own_process_group = true;
    c.kill_after_interrupt = 5;
    return c;
}

Result<PreparedChroot> prepare_build_deps_chroot(ProcessRunner& runner, const fs::path& cache, const ChrootInfo& base,
                                                 const BuildDepsSpec& spec, const ProcessRunner::OutputSink& log) {
    PreparedChroot res;
    res.name = prepared_chroot_name(spec);
    auto paths = chroot_paths(cache, res.name);
    res.tarball = paths.tarball;
    std::error_code ec;
    if (fs::exists(paths.tarball, ec)) {
        res.reused = true;
        return res;
    }
    KF_TRY(ScratchDir scratch, ScratchDir::make("kflavour-deps"));
    const fs::path control = scratch.path() / "control";
    KF_TRY_STATUS(write_file(control, build_deps_control(spec)));
    const bool unprivileged = ::geteuid() != 0;
    // Readable for the namespace's root (a mapped id when unprivileged).
    fs::permissions(scratch.path(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec, ec);
    fs::permissions(control, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read, ec);
    const Command cmd = prepare_command(base.tarball, scratch.path() / "root", control,
                                        build_deps_script(spec, kDepsDir), paths.partial, unprivileged);
    const auto start = std::chrono::steady_clock::now();
    Result<ProcessOutput> out = failure("not run");
    {
        InterruptGuard guard;
        out = runner.run_streaming(cmd, log);
        if (unprivileged) (void)runner.run(chroot_cleanup_unprivileged_command(scratch.path()));
        if (InterruptGuard::interrupted()) {
            fs::remove(paths.partial, ec);
            return InterruptGuard::error("stopped while installing build-dependencies; no chroot written");
        }
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!out.ok()) {
        fs::remove(paths.partial, ec);
        return out.error();
    }
    if (out->exit_code == 100) {
        fs::remove(paths.partial, ec);
        return failure("cannot pack the prepared chroot:\n" + tail_lines(out->output, 10), paths.partial.string());
    }
    if (out->exit_code != 0) {
        fs::remove(paths.partial, ec);
        return unmet_error(*out, spec);
    }
    std::ofstream meta(paths.metadata, std::ios::trunc);
    meta << metadata(base, spec, res.name);
    if (!meta.flush()) return failure("cannot write", paths.metadata.string());
    KF_TRY_STATUS(publish_tarball(paths));
    return res;
}

}  // namespace kf::sys
