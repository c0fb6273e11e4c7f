#include "cli/config_debian.hpp"

#include "tree/debian_config_run.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;

Status run_export_debian(Context& ctx, const Tree& tree, const sys::DebianConfigTarget& t) {
    KF_TRY(DotConfig merged, sys::debian_flavour_config(tree, t));
    if (!ctx.global.json) {
        ctx.out << write_dot_config(merged.settings);
        return ok_status();
    }
    nlohmann::ordered_json config = nlohmann::ordered_json::object();
    for (const auto& s : merged.settings) config[s.name] = s.value;
    ctx.out << nlohmann::ordered_json{{"arch", t.arch}, {"featureset", t.featureset}, {"flavour", t.flavour},
                                      {"config", config}}
                   .dump(2)
            << "\n";
    return ok_status();
}

Status run_resolve_debian(Context& ctx, const Tree& tree, const sys::DebianConfigTarget& t,
                          const std::vector<ConfigSetting>& requested, const fs::path& source, bool allow_dropped) {
    sys::SystemRunner runner;
    KF_TRY(sys::ResolveOutcome r, sys::resolve_debian_flavour(runner, ctx.os, ctx.reporter(), tree, t, requested,
                                                              source, allow_dropped));
    if (ctx.global.json) {
        nlohmann::ordered_json dropped = nlohmann::ordered_json::array();
        for (const auto& d : r.dropped)
            dropped.push_back({{"symbol", d.name}, {"requested", d.requested}, {"resolved", d.resolved}});
        ctx.out << nlohmann::ordered_json{{"arch", t.arch},           {"featureset", t.featureset},
                                          {"flavour", t.flavour},     {"kind", "debian"},
                                          {"source", source.string()}, {"requested", requested.size()},
                                          {"kconfig_changes", r.changed.size()}, {"dropped", dropped},
                                          {"unknown", r.unknown}}
                       .dump(2)
                << "\n";
        return ok_status();
    }
    ctx.info("resolved " + t.arch + "_" + t.featureset + "_" + t.flavour + " with the Kconfig of " + source.string() +
             ": " + std::to_string(requested.size() - r.dropped.size()) + " of " + std::to_string(requested.size()) +
                 " requested settings survived, " +
             std::to_string(r.changed.size()) + " more settings changed by Kconfig (the tree is not written: "
             "Debian's build resolves its config itself)");
    return ok_status();
}

}  // namespace kf::cli
