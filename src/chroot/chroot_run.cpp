// Running in a chroot: unpacking its tarball, the namespaces (root, or an
// unprivileged user with subuids), binds and the clean environment, and the
// interactive shell. chroot.cpp makes, lists and removes the chroots.
#include "chroot/chroot.hpp"

#include "base/text.hpp"
#include "config/kbuild.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace fs = std::filesystem;

namespace kf::sys {

Command extract_command(const fs::path& tarball, const fs::path& dir, const std::vector<std::string>& members) {
    Command c{{tool_path("tar"), "-x", "-f", tarball.string(), "-C", dir.string()}, {}, {}};
    if (!members.empty()) c.argv.push_back("--wildcards");
    for (const auto& m : members) c.argv.push_back(m);
    return c;
}

Command extract_apt_lists_command(const fs::path& tarball, const fs::path& dir) {
    return extract_command(tarball, dir, {"./var/lib/apt/lists/*_Packages*"});
}

fs::path chroot_apt_lists(const fs::path& dir) { return dir / "var/lib/apt/lists"; }

Result<ScratchDir> extract_apt_lists(ProcessRunner& runner, const ChrootInfo& chroot) {
    KF_TRY(auto scratch, ScratchDir::make("kflavour-lists"));
    KF_TRY(auto x, runner.run(extract_apt_lists_command(chroot.tarball, scratch.path())));
    if (x.exit_code != 0) {
        Error e = failure("the chroot has no apt lists: " + x.output, chroot.tarball.string());
        e.hint = "re-create it with kflavour chroot create --refresh (kflavour keeps the lists)";
        return e;
    }
    return scratch;
}

std::vector<std::string> namespace_argv(bool unprivileged) {
    std::vector<std::string> argv = {tool_path("unshare")};
    if (unprivileged) argv.insert(argv.end(), {"--map-auto", "--map-root-user"});
    argv.insert(argv.end(), {"--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--"});
    return argv;
}

const std::vector<std::string>& chroot_env_argv() {
    static const std::vector<std::string> env = {"env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
                                                 "LC_ALL=C.UTF-8", "DEBIAN_FRONTEND=noninteractive"};
    return env;
}

std::string unpack_and_mount_script(const fs::path& tarball, const fs::path& root, bool without_dev) {
    return "set -e; r=" + shell_quote(root.string()) + "; mkdir \"$r\"; " + shell_quote(tool_path("tar")) + " -x -f " +
           shell_quote(tarball.string()) + " -C \"$r\"" + (without_dev ? " --exclude='./dev/*'" : "") +
           "; mount -t proc proc \"$r/proc\"; mount --rbind /dev \"$r/dev\"; ";
}

namespace {

// `chroot ROOT` + the clean environment + run.env + run.argv, after `script`
// (which mounts and binds), through `sh -c` in the namespaces.
Command exec_in_namespace(const ChrootRun& run, std::string script, const std::string& root_word, bool unprivileged) {
    for (const auto& b : run.binds) {
        const std::string in = root_word + shell_quote(b.string());
        script += "mkdir -p " + in + "; mount --bind " + shell_quote(b.string()) + " " + in + "; ";
    }
    script += "exec chroot " + root_word + " \"$@\"";
    Command c;
    c.argv = namespace_argv(unprivileged);
    c.argv.insert(c.argv.end(), {"sh", "-c", script, "sh"});
    c.argv.insert(c.argv.end(), chroot_env_argv().begin(), chroot_env_argv().end());
    for (const auto& [k, v] : run.env) c.argv.push_back(k + "=" + v);
    c.argv.insert(c.argv.end(), run.argv.begin(), run.argv.end());
    c.own_process_group = true;
    // unshare --fork blocks SIGINT and the chroot's PID 1 ignores it: after a
    // grace period the group gets SIGKILL, and the namespace goes with it.
    c.kill_after_interrupt = 5;
    return c;
}

}  // namespace

Command chroot_exec_command(const ChrootRun& run, const fs::path& root) {
    const std::string r = shell_quote(root.string());
    return exec_in_namespace(run,
                             "set -e; mount -t proc proc " + r + "/proc; mount --rbind /dev " + r +
                                 "/dev; mount --rbind /sys " + r + "/sys; cp /etc/resolv.conf " + r +
                                 "/etc/resolv.conf 2>/dev/null || true; ",
                             r, false);
}

Command chroot_exec_unprivileged_command(const ChrootRun& run, const fs::path& scratch) {
    // Extracted inside the user namespace, so the files are owned by the
    // mapped ids (removed by chroot_cleanup_unprivileged_command, in a fresh
    // namespace without these mounts). Device nodes can't be made in a user
    // namespace: /dev is bound instead.
    return exec_in_namespace(run,
                             unpack_and_mount_script(run.tarball, scratch / "root", true) +
                                 "mount --rbind /sys \"$r/sys\"; cp /etc/resolv.conf \"$r/etc/resolv.conf\" 2>/dev/null || true; ",
                             "\"$r\"", true);
}

Command chroot_cleanup_unprivileged_command(const fs::path& scratch) {
    return Command{{tool_path("unshare"), "--map-auto", "--map-root-user", "--", tool_path("rm"), "-rf",
                    "--one-file-system", (scratch / "root").string()},
                   {},
                   {}};
}

Result<ProcessOutput> run_in_chroot(ProcessRunner& runner, const Os& os, const ChrootRun& run,
                                    const ProcessRunner::OutputSink& sink) {
    KF_TRY(ScratchDir scratch, ScratchDir::make("kflavour-chroot"));
    Command cmd;
    if (os.is_root()) {
        KF_TRY(auto x, runner.run(extract_command(run.tarball, scratch.path(), {})));
        if (x.exit_code != 0) return failure("cannot extract the chroot:\n" + tail_lines(x.output, 10), run.tarball.string());
        cmd = chroot_exec_command(run, scratch.path());
    } else {
        // An unprivileged user: a user namespace with the subuid/subgid ranges (unshare --map-auto).
        cmd = chroot_exec_unprivileged_command(run, scratch.path());
    }
    InterruptGuard guard;
    auto r = runner.run_streaming(cmd, sink);
    if (!os.is_root()) (void)runner.run(chroot_cleanup_unprivileged_command(scratch.path()));
    if (r.ok() && InterruptGuard::interrupted()) return InterruptGuard::error();
    return r;
}

}  // namespace kf::sys

