#include "base/process.hpp"

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>

#include <sys/types.h>
#include <unistd.h>

namespace kf::sys {
namespace bp = boost::process;

std::string Command::to_shell() const {
    std::string out;
    if (!cwd.empty()) out += "cd " + shell_quote(cwd.string()) + " && ";
    for (const auto& [k, v] : env) out += k + "=" + shell_quote(v) + " ";
    for (size_t i = 0; i < argv.size(); ++i) {
        if (i) out += ' ';
        out += shell_quote(argv[i]);
    }
    return out;
}

namespace {
volatile std::sig_atomic_t g_signal = 0;
std::atomic<pid_t> g_child_group{0};
std::atomic<int> g_kill_after{0};
struct sigaction g_old_int, g_old_term, g_old_alarm;
int g_guards = 0;

void on_signal(int sig) {
    g_signal = sig;
    pid_t group = g_child_group.load();
    if (group <= 0) return;
    ::kill(-group, sig);
    if (int seconds = g_kill_after.load(); seconds > 0) ::alarm(unsigned(seconds));
}

// The child group did not stop on the forwarded signal in time.
void on_alarm(int) {
    pid_t group = g_child_group.load();
    if (group > 0 && g_signal) ::kill(-group, SIGKILL);
}

// Boost.Process initializer: the child leads a new process group.
struct NewProcessGroup : bp::extend::handler {
    bool enabled;
    explicit NewProcessGroup(bool e) : enabled(e) {}
    template <typename Executor>
    void on_exec_setup(Executor&) const {
        if (enabled) ::setpgid(0, 0);
    }
};

// Publishes the child's group for the signal handler while it runs.
struct ChildGroup {
    ChildGroup(const Command& cmd, pid_t pid) {
        if (!cmd.own_process_group) return;
        ::setpgid(pid, pid);  // also from the parent: no window before exec
        g_kill_after = cmd.kill_after_interrupt;
        g_child_group = pid;
        if (g_signal) on_signal(g_signal);  // interrupted while starting
        active = true;
    }
    ~ChildGroup() {
        if (!active) return;
        if (g_kill_after.load() > 0) ::alarm(0);
        g_child_group = 0;
        g_kill_after = 0;
    }
    bool active = false;
};
}  // namespace

InterruptGuard::InterruptGuard() {
    if (g_guards++) return;
    g_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, &g_old_int);
    ::sigaction(SIGTERM, &sa, &g_old_term);
    sa.sa_handler = on_alarm;
    ::sigaction(SIGALRM, &sa, &g_old_alarm);
}

InterruptGuard::~InterruptGuard() {
    if (--g_guards) return;
    ::sigaction(SIGINT, &g_old_int, nullptr);
    ::sigaction(SIGTERM, &g_old_term, nullptr);
    ::sigaction(SIGALRM, &g_old_alarm, nullptr);
}

bool InterruptGuard::interrupted() { return g_signal != 0; }

Error InterruptGuard::error(const std::string& detail) {
    Error e = failure("interrupted (signal " + std::to_string(signal_number()) + ")" +
                      (detail.empty() ? std::string() : ": " + detail));
    e.code = Exit(128 + signal_number());
    return e;
}
int InterruptGuard::signal_number() { return g_signal; }

Status run_checked(ProcessRunner& runner, const Command& cmd, const FailureText& why) {
    KF_TRY(ProcessOutput out, runner.run(cmd));
    if (InterruptGuard::interrupted()) return InterruptGuard::error();
    if (out.exit_code == 0) return ok_status();
    if (why) return failure(why(cmd, out));
    return failure(std::filesystem::path(cmd.argv.at(0)).filename().string() + " failed (exit " +
                   std::to_string(out.exit_code) + "): " + cmd.to_shell() + "\n" + tool_failure_evidence(out.output, 15));
}

void close_inherited_fds_on_exec() {
    std::vector<int> fds;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        int fd = std::atoi(entry.path().filename().c_str());
        if (fd > 2) fds.push_back(fd);
    }
    // The directory iterator's own fd is in the list too; it is closed by now.
    for (int fd : fds) {
        int flags = ::fcntl(fd, F_GETFD);
        if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

std::string tool_path(const std::string& name) {
    std::string var = "KFLAVOUR_";
    for (char c : name) var += c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
    if (const char* v = std::getenv(var.c_str()); v && *v) return v;
    return name;
}

namespace {

// argv[0] as given when it has a '/', else looked up in PATH.
Result<std::string> find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    auto found = bp::search_path(name);
    if (found.empty()) return failure("program not found: " + name);
    return found.string();
}

// The inherited environment with the command's additions.
bp::environment environment_for(const Command& cmd) {
    bp::environment env = boost::this_process::environment();
    // set(), not operator[]: Boost 1.74's find() reads past short entries (ASan).
    for (const auto& [k, v] : cmd.env) env.set(k, v);
    return env;
}

}  // namespace

Result<ProcessOutput> SystemRunner::run(const Command& cmd) { return run_streaming(cmd, nullptr); }

// Reads the pipe with plain read()s rather than by lines, so that progress
// meters ('\r'-terminated) reach the sink while they are being drawn.
Result<ProcessOutput> SystemRunner::run_streaming(const Command& cmd, const OutputSink& sink) {
    if (cmd.argv.empty()) return failure("empty command");
    KF_TRY(std::string exe, find_program(cmd.argv[0]));
    std::vector<std::string> args(cmd.argv.begin() + 1, cmd.argv.end());
    bp::environment env = environment_for(cmd);
    bp::pipe out;
    ProcessOutput result;
    try {
        std::string dir = cmd.cwd.empty() ? std::filesystem::current_path().string() : cmd.cwd.string();
        NewProcessGroup group(cmd.own_process_group);
        bp::child child(exe, bp::args(args), env, (bp::std_out & bp::std_err) > out, bp::std_in < bp::null,
                        bp::start_dir(dir), group);
        ChildGroup published(cmd, child.id());
        char buf[4096];
        for (int n; (n = out.read(buf, sizeof buf)) > 0;) {
            result.output.append(buf, size_t(n));
            if (sink) sink(std::string_view(buf, size_t(n)));
        }
        child.wait();
        result.exit_code = child.exit_code();
    } catch (const bp::process_error& e) {
        return failure("cannot run " + cmd.argv[0] + ": " + e.what());
    }
    return result;
}

Result<int> SystemRunner::run_interactive(const Command& cmd) {
    if (cmd.argv.empty()) return failure("empty command");
    KF_TRY(std::string exe, find_program(cmd.argv[0]));
    std::vector<std::string> args(cmd.argv.begin() + 1, cmd.argv.end());
    std::string dir = cmd.cwd.empty() ? std::filesystem::current_path().string() : cmd.cwd.string();
    try {
        return bp::system(exe, bp::args(args), environment_for(cmd), bp::start_dir(dir));
    } catch (const bp::process_error& e) {
        return failure("cannot run " + cmd.argv[0] + ": " + e.what());
    }
}

}  // namespace kf::sys
