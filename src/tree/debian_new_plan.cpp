#include "tree/debian_new_plan.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "tree/debian_ini.hpp"
#include "tree/debian_toml.hpp"
#include "config/resolve_plan.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;

std::string debian_fragment_marker(const std::string& flavour) {
    return "## kflavour: the " + flavour + " flavour (kflavour new; docs/debian-trees.md)";
}

std::string debian_local_version(const std::string& base, const std::string& suffix) {
    return base + "a~" + suffix;
}

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// debian/config/<arch>/config.<name>, or under the featureset's directory.
// INI: <arch>[/<featureset>]/config.NAME. TOML: a featureset lists flavours
// of the arch, whose config.NAME is the arch's (gencontrol's config_v2).
fs::path fragment_path(const DebianTree& tree, const std::string& arch, const std::string& featureset,
                       const std::string& name) {
    fs::path dir = tree.config_dir() / arch;
    if (featureset != "none" && tree.format == DefinesFormat::ini) dir /= featureset;
    return dir / ("config." + name);
}

std::string fragment_text(const DebianNewRequest& req) {
    return debian_fragment_marker(req.flavour.name) + "\n##\n" + write_dot_config(req.flavour.settings);
}

std::string describe(const DebianNewRequest& req) {
    return req.flavour.summary ? *req.flavour.summary : "the kflavour " + req.flavour.name + " flavour";
}

// The configs a flavour based on `base` starts from, relative to
// debian/config: none for the arch's default flavour (the common, arch and
// featureset files come to every flavour), else the base's own list.
std::vector<std::string> base_configs(const DebianTree& tree, const std::string& arch, const std::string& base,
                                      std::vector<std::string> listed) {
    std::string own = arch + "/config." + base;
    if (path_exists(tree.config_dir() / own) && !contains(listed, own)) listed.push_back(own);
    return listed;
}

bool is_ours(const fs::path& fragment, const std::string& name) {
    auto text = read_file(fragment);
    return text.ok() && starts_with(*text, debian_fragment_marker(name));
}

// Whether the flavour is already listed for this arch and featureset. Every
// listing of the name must be kflavour's own (its fragment starts with the
// marker): Debian's flavours and featuresets are not `new`'s to touch.
Result<bool> exists_as_ours(const DebianTree& tree, const DebianNewRequest& req, const std::string& arch) {
    const std::string& name = req.flavour.name;
    bool here = false;
    bool clash = name == req.featureset;
    for (const auto& a : tree.arches)
        for (const auto& set : a.featuresets) {
            if (!contains(set.flavours, name)) continue;
            if (!is_ours(fragment_path(tree, a.name, set.name, name), name)) clash = true;
            if (a.name == arch && set.name == req.featureset) here = true;
        }
    if (clash)
        return with_hint(bad_input("flavour " + quote_input(name) + " collides with a flavour or featureset of "
                                   "Debian's own packaging",
                                   tree.flavours_file(arch, req.featureset).string()),
                         "choose another name (kflavour list shows the tree's flavours)");
    return here;
}

std::vector<std::string_view> split_on(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    for (size_t at; (at = text.find(sep, start)) != std::string_view::npos; start = at + 1)
        out.push_back(text.substr(start, at - start));
    out.push_back(text.substr(start));
    return out;
}

// `a, b | c` with every alternative restricted to `arch`: `a [arch], b [arch] | c [arch]`.
// The restriction goes before build profiles (`a [arch] <!stage1>`), as dpkg wants it.
std::string restrict_to_arch(const std::string& relation, const std::string& arch) {
    std::string out;
    for (auto group : split_on(relation, ',')) {
        std::string alternatives;
        for (auto alt : split_on(group, '|')) {
            std::string one(trim(alt));
            if (one.empty()) continue;
            if (one.find('[') == std::string::npos) {
                size_t profiles = one.find('<');
                std::string at_end = profiles == std::string::npos ? "" : " " + one.substr(profiles);
                one = std::string(trim(one.substr(0, profiles))) + " [" + arch + "]" + at_end;
            }
            alternatives += (alternatives.empty() ? "" : " | ") + one;
        }
        if (!alternatives.empty()) out += (out.empty() ? "" : ", ") + alternatives;
    }
    return out;
}

// bookworm's gencontrol merges the packages of one flavour name across
// arches into one stanza, and takes the headers package's compiler relation
// unqualified: arm64's headers would depend on amd64's
// linux-compiler-gcc-12-x86. The flavour's own relation, qualified with the
// arch, keeps each arch's (dpkg-gencontrol drops the other arches').
std::optional<std::pair<std::string, std::string>> headers_relation(const DebianArch& arch) {
    if (!arch.headers_relation) return std::nullopt;
    return std::pair{arch.headers_relation->first, restrict_to_arch(arch.headers_relation->second, arch.name)};
}