#include <boost/process.hpp>

namespace kf::sys {

Command shell_command(const fs::path& root, const std::string& term) {
    ChrootRun run{{}, {}, {"/bin/bash", "-i"}, {{"TERM", term}, {"PS1", "(kflavour chroot) \\w# "}}};
    Command c = chroot_exec_command(run, root);
    c.own_process_group = false;  // keep the terminal's job control
    return c;
}

Result<int> chroot_shell(ProcessRunner& runner, const Os& os, const fs::path& tarball) {
    KF_TRY(ScratchDir scratch, ScratchDir::make("kflavour-shell"));
    const std::string term = os.env_nonempty("TERM").value_or("xterm");
    if (!os.is_root()) {
        // In a user namespace with the subuid/subgid ranges, as builds do.
        ChrootRun run{tarball, {}, {"/bin/bash", "-i"}, {{"TERM", term}, {"PS1", "(kflavour chroot) \\w# "}}};
        Command c = chroot_exec_unprivileged_command(run, scratch.path());
        c.own_process_group = false;  // keep the terminal's job control
        auto rc = runner.run_interactive(c);
        (void)runner.run(chroot_cleanup_unprivileged_command(scratch.path()));
        return rc;
    }
    KF_TRY(auto x, runner.run(extract_command(tarball, scratch.path(), {})));
    if (x.exit_code != 0) return failure("cannot extract the chroot:\n" + tail_lines(x.output, 10), tarball.string());
    return runner.run_interactive(shell_command(scratch.path(), term));
}

}  // namespace kf::sys
