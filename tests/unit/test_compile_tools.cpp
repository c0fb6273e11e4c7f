#include "build/compile_tools.hpp"
#include "build/build_plan.hpp"
#include "build_requests.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kf {
namespace {
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Checkout A: the tree and its output dir side by side.
BuildRequest upstream_cross() {
    BuildRequest r = test::upstream_cross_request();
    r.tree = "/w/a/linux";
    r.out = "/w/a/out";
    return r;
}

std::vector<DistccHost> two_daemons() {
    auto hosts = parse_distcc_hosts("127.0.0.1:3701/1\n127.0.0.1:3702/1\n");
    EXPECT_TRUE(hosts.ok());
    return hosts.value();
}

const BuildStep* step_with(const BuildPlan& plan, const std::string& word) {
    for (const auto& s : plan.steps)
        for (const auto& a : s.argv)
            if (a.find(word) != std::string::npos) return &s;
    return nullptr;
}

TEST(Distcc, HostsAsDistccShowsThem) {
    auto hosts = parse_distcc_hosts("node1/8\nnode2:3633/6,lzo\nlocalhost\nnode3\n");
    ASSERT_TRUE(hosts.ok()) << hosts.error().describe();
    ASSERT_EQ(hosts.value().size(), 4u);
    const auto& h = hosts.value();
    EXPECT_EQ(h[0].name, "node1");
    EXPECT_EQ(h[0].limit, 8);
    EXPECT_EQ(h[1].spec, "node2:3633/6,lzo");
    EXPECT_EQ(h[1].name, "node2:3633");
    EXPECT_EQ(h[1].limit, 6);
    EXPECT_TRUE(h[2].local);
    EXPECT_EQ(h[2].limit, 2);   // distcc's default for localhost
    EXPECT_EQ(h[3].limit, 4);   // and for a remote host
    // Remote slots plus the local CPUs; localhost is those CPUs.
    EXPECT_EQ(distcc_jobs(h, 2), 2 + 8 + 6 + 4);
    EXPECT_EQ(distcc_jobs_text(h, 2), "20 (distcc: 18 remote slots + 2 local CPUs)");
}

TEST(Distcc, AHostListDistccRejectsIsBadInputWithItsOwnWords) {
    auto comma = parse_distcc_hosts(
        "distcc[1] (dcc_parse_options) ERROR: unrecognized option in host specification: ,127.0.0.1:3702/1\n"
        "distcc[1] (dcc_show_hosts) CRITICAL! Failed to get host list\n");
    ASSERT_FALSE(comma.ok());
    EXPECT_EQ(comma.error().code, Exit::bad_input);
    EXPECT_THAT(comma.error().message, HasSubstr("unrecognized option in host specification: ,127.0.0.1:3702/1"));
    EXPECT_THAT(comma.error().hint, HasSubstr("separated by blanks"));
    auto empty = parse_distcc_hosts(
        "distcc[1] (dcc_parse_hosts) Warning: $DISTCC_HOSTS contained no hosts; can't distribute work\n");
    ASSERT_FALSE(empty.ok());
    EXPECT_THAT(empty.error().message, HasSubstr("contained no hosts"));
    EXPECT_FALSE(parse_distcc_hosts("").ok());
}

TEST(Distcc, FallbacksAndHostErrorsFromItsLog) {
    auto f = distcc_fallbacks(
        "distcc[10] ERROR: nonblocking connect to 127.0.0.1:3702 failed: Connection refused\n"
        "distcc[10] (dcc_build_somewhere) Warning: failed to distribute, running locally instead\n"
        "distcc[11] ERROR: nonblocking connect to 127.0.0.1:3702 failed: Connection refused\n"
        "distcc[11] (dcc_build_somewhere) Warning: failed to distribute, running locally instead\n"
        "distcc[12] (dcc_build_somewhere) Warning: remote compilation of 'x.c' failed, retrying locally\n");
    EXPECT_EQ(f.local_compiles, 3);
    EXPECT_THAT(f.host_errors, ElementsAre("127.0.0.1:3702: Connection refused"));
    EXPECT_EQ(distcc_fallbacks("").local_compiles, 0);
}

TEST(Ccache, CountsFromTheStatsLog) {
    auto c = ccache_counts("# a.c\ncache_miss\ndirect_cache_miss\nlocal_storage_write\n# a.c\ndirect_cache_hit\n"
                           "local_storage_hit\n# b.c\npreprocessed_cache_hit\n# c.c\ncalled_for_link\n");
    EXPECT_EQ(c.hits, 2);
    EXPECT_EQ(c.misses, 1);
    EXPECT_NEAR(c.hit_rate(), 2.0 / 3.0, 1e-9);
    EXPECT_EQ(ccache_counts("").hit_rate(), 0.0);
}

TEST(Ccache, BaseDirHoldsTheTreeAndTheObjects) {
    EXPECT_EQ(ccache_base_dir("/w/a/linux", "/w/a/out/.work"), std::filesystem::path("/w/a"));
    EXPECT_EQ(ccache_base_dir("/w/a/out/.work/src/linux", "/w/a/out/.work"), std::filesystem::path("/w/a/out/.work"));
    // Nothing in common but "/": no base_dir (every system path would be rewritten).
    EXPECT_FALSE(ccache_base_dir("/tmp/x/linux", "/var/cache/out/.work"));
}

TEST(CompileTools, CcacheAcrossCheckoutsAndItsCounters) {
    auto plan = plan_build(upstream_cross());
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    const auto& env = plan.value().env;
    EXPECT_EQ(env.at("CCACHE_BASEDIR"), "/w/a");
    // The compiles see ../../../linux/kernel/fork.c; __FILE__ must still be kernel/fork.c.
    EXPECT_EQ(env.at("KCPPFLAGS"), "-fmacro-prefix-map=../../../linux/=");
    EXPECT_EQ(env.at("CCACHE_COMPILERCHECK"), "content");
    EXPECT_EQ(env.at("CCACHE_NOHASHDIR"), "1");
    EXPECT_EQ(env.at("CCACHE_STATSLOG"), "/w/a/out/.ccache-stats.log");
    EXPECT_EQ(plan.value().ccache_stats_log, "/w/a/out/.ccache-stats.log");
    EXPECT_FALSE(env.count("DISTCC_HOSTS"));
    EXPECT_FALSE(env.count("CCACHE_PREFIX"));
    EXPECT_EQ(step_with(plan.value(), "distcc"), nullptr);
}

TEST(CompileTools, DistccBehindCcacheWithTheCheckBeforeTheFirstCompile) {
    auto r = upstream_cross();
    r.distcc_hosts = two_daemons();
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    const auto& p = plan.value();
    EXPECT_EQ(p.env.at("DISTCC_HOSTS"), "127.0.0.1:3701/1 127.0.0.1:3702/1");
    EXPECT_EQ(p.env.at("CCACHE_PREFIX"), "distcc");
    EXPECT_EQ(p.env.at("DISTCC_LOG"), "/w/a/out/distcc.log");
    EXPECT_EQ(p.env.at("DISTCC_DIR"), "/w/a/out/.work/distcc");
    EXPECT_EQ(p.distcc_log, "/w/a/out/distcc.log");
    // The prepare steps, then the check, then the config stage.
    std::vector<std::string> stages;
    for (const auto& s : p.steps)
        if (stages.empty() || stages.back() != s.stage) stages.push_back(s.stage);
    EXPECT_THAT(stages, ElementsAre("prepare", "distcc", "config", "compile", "package", "collect"));
    const BuildStep* check = step_with(p, "distcc-check.sh");
    ASSERT_NE(check, nullptr);
    EXPECT_THAT(check->argv, ElementsAre("bash", "/w/a/out/.work/distcc-check.sh", "aarch64-linux-gnu-gcc", "0",
                                         "127.0.0.1:3701/1", "127.0.0.1:3702/1"));
    EXPECT_THAT(p.helper_files.at("/w/a/out/.work/distcc-check.sh"), HasSubstr("DISTCC_FALLBACK=0"));
    // The compiler stays ccache's: a cached object never goes to the farm.
    const BuildStep* compile = step_with(p, "CC=ccache aarch64-linux-gnu-gcc");
    ASSERT_NE(compile, nullptr);
    r.distcc_any = true;
    auto any = plan_build(r);
    ASSERT_TRUE(any.ok());
    EXPECT_EQ(step_with(any.value(), "distcc-check.sh")->argv[3], "1");
}

TEST(CompileTools, DistccWithoutCcacheNamesTheCompilerByItsTriplet) {
    auto r = upstream_cross();
    r.ccache_dir.reset();
    r.distcc_hosts = two_daemons();
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok());
    EXPECT_NE(step_with(plan.value(), "CC=distcc aarch64-linux-gnu-gcc"), nullptr);
    EXPECT_FALSE(plan.value().env.count("CCACHE_PREFIX"));
    EXPECT_TRUE(plan.value().ccache_stats_log.empty());
}

