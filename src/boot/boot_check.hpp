// `kflavour boot`, the judging half: --expect syntax, what the guest's /init
// printed on the console, and whether that is a pass. Pure.
#pragma once

#include "base/error.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// The prefix of every line the generated /init prints (boot_plan.hpp).
inline constexpr std::string_view kBootMarker = "kflavour-boot: ";

// --expect CONFIG_X=v. The value is compared as written in a .config;
// v = n also holds for "# CONFIG_X is not set" and for a missing symbol.
struct ConfigExpect {
    std::string symbol;  // CONFIG_X
    std::string value;   // y, m, n, 100, "string"
};
// Bad syntax is bad input (exit 2) naming the argument.
Result<ConfigExpect> parse_expect(std::string_view arg);

// What the guest reported, read from the console output.
struct BootReport {
    bool kernel_started = false;  // a "Linux version" banner was printed
    bool began = false;           // /init ran
    bool ended = false;           // /init got to the end
    std::string release;          // uname -r
    std::string cmdline;          // /proc/cmdline
    std::string config_source;    // /proc/config.gz or /boot/config-<release>
    std::map<std::string, std::string> config;  // CONFIG_X -> value ("n" when not set)
    std::string version;          // uname -v (a real-time kernel says PREEMPT_RT there)
    std::string realtime;         // /sys/kernel/realtime: "1", "0", "absent"; empty: not reported
};
BootReport parse_console(std::string_view console);

struct BootCheck {
    std::string installed_release;   // from the installed /boot/vmlinuz-<release>
    std::vector<ConfigExpect> expects;
    std::string cmdline;             // --cmdline: each word must be in /proc/cmdline
    bool timed_out = false;
    int timeout_seconds = 0;
    bool realtime = false;           // the kernel must prove it is real-time (three proofs)
};

// The symbol a real-time kernel has set to y.
inline constexpr std::string_view kRealtimeSymbol = "CONFIG_PREEMPT_RT";

// Whether the boot must prove a real-time kernel: --expect CONFIG_PREEMPT_RT=y
// was given, or the installed kernel's own config (/boot/config-<release>)
// has it set, so an rt flavour's boot is judged as one without being asked.
bool requests_realtime(const std::vector<ConfigExpect>& expects, std::string_view installed_config);

// `expects` with CONFIG_PREEMPT_RT=y added when it is not there yet.
std::vector<ConfigExpect> with_realtime_expect(std::vector<ConfigExpect> expects);

struct ExpectOutcome {
    ConfigExpect expect;
    std::string actual;  // empty when the guest did not report the symbol
    bool holds = false;
};

struct BootVerdict {
    bool passed = false;
    std::vector<std::string> failures;  // one sentence each, why the boot check failed
    std::vector<ExpectOutcome> expects;
    std::vector<std::string> realtime_proofs;  // each real-time proof that held, when check.realtime
};
BootVerdict judge_boot(const BootReport& report, const BootCheck& check);

}  // namespace kf
