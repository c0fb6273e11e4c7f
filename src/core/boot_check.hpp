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
};
BootReport parse_console(std::string_view console);

struct BootCheck {
    std::string installed_release;   // from the installed /boot/vmlinuz-<release>
    std::vector<ConfigExpect> expects;
    std::string cmdline;             // --cmdline: each word must be in /proc/cmdline
    bool timed_out = false;
    int timeout_seconds = 0;
};

struct ExpectOutcome {
    ConfigExpect expect;
    std::string actual;  // empty when the guest did not report the symbol
    bool holds = false;
};

struct BootVerdict {
    bool passed = false;
    std::vector<std::string> failures;  // one sentence each, why the boot check failed
    std::vector<ExpectOutcome> expects;
};
BootVerdict judge_boot(const BootReport& report, const BootCheck& check);

}  // namespace kf
