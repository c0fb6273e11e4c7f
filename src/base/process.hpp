// The only way kflavour starts programs. Commands build a Command (pure
// data: argv, env, cwd) and hand it to a ProcessRunner; tests substitute a
// RecordingRunner (tests/support/test_doubles.hpp) and assert the exact argv.
#pragma once

#include "base/error.hpp"
#include "base/text.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kf::sys {

struct Command {
    std::vector<std::string> argv;
    std::map<std::string, std::string> env;  // added to (or overriding) the inherited environment
    std::filesystem::path cwd;                // empty: inherit
    // Start the program in a process group of its own, so that an
    // InterruptGuard can stop it and everything it started (make -> cc ...).
    bool own_process_group = false;
    // With own_process_group: seconds after a forwarded SIGINT/SIGTERM until
    // the group gets SIGKILL; 0 never. For programs that may not stop on the
    // signal, such as PID 1 of `unshare --pid` (it ignores signals it has no
    // handler for), whose death takes the namespace's processes with it.
    int kill_after_interrupt = 0;

    // One shell-quoted line, for --dry-run, logs and reproduce.sh.
    std::string to_shell() const;
};

struct ProcessOutput {
    int exit_code = 0;
    std::string output;  // stdout and stderr, interleaved
};

class ProcessRunner {
public:
    virtual ~ProcessRunner() = default;
    // Runs to completion. A program that cannot be started is a failure;
    // a non-zero exit is reported in ProcessOutput, not as an error.
    virtual Result<ProcessOutput> run(const Command& cmd) = 0;

    // Receives output as it arrives, for progress meters; their lines end
    // in '\r', so a chunk is not a whole line.
    using OutputSink = std::function<void(std::string_view chunk)>;
    // Like run(), also handing output to `sink` as it arrives. The default
    // hands it over at the end, which is all a test double needs.
    virtual Result<ProcessOutput> run_streaming(const Command& cmd, const OutputSink& sink) {
        auto result = run(cmd);
        if (result.ok() && sink) sink(result->output);
        return result;
    }

    // Runs with kflavour's own terminal (stdin, stdout, stderr), for
    // interactive programs; returns the exit code. The default records
    // nothing and answers through run(), which is all a test double needs.
    virtual Result<int> run_interactive(const Command& cmd) {
        KF_TRY(ProcessOutput out, run(cmd));
        return out.exit_code;
    }
};

// Runs programs with Boost.Process.
class SystemRunner : public ProcessRunner {
public:
    Result<ProcessOutput> run(const Command& cmd) override;
    Result<ProcessOutput> run_streaming(const Command& cmd, const OutputSink& sink) override;
    Result<int> run_interactive(const Command& cmd) override;
};

// While one is alive, SIGINT and SIGTERM do not kill kflavour: they are
// forwarded to the process group of the running child started with
// own_process_group (which then exits; or gets SIGKILL after the command's
// kill_after_interrupt seconds), and interrupted() turns true, so the
// caller can clean up (scratch dirs) and return without writing.
class InterruptGuard {
public:
    // The error of work a signal stopped: exit 128+signal, message
    // "interrupted (signal N)" and ": detail" when given.
    static Error error(const std::string& detail = {});
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
    static bool interrupted();
    static int signal_number();  // the signal received, 0 if none
};

// Mark every file descriptor above stderr that this process inherited as
// close-on-exec, so the programs kflavour runs don't inherit them either.
// (Stray fds push a child's own pipes above 9, which breaks `cmd >&11` in
// dash — mmdebstrap's apt hooks fail that way under ctest.)
void close_inherited_fds_on_exec();

// Runs `cmd` to completion, for a step that must succeed. A Ctrl-C during
// it is InterruptGuard::error(); a non-zero exit is a failure that `why`
// words (by default: the program, its exit code, the command line and the
// last lines of its output).
using FailureText = std::function<std::string(const Command& cmd, const ProcessOutput& out)>;
Status run_checked(ProcessRunner& runner, const Command& cmd, const FailureText& why = {});

using kf::shell_quote;  // base/text.hpp

// The path of an external tool: $KFLAVOUR_<NAME> (NAME upper-cased, '-'
// as '_') when set, else the bare name looked up in PATH. This is how every
// external binary is configurable.
std::string tool_path(const std::string& name);

}  // namespace kf::sys
