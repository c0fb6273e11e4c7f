#include "build/compile_tools.hpp"

#include "base/text.hpp"
#include "build/build_plan.hpp"

#include <algorithm>
#include <cstdlib>

namespace kf {
namespace fs = std::filesystem;

namespace {

// distcc's own default when a host names no limit (man distcc, HOST SPECIFICATIONS).
constexpr int default_remote_limit = 4;
constexpr int default_local_limit = 2;

DistccHost host_of(std::string_view spec) {
    DistccHost h;
    h.spec = std::string(spec);
    std::string_view rest = spec;
    if (auto comma = rest.find(','); comma != std::string_view::npos) rest = rest.substr(0, comma);
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
        h.limit = std::atoi(std::string(rest.substr(slash + 1)).c_str());
        rest = rest.substr(0, slash);
    }
    h.name = std::string(rest);
    h.local = h.name == "localhost";
    if (h.limit <= 0) h.limit = h.local ? default_local_limit : default_remote_limit;
    return h;
}

// The kernel's source dir as its compiles see it from the objtree (kbuild
// runs every compile there): upstream builds use OUT/.work/obj-F, Ubuntu's
// rules debian/build/build-F in the build copy.
std::string srctree_from_objtree(const BuildRequest& req, const fs::path& tree, const fs::path& work) {
    const std::string flavour = req.flavours.empty() ? "x" : req.flavours.front();
    const fs::path objtree = req.kind == TreeKind::upstream ? work / ("obj-" + flavour)
                                                            : tree / "debian" / "build" / ("build-" + flavour);
    return tree.lexically_relative(objtree).string();
}

}  // namespace

Result<std::vector<DistccHost>> parse_distcc_hosts(std::string_view output) {
    std::vector<DistccHost> hosts;
    std::string complaint;
    // distcc --show-hosts exits 0 either way; a host list it can't use shows
    // as an ERROR (or "no hosts" Warning) message and no hosts.
    for (auto line : split_lines(output)) {
        line = trim(line);
        if (line.empty()) continue;
        if (!starts_with(line, "distcc[")) {
            hosts.push_back(host_of(line));
            continue;
        }
        const bool bad = line.find("ERROR:") != std::string_view::npos || line.find("Warning:") != std::string_view::npos;
        if (bad && complaint.empty()) {
            auto at = line.find(") ");
            complaint = std::string(trim(at == std::string_view::npos ? line : line.substr(at + 2)));
        }
    }
    if (hosts.empty() || !complaint.empty())
        return with_hint(bad_input("distcc does not accept the host list" +
                                   (complaint.empty() ? std::string(": it names no host") : ": " + quote_input(complaint, 200))),
                         "hosts are separated by blanks, in distcc's syntax: \"node1/8 node2:3633/8,lzo\" (man distcc)");
    return hosts;
}

int distcc_jobs(const std::vector<DistccHost>& hosts, int local_cpus) {
    int jobs = std::max(1, local_cpus);
    for (const auto& h : hosts)
        if (!h.local) jobs += h.limit;
    return jobs;
}

std::string distcc_jobs_text(const std::vector<DistccHost>& hosts, int local_cpus) {
    int remote = distcc_jobs(hosts, local_cpus) - std::max(1, local_cpus);
    return std::to_string(distcc_jobs(hosts, local_cpus)) + " (distcc: " + std::to_string(remote) + " remote slots + " +
           std::to_string(std::max(1, local_cpus)) + " local CPUs)";
}

std::string distcc_check_script() {
    return R"SH(#!/bin/bash
# kflavour's distcc host check: COMPILER ANY HOST...
# For each host, one test compile sent to that host alone (no local fallback,
# no local retry); the compiler proper writes its identification into the
# object's .comment, which must match the local compiler's.
set -u
cc=$1 any=$2
shift 2
# The compilers themselves: not ccache's or distcc's masquerade links, which
# a Debian or Ubuntu build puts first in PATH (ccache would hand the local
# compile to the farm, and distcc would find itself behind ccache).
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxE '/usr/lib/(ccache|distcc)/?' | paste -sd:)
unset CCACHE_PREFIX
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kflavour-distcc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/state"
printf 'int kflavour_distcc_check(int x) { return x * 3; }\n' >"$tmp/t.c"
ident() { LC_ALL=C grep -a -o 'GCC: ([^)]*) [0-9][0-9.]*' "$1" | head -n1; }
if ! command -v distcc >/dev/null; then echo "distcc: error: distcc is not installed here (apt-get install distcc)"; exit 1; fi
if ! "$cc" -c "$tmp/t.c" -o "$tmp/local.o" 2>"$tmp/err"; then
    echo "distcc: error: the local compiler $cc does not work: $(head -n1 "$tmp/err")"
    exit 1
