// distcc on this machine: the host list as distcc itself reads it, and the
// host check (build/compile_tools' script) run here.
#pragma once

#include "base/error.hpp"
#include "base/os.hpp"
#include "build/compile_tools.hpp"
#include "base/process.hpp"

#include <string>
#include <vector>

namespace kf::sys {

// $DISTCC_HOSTS (distcc's own variable), the host list when none is given; empty when unset.
std::string distcc_hosts_from_env(const Os& os);

// `distcc --show-hosts` for HOSTS: distcc's own parse of it. distcc missing
// is bad input naming the package.
Result<std::vector<DistccHost>> distcc_hosts(ProcessRunner& runner, const std::string& hosts);

struct DistccCheck {
    bool passed = false;
    std::string report;  // the script's lines, one per host
};
// Runs the check script here with `compiler` (aarch64-linux-gnu-gcc).
Result<DistccCheck> check_distcc_hosts(ProcessRunner& runner, const std::vector<DistccHost>& hosts,
                                       const std::string& compiler);

}  // namespace kf::sys
