// The compile front ends of a build, the pure part: ccache (shared across
// checkouts with base_dir, compiler checked by content, hit rate from a
// per-build stats log) and distcc (the farm's hosts as distcc itself reads
// them, the job count, a check of every host before the build, and the
// local fallbacks read back from distcc's log).
#pragma once

#include "base/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

struct BuildPlan;
struct BuildRequest;

// One entry of a distcc host list, as `distcc --show-hosts` prints it.
struct DistccHost {
    std::string spec;  // node1:3633/8,lzo
    std::string name;  // node1:3633 (what distcc's messages name)
    int limit = 0;     // jobs it takes (distcc's default: 4, localhost 2)
    bool local = false;
};

// What `distcc --show-hosts` prints for a HOSTS string (one host a line;
// its own messages start with "distcc["): the hosts, or bad input quoting
// distcc's own complaint.
Result<std::vector<DistccHost>> parse_distcc_hosts(std::string_view output);

// The jobs a build runs: every remote slot plus the local CPUs (localhost
// entries are those CPUs already).
int distcc_jobs(const std::vector<DistccHost>& hosts, int local_cpus);
// "6 (distcc: 4 remote slots + 2 local CPUs)", for the log.
std::string distcc_jobs_text(const std::vector<DistccHost>& hosts, int local_cpus);

// The host check, a shell script: for each host a test compile through that
// host alone (no local fallback), its compiler's identification (the
// object's .comment, which the compiler proper writes) against the local
// compiler's. One line per host: "distcc: HOST: ok|error: …|warning: …".
// Arguments: COMPILER ANY HOST...; exits 1 when a host failed and ANY is 0.
std::string distcc_check_script();
std::vector<std::string> distcc_check_argv(const std::filesystem::path& script, const std::string& compiler, bool any,
                                           const std::vector<DistccHost>& hosts);

// What distcc's log (DISTCC_LOG) says about compiles that did not run where
// they were sent: how many fell back to the local machine, and the hosts'
// errors that made them ("127.0.0.1:3633: Connection refused"), each once.
struct DistccFallbacks {
    int local_compiles = 0;
    std::vector<std::string> host_errors;
};
DistccFallbacks distcc_fallbacks(std::string_view distcc_log);

// Counts from ccache's stats log (CCACHE_STATSLOG): one counter name per
// line, "# file" lines between compiles.
struct CcacheCounts {
    long hits = 0;    // direct + preprocessed
    long misses = 0;  // compiled (and stored)
    double hit_rate() const { return hits + misses ? double(hits) / double(hits + misses) : 0.0; }
};
CcacheCounts ccache_counts(std::string_view stats_log);

// ccache's base_dir for a build: the deepest directory holding both the
// compiled tree and the object dir, so a checkout at another path with the
// same layout hashes the same relative paths. None when that is "/".
std::optional<std::filesystem::path> ccache_base_dir(const std::filesystem::path& tree, const std::filesystem::path& objdir);

// Puts the ccache and distcc settings of `req` into `plan`: the environment,
// the compiler front ends and, with distcc, the host check before the first
// step that compiles.
void add_compile_tools(BuildPlan& plan, const BuildRequest& req, const std::filesystem::path& compiled_tree);

}  // namespace kf