fi
want=$(ident "$tmp/local.o")
failed=0
for h in "$@"; do
    case $h in localhost | localhost/* | localhost,*) echo "distcc: $h: ok (this machine)"; continue ;; esac
    rm -f "$tmp/remote.o"
    if env -u DISTCC_LOG DISTCC_HOSTS="$h" DISTCC_FALLBACK=0 DISTCC_SKIP_LOCAL_RETRY=1 \
        DISTCC_DIR="$tmp/state" distcc "$cc" -c "$tmp/t.c" -o "$tmp/remote.o" 2>"$tmp/err"; then
        got=$(ident "$tmp/remote.o")
        if [ "$got" = "$want" ]; then
            echo "distcc: $h: ok ($got)"
        else
            echo "distcc: $h: warning: it compiles with ${got:-an unknown compiler}, this build's $cc is $want"
            failed=1
        fi
    else
        why=$(grep -oE 'Connection refused|No route to host|Connection timed out|timed out|Name or service not known|failed to look up [^ ]+' "$tmp/err" | head -n1)
        if [ -n "$why" ]; then
            echo "distcc: $h: error: does not answer ($why)"
        else
            echo "distcc: $h: error: answers but does not compile with $cc (distccd runs only the compilers linked in its /usr/lib/distcc, for the addresses its --allow names)"
        fi
        failed=1
    fi
done
if [ "$failed" = 1 ] && [ "$any" = 0 ]; then
    echo "distcc: error: a host failed the check; --distcc-any builds anyway (a host that fails a compile leaves it to this machine)"
    exit 1
fi
exit 0
)SH";
}

std::vector<std::string> distcc_check_argv(const fs::path& script, const std::string& compiler, bool any,
                                           const std::vector<DistccHost>& hosts) {
    std::vector<std::string> argv = {"bash", script.string(), compiler, any ? "1" : "0"};
    for (const auto& h : hosts) argv.push_back(h.spec);
    return argv;
}

DistccFallbacks distcc_fallbacks(std::string_view distcc_log) {
    DistccFallbacks f;
    for (auto line : split_lines(distcc_log)) {
        if (line.find("running locally instead") != std::string_view::npos ||
            line.find("retrying locally") != std::string_view::npos)
            ++f.local_compiles;
        const std::string_view connect = "connect to ", failed = " failed: ";
        auto at = line.find(connect);
        auto fail = at == std::string_view::npos ? at : line.find(failed, at);
        if (fail == std::string_view::npos) continue;
        std::string error = std::string(line.substr(at + connect.size(), fail - at - connect.size())) + ": " +
                            std::string(trim(line.substr(fail + failed.size())));
        if (std::find(f.host_errors.begin(), f.host_errors.end(), error) == f.host_errors.end()) f.host_errors.push_back(error);
    }
    return f;
}

CcacheCounts ccache_counts(std::string_view stats_log) {
    CcacheCounts c;
    for (auto line : split_lines(stats_log)) {
        line = trim(line);
        if (line == "direct_cache_hit" || line == "preprocessed_cache_hit") ++c.hits;
        else if (line == "cache_miss") ++c.misses;
    }
    return c;
}

std::optional<fs::path> ccache_base_dir(const fs::path& tree, const fs::path& objdir) {
    const fs::path a = tree.lexically_normal(), b = objdir.lexically_normal();
    fs::path common;
    for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end() && *i == *j; ++i, ++j) {
        if (i->empty()) break;  // a trailing separator
        common /= *i;
    }
    if (common.empty() || common == common.root_path()) return std::nullopt;
    return common;
}

void add_compile_tools(BuildPlan& plan, const BuildRequest& req, const fs::path& compiled_tree) {
    const bool kernel = req.kind != TreeKind::debian;
    // One flavour of Debian's kernel packaging: a kernel built by Debian's
    // rules, whose objtree (debian/build/build_A_FS_F) and source_FS link
    // kflavour does not steer; its compiles keep their absolute paths.
    const bool debian_kernel = req.debian_flavour.has_value();
    if (req.ccache_dir) {
        plan.env["CCACHE_DIR"] = req.ccache_dir->string();
        // The chroot's compiler can change under the same path (chroot update).
        plan.env["CCACHE_COMPILERCHECK"] = "content";
        plan.ccache_stats_log = req.out / ".ccache-stats.log";
        plan.env["CCACHE_STATSLOG"] = plan.ccache_stats_log.string();
        if (auto base = ccache_base_dir(compiled_tree, plan.work); base && !debian_kernel) {
            plan.env["CCACHE_BASEDIR"] = base->string();
            // ccache hands the compiler relative paths below base_dir, which
            // the kernel's own -fmacro-prefix-map=<abs srctree>/= no longer
            // matches: __FILE__ would carry "../../../linux/" into the image.
            if (kernel) plan.env["KCPPFLAGS"] = "-fmacro-prefix-map=" + srctree_from_objtree(req, compiled_tree, plan.work) + "/=";
        }
        // Kernel objdirs differ between output dirs; only debug info records them.
        if (kernel || debian_kernel) plan.env["CCACHE_NOHASHDIR"] = "1";
        if (req.kind != TreeKind::upstream) plan.path_prepend = "/usr/lib/ccache";
    }
    if (req.distcc_hosts.empty()) return;
    std::string hosts;
    for (const auto& h : req.distcc_hosts) hosts += (hosts.empty() ? "" : " ") + h.spec;
    plan.env["DISTCC_HOSTS"] = hosts;
    plan.distcc_log = req.out / "distcc.log";
    plan.env["DISTCC_LOG"] = plan.distcc_log.string();
    plan.env["DISTCC_DIR"] = (plan.work / "distcc").string();
    // A cached object never crosses the network: ccache runs distcc on a miss.
    if (req.ccache_dir) plan.env["CCACHE_PREFIX"] = "distcc";
    else if (req.kind != TreeKind::upstream) plan.path_prepend = "/usr/lib/distcc";
    const fs::path script = plan.work / "distcc-check.sh";
    plan.helper_files[script] = distcc_check_script();
    auto first = std::find_if(plan.steps.begin(), plan.steps.end(), [](const BuildStep& s) { return s.stage != "prepare"; });
    auto at = plan.steps.insert(first, BuildStep{"distcc", {"mkdir", "-p", plan.env["DISTCC_DIR"]}, {}, {}});
    plan.steps.insert(at + 1, BuildStep{"distcc", distcc_check_argv(script, req.host.triplet + "-gcc", req.distcc_any, req.distcc_hosts), {}, {}});
}

}  // namespace kf
