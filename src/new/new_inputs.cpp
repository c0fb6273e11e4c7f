#include "new/new_inputs.hpp"

#include "archive/deb822.hpp"
#include "archive/dpkg.hpp"
#include "base/data_dirs.hpp"
#include "base/edit_set.hpp"
#include "fork/git.hpp"

namespace kf::sys {
namespace fs = std::filesystem;

std::vector<fs::path> flavour_search_dirs(const Os& os) {
    std::vector<fs::path> dirs;
    if (auto dir = os.env_nonempty("KFLAVOUR_FLAVOURS_DIR")) dirs.emplace_back(*dir);
    for (const auto& data : data_search_dirs(os)) dirs.push_back(data / "flavours");
    return dirs;
}

Result<FlavourDef> load_flavour_def(const Os& os, const std::string& name_or_file) {
    KF_TRY(fs::path file, find_flavour_def(name_or_file, flavour_search_dirs(os)));
    KF_TRY(auto paragraphs, parse_deb822(file));
    if (paragraphs.size() != 1)
        return bad_input("a flavour definition is one deb822 paragraph, found " + std::to_string(paragraphs.size()),
                         file.string());
    std::vector<DefField> fields;
    for (const auto& f : paragraphs[0]) fields.push_back({f.name, f.value});
    return make_flavour_def(fields, file, [](const fs::path& p) { return read_text_file(p); });
}

Result<std::vector<ConfigSetting>> load_fragment(const fs::path& file) {
    KF_TRY(std::string text, read_text_file(file));
    return parse_fragment(text, file.string());
}

Result<RequestedSettings> load_requested_settings(const Os& os, const SettingSources& sources) {
    RequestedSettings out;
    if (sources.def) {
        KF_TRY(out.def, load_flavour_def(os, *sources.def));
    } else if (sources.default_def && sources.fragments.empty() && sources.sets.empty()) {
        if (auto file = find_flavour_def(*sources.default_def, flavour_search_dirs(os)); file.ok()) {
            KF_TRY(out.def, load_flavour_def(os, file->string()));
        }
    }
    if (out.def) out.settings = out.def->settings;
    for (const auto& file : sources.fragments) {
        KF_TRY(auto settings, load_fragment(file));
        out.settings.insert(out.settings.end(), settings.begin(), settings.end());
    }
    for (const auto& text : sources.sets) {
        KF_TRY(ConfigSetting s, parse_setting(text));
        out.settings.push_back(std::move(s));
    }
    return out;
}

Result<Maintainer> find_maintainer(const Os& os, const fs::path& tree) {
    MaintainerSources sources{os.env("DEBFULLNAME"), os.env("DEBEMAIL"), std::nullopt, std::nullopt};
    auto given = [](const std::optional<std::string>& v) { return v && !v->empty(); };
    // Only ask git for what the environment doesn't give.
    if (!given(sources.debfullname)) sources.git_name = git_config_value(tree, "user.name");
    if (!given(sources.debemail)) sources.git_email = git_config_value(tree, "user.email");
    return choose_maintainer(sources);
}

Result<std::string> changelog_date(const Os& os) {
    KF_TRY(auto epoch, source_date_epoch(os));
    if (epoch) return rfc2822_date(*epoch, 0);
    const std::time_t now = os.now();
    return rfc2822_date(now, os.utc_offset_minutes(now));
}

Result<PlanServices> new_plan_services(const Os& os, const std::filesystem::path& tree) {
    KF_TRY(std::string date, changelog_date(os));
    return PlanServices{check_version, compare_versions, [&os, tree] { return find_maintainer(os, tree); },
                        date};
}

Status apply_new_plan(const NewPlan& plan, bool dry_run) {
    if (dry_run || plan.nothing_to_do) return ok_status();
    KF_TRY_STATUS(plan.edits.check_writable());
    return plan.edits.apply();
}

}  // namespace kf::sys
