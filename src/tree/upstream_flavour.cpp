#include "tree/upstream_flavour.hpp"

#include "base/arch.hpp"
#include "tree/new_plan.hpp"
#include "config/resolve_plan.hpp"
#include "base/text.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;

fs::path UpstreamLayout::flavour_file(std::string_view name) const { return dir() / (std::string(name) + ".flavour"); }
fs::path UpstreamLayout::fragment_file(std::string_view name) const { return dir() / (std::string(name) + ".config"); }
fs::path UpstreamLayout::base_config_file(std::string_view name) const {
    return dir() / (std::string(name) + ".base.config");
}
fs::path UpstreamLayout::resolved_config(std::string_view name, std::string_view arch) const {
    return dir() / std::string(name) / (std::string(arch) + ".config");
}

namespace {

bool target_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

// A Kconfig target that writes a .config without asking: *config, and not
// one of the interactive or host-dependent ones.
bool valid_target(std::string_view s) {
    static const std::vector<std::string_view> refused = {"config",        "oldconfig",      "menuconfig",
                                                          "nconfig",       "xconfig",        "gconfig",
                                                          "localmodconfig", "localyesconfig", "syncconfig"};
    if (s.empty() || s[0] == '-' || s[0] == '.' || !std::all_of(s.begin(), s.end(), target_char)) return false;
    if (s.size() < 6 || s.substr(s.size() - 6) != "config") return false;
    return std::find(refused.begin(), refused.end(), s) == refused.end();
}

// A file name inside kflavour/: no directories, no dot files.
bool valid_file_name(std::string_view s) {
    return !s.empty() && s[0] != '.' && s.find('/') == std::string_view::npos;
}

}  // namespace

Result<BaseConfig> classify_base_config(std::string_view arg, bool is_file) {
    if (arg.empty()) return bad_input("--base-config is empty: give a defconfig target (tinyconfig, defconfig) or a file");
    if (is_file || arg.find('/') != std::string_view::npos) return BaseConfig{BaseConfig::Kind::file, std::string(arg)};
    if (!valid_target(arg)) {
        Error e = bad_input("--base-config " + quote_input(std::string(arg)) + " is neither a file nor a defconfig target name");
        e.hint = "a Kconfig target ending in 'config' that needs no questions (tinyconfig, defconfig, allnoconfig, "
                 "x86_64_defconfig; see make help), or an existing .config file";
        return e;
    }
    return BaseConfig{BaseConfig::Kind::target, std::string(arg)};
}

Result<UpstreamFlavour> parse_upstream_flavour(std::string_view text, const std::string& file) {
    UpstreamFlavour f;
    bool have_base = false, have_name = false, have_arches = false;
    int number = 0;
    for (std::string_view raw : split_lines(text)) {
        ++number;
        std::string_view line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            return bad_input("expected 'Field: value', got " + quote_input(std::string(line)), file, number);
        std::string field(trim(line.substr(0, colon)));
        std::string value(trim(line.substr(colon + 1)));
        std::string lower = field;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (lower == "flavour") {
            KF_TRY_STATUS([&]() -> Status {
                auto st = check_flavour_name(value);
                if (!st.ok()) return bad_input(st.error().message, file, number);
                return ok_status();
            }());
            f.name = value;
            have_name = true;
        } else if (lower == "base-config" || lower == "base-config-file") {
            if (have_base) return bad_input("a second base config (Base-Config or Base-Config-File)", file, number);
            bool is_file = lower == "base-config-file";
            if (is_file ? !valid_file_name(value) : !valid_target(value))
                return bad_input(field + ": " + quote_input(value) + " is not a " +
                                     (is_file ? "file name in kflavour/" : "make target name"),
                                 file, number);
            f.base = BaseConfig{is_file ? BaseConfig::Kind::file : BaseConfig::Kind::target, value};
            have_base = true;
        } else if (lower == "arches") {
            f.arches = split_words(value);
            for (const auto& a : f.arches)
                if (!kernel_arch(a)) return bad_input("Arches: no kernel ARCH known for " + quote_input(a), file, number);
            have_arches = true;
        } else if (lower == "fragment") {
            if (!valid_file_name(value)) return bad_input("Fragment: " + quote_input(value) + " is not a file name in kflavour/", file, number);
            f.fragment = value;
        } else if (lower == "rt-patch" || lower == "rt-patch-source" || lower == "rt-patch-sha256") {
            if (!f.rt_patch) f.rt_patch = RtPatchRecord{};
            (lower == "rt-patch" ? f.rt_patch->name : lower == "rt-patch-source" ? f.rt_patch->source : f.rt_patch->sha256) = value;
        } else {
            return bad_input("unknown field " + quote_input(field) +
                                 " (known: Flavour, Base-Config, Base-Config-File, Arches, Fragment, Rt-Patch, "
                                 "Rt-Patch-Source, Rt-Patch-Sha256)",
                             file, number);
        }
    }
    if (!have_name) return bad_input("no Flavour: field", file);
    if (!have_base) return bad_input("no Base-Config: (a defconfig target) or Base-Config-File: field", file);
    if (!have_arches || f.arches.empty()) return bad_input("no Arches: field", file);
    if (f.rt_patch && f.rt_patch->name.empty()) return bad_input("Rt-Patch-Source or Rt-Patch-Sha256 without Rt-Patch", file);
    return f;
}