Status plan_ini_defines(const DebianTree& tree, const DebianNewRequest& req, const std::string& arch,
                        const std::string& base, EditSet& edits) {
    fs::path file = tree.flavours_file(arch, req.featureset);
    KF_TRY(std::optional<std::string> before, read_text_file_if_exists(file));
    std::string text = before.value_or("");
    KF_TRY(IniFile ini, parse_ini(text, file.string()));
    const std::string& name = req.flavour.name;
    std::string after = ini_add_word(text, ini, "base", "flavours", name);
    after = ini_append_section(after, name + "_description",
                               {{"hardware", arch + " (" + name + ")"}, {"hardware-long", describe(req)}});
    after = ini_append_section(after, name + "_build", {{"signed-code", "false"}});
    const DebianArch* a = tree.arch(arch);
    if (auto relation = headers_relation(*a)) after = ini_append_section(after, name + "_relations", {*relation});
    if (base != a->default_flavour) {
        auto configs = base_configs(tree, arch, base, ini.words(base + "_image", "configs"));
        configs.push_back(fragment_path(tree, arch, req.featureset, name).lexically_relative(tree.config_dir()).string());
        std::string value;
        for (const auto& c : configs) value += "\n " + c;
        after = ini_append_section(after, name + "_image", {{"configs", value}});
    }
    KF_TRY_STATUS(parse_ini(after, file.string()));
    edits.put(file, std::move(before), std::move(after));
    return ok_status();
}

Status plan_toml_defines(const DebianTree& tree, const DebianNewRequest& req, const std::string& arch,
                         const std::string& base, EditSet& edits) {
    fs::path file = tree.flavours_file(arch, req.featureset);
    KF_TRY(std::string text, read_text_file(file));
    KF_TRY(TomlArchDefines defines, parse_arch_defines_toml(text, file.string()));
    std::vector<std::pair<std::string, std::string>> build = {{"enable_signed", "false"}};
    if (base != tree.arch(arch)->default_flavour) {
        std::vector<std::string> listed;
        for (const auto& f : defines.flavours)
            if (f.name == base) listed = f.configs;
        std::string value;
        for (const auto& c : base_configs(tree, arch, base, listed)) value += (value.empty() ? "" : ", ") + toml_string(c);
        build.push_back({"config", "[" + value + "]"});
    }
    const std::string& name = req.flavour.name;
    // A flavour kflavour already added to the arch (featureset none) joins
    // another featureset's list as it is.
    const bool listed = std::any_of(defines.flavours.begin(), defines.flavours.end(),
                                    [&](const TomlFlavour& f) { return f.name == name; });
    std::string after = listed ? text
                               : toml_append_flavour(text, name, build,
                                                     {{"hardware", arch + " (" + name + ")"}, {"hardware_long", describe(req)}});
    // Another featureset: the arch's flavour, also listed where the
    // featureset overrides the arch's flavours (trixie's rt does).
    if (req.featureset != "none") {
        KF_TRY(after, toml_add_featureset_flavour(after, req.featureset, name, file.string()));
    }
    KF_TRY(TomlArchDefines written, parse_arch_defines_toml(after, file.string()));
    for (const auto& set : written.featuresets)
        if (set.name == req.featureset && !set.flavours.empty() && !contains(set.flavours, name))
            return failure("kflavour could not add " + name + " to featureset " + req.featureset + " of " + file.string());
    edits.put(file, text, std::move(after));
    return ok_status();
}

Result<std::vector<std::string>> choose_arches(const DebianTree& tree, const DebianNewRequest& req) {
    std::vector<std::string> known;
    for (const auto& a : tree.arches) known.push_back(a.name);
    if (req.flavour.arches.empty())
        return with_hint(bad_input("--arch is required on a Debian tree"), "its defines declare: " + join(known, " "));
    for (const auto& arch : req.flavour.arches) {
        const DebianArch* a = tree.arch(arch);
        if (!a) return bad_input("unknown arch " + quote_input(arch) + " (the defines declare: " + join(known, " ") + ")");
        if (!a->featureset(req.featureset)) {
            return bad_input("unknown featureset " + quote_input(req.featureset) + " for " + arch + " (it has: " +
                                 join(a->featureset_names(), " ") + ")",
                             tree.flavours_file(arch, "none").string());
        }
    }
    return req.flavour.arches;
}

Result<std::string> choose_base(const DebianTree& tree, const DebianNewRequest& req, const std::string& arch) {
    const DebianArch* a = tree.arch(arch);
    std::string base = req.flavour.base.empty() ? a->default_flavour : req.flavour.base;
    if (base.empty()) return bad_input("no --base given and the defines of " + arch + " name no default flavour");
    if (!contains(a->featureset(req.featureset)->flavours, base))
        return bad_input("unknown base flavour " + quote_input(base) + " for " + arch + " in featureset " + req.featureset);
    return base;
}

// kflavour's own entry on top: UNRELEASED, its version with "a~".
bool ours_on_top(const ChangelogTop& top) {
    return top.top.distribution == "UNRELEASED" && top.top.version.find("a~") != std::string::npos;
}

