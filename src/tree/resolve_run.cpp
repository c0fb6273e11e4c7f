#include "tree/resolve_run.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "tree/kernel_version.hpp"

#include <algorithm>

#include <chrono>
#include <cstdio>

namespace kf::sys {
namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

std::string fmt_ms(double ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", ms);
    return buf;
}
// The hint for a dropped PREEMPT_RT: which kernels have it, and the patch
// an older one needs (rt.flavour's own words, docs/rt.md).
std::string realtime_hint(const std::filesystem::path& source) {
    std::string minor = "X.Y";
    if (auto makefile = read_source_file(source, "Makefile"); makefile) {
        auto fields = makefile_version_fields(*makefile);
        if (!fields["VERSION"].empty() && !fields["PATCHLEVEL"].empty())
            minor = fields["VERSION"] + "." + fields["PATCHLEVEL"];
    }
    return "PREEMPT_RT needs ARCH_SUPPORTS_RT, which mainline Linux selects from 6.12 on (x86_64, arm64, riscv64); "
           "this " + minor + " tree needs the RT patch of its version first: kflavour new NAME --def rt --rt-patch "
           "https://cdn.kernel.org/pub/linux/kernel/projects/rt/" + minor +
           "/ (or a downloaded patch, or a quilt series such as Debian's debian/patches-rt)";
}

bool realtime_dropped(const std::vector<DroppedSymbol>& dropped) {
    return std::any_of(dropped.begin(), dropped.end(),
                       [](const DroppedSymbol& d) { return d.name == "CONFIG_PREEMPT_RT" && d.requested == "y"; });
}

// Compare the request with Kconfig's result: unknown symbols warned about,
// dropped ones an error unless `allow_dropped`; fills dropped/unknown/changed.
Status check_resolved(const Reporter& report, const std::vector<ConfigSetting>& requested, const std::string& input,
                      const std::string& resolved_text, const std::filesystem::path& source,
                      const std::string& srcarch, const std::string& arch, const std::string& flavour,
                      bool allow_dropped, ResolveOutcome& outcome) {
    auto t2 = Clock::now();
    DotConfig resolved = parse_dot_config(resolved_text);
    const auto wanted = symbols_to_look_up(requested, resolved);
    if (!wanted.empty())
        outcome.index = scan_kconfig([&](const std::string& rel) { return read_source_file(source, rel); },
                                     srcarch, wanted);
    outcome.timings.lookup_ms = ms_since(t2);
    ResolveReport compared = compare_requested(requested, resolved, outcome.index);
    for (const auto& name : compared.unknown)
        report.warning(name + " (requested for " + arch + "-" + flavour + ") has no Kconfig entry in " +
                       source.string() +
                       ": not in this kernel (misspelt, or renamed/removed in this version); left out");
    if (!compared.dropped.empty()) {
        std::string text = describe_dropped(compared.dropped);
        if (!allow_dropped) {
            Error e = bad_input(std::to_string(compared.dropped.size()) +
                                " requested option(s) did not survive Kconfig for " + arch + "-" + flavour +
                                ":\n" + text);
            e.hint = realtime_dropped(compared.dropped)
                         ? realtime_hint(source)
                         : "enable what they depend on, or pass --allow-dropped to accept Kconfig's result";
            return e;
        }
        report.warning("requested option(s) did not survive Kconfig for " + arch + "-" + flavour +
                       " (--allow-dropped):\n" + text);
    }
    outcome.dropped = std::move(compared.dropped);
    outcome.unknown = std::move(compared.unknown);
    // What Kconfig changed beyond the request (for the report).
    DotConfig input_config = parse_dot_config(input);
    for (const auto& s : resolved.settings) {
        const std::string* before = input_config.find(s.name);
        if (!before ? s.value != "n" : *before != s.value) outcome.changed.push_back(s.name + "=" + s.value);
    }
    return ok_status();
}

}  // namespace

std::string describe_timings(const ResolveTimings& t) {
    return "timing: kflavour " + fmt_ms(t.own_ms()) + " (export+apply " + fmt_ms(t.export_ms) + ", Kconfig lookup " +
           fmt_ms(t.lookup_ms) + ", import+write " + fmt_ms(t.import_ms) + "), make " + fmt_ms(t.make_ms) +
           ", other tools " + fmt_ms(t.tool_ms);
}

