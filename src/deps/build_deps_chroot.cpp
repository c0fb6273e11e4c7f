#include "deps/build_deps_chroot.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "chroot/chroot_repack.hpp"

#include <nlohmann/json.hpp>

#include <chrono>

namespace kf::sys {
namespace fs = std::filesystem;

namespace {

const char* const kDepsDir = "/tmp/kflavour-build-deps";

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

Result<PreparedChroot> prepare_build_deps_chroot(ProcessRunner& runner, const Os& os, const fs::path& cache,
                                                 const ChrootInfo& base, const BuildDepsSpec& spec,
                                                 const ProcessRunner::OutputSink& log) {
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
    KF_TRY_STATUS(write_file_atomically(control, build_deps_control(spec)));
    const std::string in_chroot = std::string(kDepsDir) + "/debian/control";
    const auto start = std::chrono::steady_clock::now();
    KF_TRY(auto out, repack_chroot(runner, os, base.tarball, {{control, in_chroot}}, build_deps_script(spec, kDepsDir),
                                   paths.partial, log));
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (out.exit_code != 0) return unmet_error(out, spec);
    KF_TRY_STATUS(write_file_atomically(paths.metadata, metadata(base, spec, res.name)));
    KF_TRY_STATUS(publish_tarball(paths));
    return res;
}

}  // namespace kf::sys