// The top entry's bullets (each "  * " line with its continuation lines),
// but the one that added `flavour`, which a regeneration writes anew.
std::string entry_body(std::string_view text, const ChangelogTop& top, const std::string& flavour) {
    std::string_view entry = text.substr(0, top.second_offset);
    size_t trailer = entry.find("\n -- ");
    std::string out;
    bool keep = false;
    for (auto line : split_lines(entry.substr(0, trailer == std::string_view::npos ? 0 : trailer))) {
        if (starts_with(line, "  * ")) keep = !starts_with(line, "  * Add the " + flavour + " flavour ");
        else if (!starts_with(line, "    ")) continue;  // the header, blank lines
        if (keep) out += std::string(line) + "\n";
    }
    return out;
}

// The version: a first flavour gets <base>a~<suffix>; one more flavour while
// kflavour's entry is on top, <top>+<suffix>, in that same entry (as dch adds
// to an UNRELEASED entry): a second "~" entry would move bookworm's ABI
// name to -53.1. Regenerating a flavour keeps the version.
std::string next_version(const ChangelogTop& top, const std::string& suffix, bool regenerating) {
    if (!ours_on_top(top)) return debian_local_version(top.top.version, suffix);
    const std::string& v = top.top.version;
    bool has = v.size() > suffix.size() && v.compare(v.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (regenerating && has) return v;
    return v + "+" + suffix;
}

Status plan_changelog(const DebianTree& tree, const DebianNewRequest& req, bool regenerating,
                      const PlanServices& services, NewPlan& plan) {
    fs::path path = tree.root / "debian" / "changelog";
    KF_TRY(std::string text, read_text_file(path));
    KF_TRY(ChangelogTop top, parse_changelog_top(text, path.string()));
    // "tickless1"; "rt.tickless1" in another featureset (a "-" would end the upstream version).
    std::string fs_part = req.featureset == "none" ? "" : req.featureset + ".";
    std::string suffix = req.flavour.version_suffix.empty() ? fs_part + req.flavour.name + "1" : req.flavour.version_suffix;
    std::string version = next_version(top, suffix, regenerating);
    if (auto st = services.check_version(version); !st.ok())
        return bad_input(st.error().message + " (check --version-suffix)", path.string(), top.top.line);
    bool amend = ours_on_top(top);
    if (version != top.top.version && services.compare_versions(version, top.top.version) <= 0)
        return bad_input("new version " + version + " is not greater than " + top.top.version, path.string(),
                         top.top.line);
    KF_TRY(Maintainer maintainer, services.maintainer());
    std::string bullet = "Add the " + req.flavour.name + " flavour for " + join(plan.arches, " ") +
                         " (featureset " + req.featureset + ")" +
                         (plan.changes.empty() ? "." : ": " + join(plan.changes, ", "));
    // UNRELEASED: Debian's tooling for a build that is not an upload
    // (trixie's gencontrol accepts any revision for it, and names the ABI +unreleased).
    ChangelogEntry entry{top.top.source, version, "UNRELEASED", "medium", {bullet}, maintainer, services.date};
    std::string rendered = render_entry(entry);
    if (amend) rendered.insert(rendered.find("\n\n") + 2, entry_body(text, top, req.flavour.name));
    std::string_view rest = std::string_view(text).substr(amend ? top.second_offset : 0);
    plan.edits.put(path, text, rendered + std::string(rest));
    plan.version = version;
    return ok_status();
}

}  // namespace

Result<NewPlan> plan_debian_flavour(const DebianTree& tree, const DebianNewRequest& req, const PlanServices& services) {
    KF_TRY_STATUS(check_flavour_name(req.flavour.name));
    if (req.flavour.version_suffix.size() > kMaxVersionSuffix) return bad_input("--version-suffix too long");
    for (const auto& s : req.flavour.settings) KF_TRY_STATUS(check_value(s));
    NewPlan plan;
    KF_TRY(plan.arches, choose_arches(tree, req));
    for (const auto& s : req.flavour.settings) plan.changes.push_back(s.name + "=" + s.value);
    bool existed = false;
    for (const auto& arch : plan.arches) {
        KF_TRY(std::string base, choose_base(tree, req, arch));
        KF_TRY(bool ours, exists_as_ours(tree, req, arch));
        existed = existed || ours;
        fs::path fragment = fragment_path(tree, arch, req.featureset, req.flavour.name);
        KF_TRY(std::optional<std::string> old, read_text_file_if_exists(fragment));
        plan.edits.put(fragment, std::move(old), fragment_text(req));
        if (ours) continue;
        if (tree.format == DefinesFormat::toml)
            KF_TRY_STATUS(plan_toml_defines(tree, req, arch, base, plan.edits));
        else
            KF_TRY_STATUS(plan_ini_defines(tree, req, arch, base, plan.edits));
    }
    if (existed && plan.edits.empty()) {
        plan.nothing_to_do = true;
        return plan;
    }
    if (existed && !req.flavour.force)
        return with_hint(bad_input("flavour " + quote_input(req.flavour.name) + " already exists with different settings",
                                   tree.root.string()),
                         "use --force to regenerate it");
    KF_TRY_STATUS(plan_changelog(tree, req, existed, services, plan));
    return plan;
}

}  // namespace kf
