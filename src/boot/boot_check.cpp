#include "boot/boot_check.hpp"

#include "base/text.hpp"
#include "config/kconfig.hpp"

#include <algorithm>
#include <cctype>

namespace kf {

namespace {

bool symbol_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A .config string value is compared without its quotes.
std::string_view unquoted(std::string_view v) {
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
    return v;
}

bool value_holds(const std::string& want, const std::string& actual) {
    if (want == "n") return actual.empty() || actual == "n";
    return !actual.empty() && unquoted(want) == unquoted(actual);
}

// "CONFIG_X=v" or "CONFIG_X is not set" (what /init prints after "config ").
void parse_config_report(std::string_view text, std::map<std::string, std::string>& config) {
    constexpr std::string_view not_set = " is not set";
    if (auto eq = text.find('='); eq != std::string_view::npos) {
        config[std::string(text.substr(0, eq))] = std::string(text.substr(eq + 1));
    } else if (text.ends_with(not_set)) {
        config[std::string(text.substr(0, text.size() - not_set.size()))] = "n";
    }
}

}  // namespace

Result<ConfigExpect> parse_expect(std::string_view arg) {
    auto eq = arg.find('=');
    std::string_view symbol = arg.substr(0, eq);
    bool ok = eq != std::string_view::npos && eq + 1 < arg.size() && symbol.starts_with("CONFIG_") &&
              symbol.size() > 7 && std::all_of(symbol.begin(), symbol.end(), symbol_char);
    if (!ok) {
        Error e = bad_input("bad --expect '" + std::string(arg) + "': want CONFIG_SYMBOL=VALUE");
        e.hint = "for example --expect CONFIG_NO_HZ_FULL=y (n also matches a symbol that is not set)";
        return e;
    }
    return ConfigExpect{std::string(symbol), std::string(arg.substr(eq + 1))};
}

BootReport parse_console(std::string_view console) {
    BootReport r;
    for (std::string_view line : split_lines(console)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
        if (line.find("Linux version ") != std::string_view::npos) r.kernel_started = true;
        auto at = line.find(kBootMarker);
        if (at == std::string_view::npos) continue;
        std::string_view rest = line.substr(at + kBootMarker.size());
        auto field = [&](std::string_view key, std::string& into) {
            if (!rest.starts_with(key)) return false;
            into = std::string(trim(rest.substr(key.size())));
            return true;
        };
        std::string config_line;
        if (rest == "begin") r.began = true;
        else if (rest == "end") r.ended = true;
        else if (field("release ", r.release) || field("cmdline ", r.cmdline) ||
                 field("config-source ", r.config_source) || field("version ", r.version) ||
                 field("realtime ", r.realtime)) {
        } else if (field("config ", config_line)) {
            parse_config_report(config_line, r.config);
        }
    }
    return r;
}

bool requests_realtime(const std::vector<ConfigExpect>& expects, std::string_view installed_config) {
    for (const auto& e : expects)
        if (e.symbol == kRealtimeSymbol && e.value == "y") return true;
    // Keep the parsed config alive: find() points into it.
    const auto config = parse_dot_config(installed_config);
    const std::string* value = config.find(kRealtimeSymbol);
    return value && *value == "y";
}

std::vector<ConfigExpect> with_realtime_expect(std::vector<ConfigExpect> expects) {
    for (const auto& e : expects)
        if (e.symbol == kRealtimeSymbol) return expects;
    expects.push_back({std::string(kRealtimeSymbol), "y"});
    return expects;
}

namespace {

// The three proofs of a real-time kernel (uname -v, /sys/kernel/realtime,
// its config): each that holds goes into `proofs`, each that fails into
// `fail`. Only judged once /init ran: an earlier failure is already named.
template <class Fail>
void judge_realtime(const BootReport& report, std::vector<std::string>& proofs, Fail fail) {
    if (!report.began) return;
    if (report.version.find("PREEMPT_RT") != std::string::npos)
        proofs.push_back("uname -v says PREEMPT_RT: " + report.version);
    else
        fail("not a real-time kernel: uname -v does not say PREEMPT_RT (" +
             (report.version.empty() ? std::string("not reported") : "'" + report.version + "'") + ")");
    if (report.realtime == "1")
        proofs.push_back("/sys/kernel/realtime reads 1");
    else if (report.realtime == "absent")
        proofs.push_back("/sys/kernel/realtime: this kernel has none (it is optional)");
    else
        fail("not a real-time kernel: /sys/kernel/realtime reads " +
             (report.realtime.empty() ? std::string("nothing (not reported)") : "'" + report.realtime + "'"));
    auto it = report.config.find(std::string(kRealtimeSymbol));
    if (it != report.config.end() && it->second == "y")
        proofs.push_back(std::string(kRealtimeSymbol) + "=y in " + report.config_source);
    // A missing or different value is named by the CONFIG_PREEMPT_RT=y expect.
}

}  // namespace

BootVerdict judge_boot(const BootReport& report, const BootCheck& check) {
    BootVerdict v;
    auto fail = [&](std::string why) { v.failures.push_back(std::move(why)); };
    if (check.timed_out)
        fail("the boot did not finish within " + std::to_string(check.timeout_seconds) + " s (--timeout)");
    if (!report.kernel_started) fail("the kernel printed nothing on the console (no 'Linux version' banner)");
    else if (!report.began) fail("the kernel did not run the initramfs /init");
    else if (!report.ended) fail("/init did not get to the end of its checks");
    if (report.began && report.release != check.installed_release)
        fail("the running kernel is '" + report.release + "', the installed one is '" + check.installed_release + "'");
    const auto words = split_words(report.cmdline);
    for (const auto& want : split_words(check.cmdline))
        if (report.began && std::find(words.begin(), words.end(), want) == words.end())
            fail("'" + want + "' (--cmdline) is not in the guest's /proc/cmdline: " + report.cmdline);
    for (const auto& e : check.expects) {
        ExpectOutcome o{e, {}, false};
        auto it = report.config.find(e.symbol);
        if (it != report.config.end()) {
            o.actual = it->second;
            o.holds = value_holds(e.value, o.actual);
            if (!o.holds)
                fail(e.symbol + ": expected " + e.value + ", the running kernel has " +
                     (o.actual == "n" ? std::string("it not set") : o.actual) + " (" + report.config_source + ")");
        } else if (report.ended) {
            fail(e.symbol + " was not reported by the guest");
        }
        v.expects.push_back(std::move(o));
    }
    if (check.realtime) judge_realtime(report, v.realtime_proofs, fail);
    v.passed = v.failures.empty();
    return v;
}

}  // namespace kf
