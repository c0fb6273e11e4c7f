#include "config/kbuild.hpp"

#include "base/edit_set.hpp"
#include "base/fs.hpp"
#include "base/os.hpp"
#include "config/resolve_plan.hpp"
#include "base/text.hpp"

#include <boost/process/search_path.hpp>


#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

namespace kf::sys {
namespace fs = std::filesystem;


namespace {
bool in_path(const std::string& program) {
    if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
    return !boost::process::search_path(program).empty();
}
}  // namespace

Result<KbuildTarget> kbuild_target(ProcessRunner& runner, const Os& os, const std::string& debian_arch) {
    auto karch = kernel_arch(debian_arch);
    if (!karch) return bad_input("no kernel ARCH known for Debian arch " + quote_input(debian_arch));
    KbuildTarget t{debian_arch, *karch, ""};
    if (auto v = os.env("KFLAVOUR_CROSS_COMPILE")) {
        t.cross_compile = *v;
    } else if (debian_arch != os.native_arch()) {
        Command q{{tool_path("dpkg-architecture"), "-a" + debian_arch, "-qDEB_HOST_GNU_TYPE"}, {}, {}};
        q.env["DEB_HOST_ARCH"] = debian_arch;
        KF_TRY(ProcessOutput out, runner.run(q));
        // The answer is the last line (stderr, merged, may carry a CC warning).
        std::string triplet;
        for (auto line : split_lines(out.output))
            if (!trim(line).empty()) triplet = std::string(trim(line));
        if (out.exit_code != 0 || triplet.empty() || triplet.find(' ') != std::string::npos)
            return failure("dpkg-architecture could not name the GNU triplet of " + debian_arch + ": " +
                           std::string(trim(out.output)));
        t.cross_compile = triplet + "-";
    }
    if (!t.cross_compile.empty() && !in_path(t.cross_compile + "gcc")) {
        std::string triplet = t.cross_compile.substr(0, t.cross_compile.size() - 1);
        if (auto slash = triplet.rfind('/'); slash != std::string::npos) triplet = triplet.substr(slash + 1);
        Error e = failure("no cross compiler for " + debian_arch + ": " + t.cross_compile + "gcc is not in PATH");
        e.hint = "install it: apt-get install " + cross_gcc_package(triplet);
        return e;
    }
    return t;
}

Command kconfig_command(const fs::path& source, const fs::path& scratch, const KbuildTarget& target,
                        const std::string& make_target) {
    Command c;
    c.argv = {tool_path("make"), "-s", "-C", source.string(), "O=" + scratch.string(), "ARCH=" + target.karch};
    if (!target.cross_compile.empty()) c.argv.push_back("CROSS_COMPILE=" + target.cross_compile);
    c.argv.push_back(make_target);
    c.own_process_group = true;
    return c;
}

Status check_kernel_source(const fs::path& source) {
    std::error_code ec;
    if (!fs::is_directory(source, ec)) return bad_input("kernel source not found: no such directory", source.string());
    std::ifstream in(source / "Makefile");
    bool version = false, patchlevel = false;
    for (std::string line; in && std::getline(in, line);) {
        version = version || starts_with(line, "VERSION =");
        patchlevel = patchlevel || starts_with(line, "PATCHLEVEL =");
        if (version && patchlevel) break;
    }
    if (!version || !patchlevel || !fs::is_regular_file(source / "Kconfig", ec)) {
        Error e = bad_input("not a kernel source tree (no top Makefile with VERSION and PATCHLEVEL, or no Kconfig)",
                            source.string());
        e.hint = "point --source at an unpacked kernel tree (e.g. /usr/src/linux-source-6.1)";
        return e;
    }
    return ok_status();
}

std::optional<std::string> read_source_file(const fs::path& source, const std::string& relative) {
    std::ifstream in(source / relative, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

namespace {
Status write_config(const fs::path& scratch, const std::string& input) {
    std::ofstream out(scratch / ".config", std::ios::binary | std::ios::trunc);
    out << input;
    if (!out.flush()) return failure("cannot write " + (scratch / ".config").string());
    return ok_status();
}

// One make call in `scratch`; the .config it wrote goes to run.config.
Status kconfig_step(ProcessRunner& runner, const fs::path& source, const fs::path& scratch, const KbuildTarget& target,
                    const std::string& make_target, KconfigRun& run) {
    Command cmd = kconfig_command(source, scratch, target, make_target);
    auto start = std::chrono::steady_clock::now();
    KF_TRY(ProcessOutput out, runner.run(cmd));
    run.make_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    run.log += out.output;
    if (InterruptGuard::interrupted()) {
        return InterruptGuard::error("Kconfig stopped, nothing written, scratch dir removed");
    }
    if (out.exit_code != 0) {
        Error e = failure("Kconfig failed (make " + make_target + " exited " + std::to_string(out.exit_code) +
                          "); " + tool_failure_evidence(out.output, 15));
        e.hint = "command: " + cmd.to_shell();
        return e;
    }
    auto config = read_source_file(scratch, ".config");
    if (!config) return failure("Kconfig wrote no .config (" + cmd.to_shell() + ")");
    run.config = std::move(*config);
    return ok_status();
}
}  // namespace

Result<KconfigRun> run_kconfig(ProcessRunner& runner, const fs::path& source, const KbuildTarget& target,
                               const std::string& input, const std::string& make_target) {
    InterruptGuard guard;
    KF_TRY(ScratchDir scratch, ScratchDir::make("kflavour-kconfig"));
    if (!input.empty()) KF_TRY_STATUS(write_config(scratch.path(), input));
    KconfigRun run;
    KF_TRY_STATUS(kconfig_step(runner, source, scratch.path(), target, make_target, run));
    return run;
}

Result<KconfigRun> run_kconfig_from_target(ProcessRunner& runner, const fs::path& source, const KbuildTarget& target,
                                           const std::string& base_target,
                                           const std::function<std::string(const std::string&)>& edit,
                                           std::string* base_config) {
    InterruptGuard guard;
    KF_TRY(ScratchDir scratch, ScratchDir::make("kflavour-kconfig"));
    KconfigRun run;
    KF_TRY_STATUS(kconfig_step(runner, source, scratch.path(), target, base_target, run));
    if (base_config) *base_config = run.config;
    KF_TRY_STATUS(write_config(scratch.path(), edit(run.config)));
    KF_TRY_STATUS(kconfig_step(runner, source, scratch.path(), target, "olddefconfig", run));
    return run;
}


}  // namespace kf::sys