Result<ResolveOutcome> resolve_flavour(ProcessRunner& runner, const Os& os, const Reporter& report,
                                       Annotations& annotations,
                                       const std::string& arch, const std::string& flavour,
                                       const std::vector<ConfigSetting>& requested,
                                       const std::filesystem::path& source, bool allow_dropped) {
    ResolveOutcome outcome;
    auto t0 = Clock::now();
    KF_TRY_STATUS(check_kernel_source(source));
    KF_TRY(KbuildTarget target, kbuild_target(runner, os, arch));
    outcome.timings.tool_ms = ms_since(t0);

    auto t1 = Clock::now();
    const std::string exported = annotations.export_config(arch, flavour);
    const std::string input = apply_requested(exported, requested);
    outcome.timings.export_ms = ms_since(t1);

    report.progress("resolving " + arch + "-" + flavour + " with the Kconfig of " + source.string() + " (ARCH=" +
             target.karch + (target.cross_compile.empty() ? "" : " CROSS_COMPILE=" + target.cross_compile) + ")");
    KF_TRY(KconfigRun run, run_kconfig(runner, source, target, input));
    outcome.timings.make_ms = run.make_ms;

    KF_TRY_STATUS(check_resolved(report, requested, input, run.config, source, target.karch, arch, flavour,
                                 allow_dropped, outcome));
    auto t3 = Clock::now();
    annotations.import_config(parse_dot_config(run.config), arch, flavour);
    outcome.timings.import_ms = ms_since(t3);
    outcome.resolved_config = std::move(run.config);
    return outcome;
}

Result<ResolveOutcome> resolve_upstream(ProcessRunner& runner, const Os& os, const Reporter& report,
                                        const std::filesystem::path& source, const std::string& arch,
                                        const std::string& flavour, const BaseConfig& base,
                                        const std::string& base_file_content,
                                        const std::vector<ConfigSetting>& requested, bool allow_dropped) {
    ResolveOutcome outcome;
    auto t0 = Clock::now();
    KF_TRY_STATUS(check_kernel_source(source));
    KF_TRY(KbuildTarget target, kbuild_target(runner, os, arch));
    const std::string srcarch = target.karch;
    target.karch = upstream_make_arch(arch).value_or(target.karch);
    outcome.timings.tool_ms = ms_since(t0);

    const bool from_target = base.kind == BaseConfig::Kind::target;
    report.progress("resolving " + arch + "-" + flavour + " from " + (from_target ? "make " : "") + base.value +
             " with the Kconfig of " + source.string() + " (ARCH=" + target.karch +
             (target.cross_compile.empty() ? "" : " CROSS_COMPILE=" + target.cross_compile) + ")");
    std::string input;
    double apply_ms = 0;
    auto apply = [&](const std::string& base_text) {
        auto t = Clock::now();
        input = apply_requested(base_text, requested);
        apply_ms += ms_since(t);
        return input;
    };
    Result<KconfigRun> run = from_target
        ? run_kconfig_from_target(runner, source, target, base.value, apply)
        : run_kconfig(runner, source, target, apply(base_file_content));
    if (!run.ok()) {
        Error e = std::move(run.error());
        if (from_target && starts_with(e.message, "Kconfig failed (make " + base.value + " ")) {
            e.code = Exit::bad_input;
            e.message = "--base-config " + base.value + ": " + e.message;
            e.hint = "is " + quote_input(base.value) + " a defconfig target of this kernel for ARCH=" + target.karch +
                     "? (make help lists them) " + e.hint;
        }
        return e;
    }
    outcome.timings.export_ms = apply_ms;
    outcome.timings.make_ms = run->make_ms;
    KF_TRY_STATUS(check_resolved(report, requested, input, run->config, source, srcarch, arch, flavour,
                                 allow_dropped, outcome));
    outcome.resolved_config = std::move(run->config);
    return outcome;
}

Result<AnnotationsResolveOutcome> resolve_annotations_file(ProcessRunner& runner, const Os& os, const Reporter& report,
                                                           Annotations& annotations, const std::filesystem::path& file,
                                                           const std::string& arch, const std::string& flavour,
                                                           const std::vector<ConfigSetting>& requested,
                                                           const std::filesystem::path& source, bool allow_dropped,
                                                           bool dry_run) {
    KF_TRY(std::string before, read_text_file(file));
    AnnotationsResolveOutcome done;
    KF_TRY(done.resolve,
           resolve_flavour(runner, os, report, annotations, arch, flavour, requested, source, allow_dropped));
    const auto t = std::chrono::steady_clock::now();
    done.edits.put(file, before, annotations.write());
    done.resolve.timings.import_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
    report.verbose(describe_timings(done.resolve.timings));
    if (!dry_run) KF_TRY_STATUS(done.edits.apply());
    return done;
}

}  // namespace kf::sys
