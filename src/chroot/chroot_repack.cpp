#include "chroot/chroot_repack.hpp"

#include "base/text.hpp"

#include <unistd.h>

namespace kf::sys {
namespace fs = std::filesystem;

Command repack_command(const fs::path& tarball, const fs::path& root, const std::vector<CopyIn>& copy_in,
                       const std::string& script, const fs::path& partial, bool unprivileged) {
    const std::string tar = shell_quote(tool_path("tar"));
    // Device nodes can't be made in a user namespace: there the chroot's
    // /dev is left empty (every runner binds the host's /dev over it); root
    // keeps the tarball's own nodes. apt needs /proc and /dev, not /sys.
    std::string sh = unpack_and_mount_script(tarball, root, unprivileged);
    std::string remove;
    for (const auto& c : copy_in) {
        const std::string in = "\"$r\"" + shell_quote(c.to);
        sh += "mkdir -p \"$(dirname " + in + ")\"; cp " + shell_quote(c.from.string()) + " " + in + "; ";
        remove += " " + in;
    }
    // In a user namespace the host's submounts of /dev can't be unmounted:
    // tar keeps to the root's own file system.
    sh += "cp /etc/resolv.conf \"$r/etc/resolv.conf\" 2>/dev/null || true; chroot \"$r\" " +
          join(chroot_env_argv(), " ") + " sh -c " + shell_quote(script) + "; " +
          "umount \"$r/proc\"; umount -R -l \"$r/dev\" 2>/dev/null || true; ";
    if (!remove.empty()) sh += "rm -f" + remove + "; ";
    sh += tar + " --numeric-owner --xattrs --one-file-system" + (unprivileged ? " --exclude='./dev/*'" : "") +
          " -C \"$r\" -cf " + shell_quote(partial.string()) + " . || exit 100";
    Command c;
    c.argv = namespace_argv(unprivileged);
    c.argv.insert(c.argv.end(), {"sh", "-c", sh});
    c.own_process_group = true;
    c.kill_after_interrupt = 5;
    return c;
}

Result<ProcessOutput> repack_chroot(ProcessRunner& runner, const Os& os, const fs::path& tarball,
                                    const std::vector<CopyIn>& copy_in, const std::string& script,
                                    const fs::path& partial, const ProcessRunner::OutputSink& log) {
    KF_TRY(ScratchDir scratch, ScratchDir::make("kflavour-repack"));
    const bool unprivileged = !os.is_root();
    std::error_code ec;
    // The namespace's root (a mapped id when unprivileged) reads the copied files.
    fs::permissions(scratch.path(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec, ec);
    for (const auto& c : copy_in) fs::permissions(c.from, fs::perms::others_read, fs::perm_options::add, ec);
    const Command cmd = repack_command(tarball, scratch.path() / "root", copy_in, script, partial, unprivileged);
    InterruptGuard guard;
    auto out = runner.run_streaming(cmd, log);
    if (unprivileged) (void)runner.run(chroot_cleanup_unprivileged_command(scratch.path()));
    if (InterruptGuard::interrupted()) {
        fs::remove(partial, ec);
        Error e = failure("interrupted: chroot unchanged");
        e.code = Exit(128 + InterruptGuard::signal_number());
        return e;
    }
    if (!out.ok()) {
        fs::remove(partial, ec);
        return out.error();
    }
    if (out->exit_code == 100) {
        fs::remove(partial, ec);
        return failure("cannot pack the chroot; " + tool_failure_evidence(out->output, 10), partial.string());
    }
    if (out->exit_code != 0) fs::remove(partial, ec);
    return out;
}

Status update_chroot(ProcessRunner& runner, const Os& os, const fs::path& cache, const std::string& name,
                     const ProcessRunner::OutputSink& log) {
    KF_TRY(auto info, find_chroot(cache, name));
    auto paths = chroot_paths(cache, name);
    KF_TRY(auto out, repack_chroot(runner, os, info.tarball, {},
                                   "apt-get -q update; apt-get -q -y dist-upgrade; apt-get clean", paths.partial, log));
    if (out.exit_code != 0)
        return failure("apt failed in the chroot (exit " + std::to_string(out.exit_code) + "); " +
                           tool_failure_evidence(out.output, 15),
                       info.tarball.string());
    return publish_tarball(paths);
}

}  // namespace kf::sys