std::string write_upstream_flavour(const UpstreamFlavour& f) {
    std::string out;
    out += "# A kflavour flavour of this upstream kernel tree (written by kflavour new).\n";
    out += "# The resolved .config per arch is kflavour/" + f.name + "/<arch>.config.\n";
    out += "Flavour: " + f.name + "\n";
    out += (f.base.kind == BaseConfig::Kind::target ? "Base-Config: " : "Base-Config-File: ") + f.base.value + "\n";
    out += "Arches: " + join(f.arches, " ") + "\n";
    if (!f.fragment.empty()) out += "Fragment: " + f.fragment + "\n";
    if (f.rt_patch) {
        out += "# The RT patch kflavour new --rt-patch applied to this tree.\n";
        out += "Rt-Patch: " + f.rt_patch->name + "\n";
        out += "Rt-Patch-Source: " + f.rt_patch->source + "\n";
        out += "Rt-Patch-Sha256: " + f.rt_patch->sha256 + "\n";
    }
    return out;
}

std::string write_upstream_fragment(const std::string& name, const std::vector<ConfigSetting>& settings) {
    std::string out = "# Settings requested for flavour " + name +
                      " (written by kflavour new): applied on top of the\n"
                      "# base config, then make olddefconfig. Later lines win.\n";
    out += write_dot_config(effective_requests(settings));
    return out;
}

std::optional<std::string> upstream_make_arch(std::string_view debian_arch) {
    const ArchRow* row = arch_row(debian_arch);
    if (!row) return std::nullopt;
    return std::string(row->karch);
}

Result<UpstreamNewPlan> plan_upstream_new(const UpstreamLayout& layout, const UpstreamNewRequest& req,
                                          const UpstreamExisting& existing) {
    KF_TRY_STATUS(check_flavour_name(req.name));
    if (req.arches.empty()) return bad_input("no arch for flavour " + quote_input(req.name));
    for (const auto& a : req.arches)
        if (!kernel_arch(a)) return bad_input("no kernel ARCH known for Debian arch " + quote_input(a));
    UpstreamNewPlan plan;
    UpstreamFlavour& f = plan.flavour;
    f.name = req.name;
    f.arches = req.arches;
    f.base = req.base;
    f.rt_patch = req.rt_patch;
    if (req.base.kind == BaseConfig::Kind::file) {
        if (!req.base_content) return bad_input("the base config file was not read", req.base.value);
        f.base.value = layout.base_config_file(req.name).filename().string();
        plan.edits.put(layout.base_config_file(req.name), existing.base, *req.base_content);
    }
    f.fragment = layout.fragment_file(req.name).filename().string();
    plan.edits.put(layout.fragment_file(req.name), existing.fragment, write_upstream_fragment(req.name, req.settings));
    plan.edits.put(layout.flavour_file(req.name), existing.flavour, write_upstream_flavour(f));
    plan.existed = existing.flavour.has_value();
    plan.same = plan.existed && plan.edits.empty();
    if (plan.existed && !plan.same && !req.force) {
        Error e = bad_input("flavour " + quote_input(req.name) + " already exists with different settings",
                            layout.flavour_file(req.name).string());
        e.hint = "use --force to regenerate it";
        return e;
    }
    return plan;
}

}  // namespace kf
