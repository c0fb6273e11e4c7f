#include "tree/debian_config_run.hpp"

#include "base/fs.hpp"
#include "tree/debian_kconfig.hpp"

namespace kf::sys {
namespace fs = std::filesystem;

Result<DotConfig> debian_flavour_config(const Tree& tree, const DebianConfigTarget& t) {
    const fs::path rules_gen = tree.root / "debian" / "rules.gen";
    KF_TRY(std::string text, read_text_file(rules_gen));
    KF_TRY(auto files, debian_kconfig_files(text, t.arch, t.featureset, t.flavour, rules_gen.string()));
    std::vector<std::string> texts;
    for (const auto& f : files) {
        KF_TRY(std::string config, read_text_file(tree.root / f));
        texts.push_back(std::move(config));
    }
    return merge_debian_configs(texts);
}

Result<ResolveOutcome> resolve_debian_flavour(ProcessRunner& runner, const Os& os, const Reporter& report,
                                              const Tree& tree, const DebianConfigTarget& t,
                                              const std::vector<ConfigSetting>& requested, const fs::path& source,
                                              bool allow_dropped) {
    KF_TRY(DotConfig merged, debian_flavour_config(tree, t));
    const BaseConfig base{BaseConfig::Kind::file, "Debian's merged config (debian/rules.gen)"};
    KF_TRY(ResolveOutcome r, resolve_upstream(runner, os, report, source, t.arch, t.flavour, base,
                                              write_dot_config(merged.settings), requested, allow_dropped));
    report.verbose(describe_timings(r.timings));
    return r;
}

}  // namespace kf::sys
