// Build requests the build-plan tests start from, and how they read a plan.
#pragma once

#include "build/build_plan.hpp"

namespace kf::test {

using Argvs = std::vector<std::vector<std::string>>;

// The argv of each step of `stage`, in order.
inline Argvs argvs_of(const BuildPlan& plan, const std::string& stage) {
    Argvs out;
    for (const auto& s : plan.steps)
        if (s.stage == stage) out.push_back(s.argv);
    return out;
}

// The tickless flavour of an upstream 6.1 tree, cross-built for arm64 with ccache.
inline BuildRequest upstream_cross_request() {
    BuildRequest r;
    r.kind = TreeKind::upstream;
    r.tree = "/src/linux";
    r.flavours = {"tickless"};
    r.mode = BuildMode::cross;
    r.build_arch = "amd64";
    r.host = *arch_names("arm64");
    r.jobs = 2;
    r.ccache_dir = "/cache/ccache";
    r.out = "/out/tickless-arm64";
    r.package_version = "6.1.192-1";
    r.kernel_release_base = "6.1.192";
    r.build_timestamp = "Tue Nov 14 22:13:20 UTC 2023";
    return r;
}

}  // namespace kf::test