TEST(CompileTools, DebianAndUbuntuTreesThroughTheMasqueradeDirs) {
    auto r = upstream_cross();
    r.kind = TreeKind::debian;
    r.flavours.clear();
    r.distcc_hosts = two_daemons();
    auto with_ccache = plan_build(r);
    ASSERT_TRUE(with_ccache.ok());
    EXPECT_EQ(with_ccache.value().path_prepend, "/usr/lib/ccache");
    EXPECT_EQ(with_ccache.value().env.at("CCACHE_PREFIX"), "distcc");
    // The copy the package builds from is the base: the same relative paths in any checkout.
    EXPECT_EQ(with_ccache.value().env.at("CCACHE_BASEDIR"), "/w/a/out/.work");
    EXPECT_FALSE(with_ccache.value().env.count("CCACHE_NOHASHDIR")) << "a Debian package's debug info names its dir";
    EXPECT_FALSE(with_ccache.value().env.count("KCPPFLAGS")) << "not a kernel";
    r.ccache_dir.reset();
    auto plain = plan_build(r);
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain.value().path_prepend, "/usr/lib/distcc");
    EXPECT_THAT(step_with(plain.value(), "dpkg-buildpackage")->argv, Not(::testing::Contains(HasSubstr("distcc"))));
}

}  // namespace
}  // namespace kf

namespace kf {
namespace {

TEST(CompileTools, UbuntuKernelKeepsItsFileNamesUnderBaseDir) {
    auto r = test::upstream_cross_request();
    r.kind = TreeKind::ubuntu;
    r.tree = "/w/a/linux";
    r.out = "/w/a/out";
    r.debian_name = "debian.master";
    r.package_version = "5.4.0-200.220";
    auto plan = plan_build(r);
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    const auto& env = plan.value().env;
    EXPECT_EQ(env.at("CCACHE_BASEDIR"), "/w/a/out/.work");
    // Ubuntu's rules compile in debian/build/build-F of the build copy.
    EXPECT_EQ(env.at("KCPPFLAGS"), "-fmacro-prefix-map=../../../=");
    EXPECT_EQ(env.at("CCACHE_NOHASHDIR"), "1");
}

}  // namespace
}  // namespace kf
