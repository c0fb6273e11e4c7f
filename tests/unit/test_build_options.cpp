// build/build_options: what `build`'s options make of a request before any
// work, on small trees with a FakeOs: the options that exclude each other or
// belong to another tree kind, and the defaults (jobs, ccache, out).
#include "build/build_options.hpp"

#include "temp_dir.hpp"
#include "test_doubles.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kf::sys {
namespace {
namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A whole Debian source package (no --flavour): no fill reads the tree.
struct DebianPackage {
    test::TempDir dir{"kf-build-options"};
    Tree tree;
    test::RecordingRunner runner;
    test::FakeOs os;
    Reporter report;
    BuildSelection native = select_build_mode("amd64", "", "", false).value();
    DebianPackage() {
        tree.kind = TreeKind::debian;
        tree.root = dir.path / "hello";
        os.environment = {{"KFLAVOUR_CCACHE_DIR", "/cache/cc"}};
    }
    Result<BuildRequest> make(const BuildOptions& opt, const BuildSelection& sel) {
        return make_build_request(runner, os, report, tree, tree.root, sel, opt);
    }
    Result<BuildRequest> make(const BuildOptions& opt) { return make(opt, native); }
};

Error bad(const Result<BuildRequest>& r) {
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
}

TEST(BuildOptions, DefaultsComeFromTheOsAndTheTree) {
    DebianPackage p;
    p.os.cpus = 7;
    auto req = p.make({});
    ASSERT_TRUE(req.ok()) << req.error().message;
    EXPECT_EQ(req->jobs, 7);
    EXPECT_EQ(req->ccache_dir, std::optional<fs::path>("/cache/cc"));
    EXPECT_TRUE(req->in_chroot);
    EXPECT_EQ(req->out, p.dir.path / "kflavour-out" / "hello-amd64");
    EXPECT_TRUE(p.runner.commands.empty());

    BuildOptions given;
    given.jobs = 3;
    given.ccache = false;
    given.no_chroot = true;
    given.out = p.dir.path / "sets" / "x" / "";
    auto explicit_req = p.make(given);
    ASSERT_TRUE(explicit_req.ok()) << explicit_req.error().message;
    EXPECT_EQ(explicit_req->jobs, 3);
    EXPECT_FALSE(explicit_req->ccache_dir);
    EXPECT_FALSE(explicit_req->in_chroot);
    EXPECT_EQ(explicit_req->out, p.dir.path / "sets" / "x");  // no trailing slash
}

TEST(BuildOptions, ExclusionsAreBadInputBeforeAnyWork) {
    DebianPackage p;
    BuildOptions both;
    both.no_chroot = true;
    both.chroot_named = true;
    EXPECT_THAT(bad(p.make(both)).message, HasSubstr("--chroot and --no-chroot exclude each other"));

    BuildOptions emulated_here;
    emulated_here.no_chroot = true;
    const auto arm64 = select_build_mode("amd64", "", "arm64", false).value();
    auto e = bad(p.make(emulated_here, arm64));
    EXPECT_EQ(e.code, Exit::bad_input);
    EXPECT_THAT(e.message, HasSubstr("--arch arm64 runs the build under qemu in an arm64 chroot"));

    BuildOptions featureset;
    featureset.featureset = "rt";
    EXPECT_THAT(bad(p.make(featureset)).message, HasSubstr("--featureset picks the featureset of one --flavour"));

    BuildOptions quick;
    quick.modules_from = "/srv/server.lsmod";
    auto q = bad(p.make(quick));
    EXPECT_THAT(q.message, HasSubstr("a whole Debian source package makes its configs inside its own build"));
    EXPECT_EQ(q.hint, "docs/build.md, Quick builds");

    BuildOptions distcc;
    distcc.distcc = "node1/8";
    distcc.distcc_off = true;
    EXPECT_THAT(bad(p.make(distcc)).message, HasSubstr("--distcc and --no-distcc exclude each other"));
    EXPECT_TRUE(p.runner.commands.empty());  // nothing ran for any of them
}

}  // namespace
}  // namespace kf::sys
