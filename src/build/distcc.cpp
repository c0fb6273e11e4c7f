#include "build/distcc.hpp"

#include "base/fs.hpp"
#include "chroot/chroot.hpp"

#include <cstdlib>

namespace kf::sys {
namespace fs = std::filesystem;

std::string distcc_hosts_from_env(const Os& os) { return os.env("DISTCC_HOSTS").value_or(""); }

Result<std::vector<DistccHost>> distcc_hosts(ProcessRunner& runner, const std::string& hosts) {
    Command c;
    c.argv = {tool_path("distcc"), "--show-hosts"};
    c.env["DISTCC_HOSTS"] = hosts;
    auto shown = runner.run(c);
    if (!shown.ok())
        return with_hint(bad_input("--distcc needs distcc, which is not installed here"),
                         "apt-get install distcc (a build in a chroot gets it there too)");
    return parse_distcc_hosts(shown.value().output);
}

Result<DistccCheck> check_distcc_hosts(ProcessRunner& runner, const std::vector<DistccHost>& hosts,
                                       const std::string& compiler) {
    KF_TRY(auto dir, ScratchDir::make("kflavour-distcc"));
    const fs::path script = dir.path() / "distcc-check.sh";
    KF_TRY_STATUS(write_file_atomically(script, distcc_check_script(), 0755));
    Command c;
    c.argv = distcc_check_argv(script, compiler, false, hosts);
    c.argv[0] = tool_path("bash");
    // A host that accepts and never answers holds the check for distcc's IO
    // timeout: Ctrl-C stops the script's group and still removes the scratch dir.
    c.own_process_group = true;
    InterruptGuard guard;
    KF_TRY(auto ran, runner.run(c));
    if (InterruptGuard::interrupted()) return InterruptGuard::error("distcc check stopped");
    return DistccCheck{ran.exit_code == 0, ran.output};
}

}  // namespace kf::sys
