// Flavours of an upstream kernel tree (no debian/): a base config (a
// defconfig target such as tinyconfig, or a .config file) plus the requested
// settings, stored in the tree under kflavour/ (docs/config-resolve.md):
//
//   kflavour/NAME.flavour          what `new` recorded (this model)
//   kflavour/NAME.config           the requested settings (a Kconfig fragment)
//   kflavour/NAME.base.config      the base .config, when --base-config was a file
//   kflavour/NAME/ARCH.config      the resolved .config per Debian arch (what `build` uses)
//
// Pure: texts in, texts out; the CLI reads and writes the files.
#pragma once

#include "base/edit_set.hpp"
#include "base/error.hpp"
#include "config/kconfig.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// Where an upstream tree keeps kflavour's files.
struct UpstreamLayout {
    std::filesystem::path root;  // the kernel tree

    static constexpr const char* dir_name = "kflavour";
    std::filesystem::path dir() const { return root / dir_name; }
    std::filesystem::path flavour_file(std::string_view name) const;       // kflavour/NAME.flavour
    std::filesystem::path fragment_file(std::string_view name) const;      // kflavour/NAME.config
    std::filesystem::path base_config_file(std::string_view name) const;   // kflavour/NAME.base.config
    std::filesystem::path resolved_config(std::string_view name, std::string_view arch) const;  // kflavour/NAME/ARCH.config
};

struct BaseConfig {
    enum class Kind { target, file };
    Kind kind = Kind::target;
    std::string value;  // target: "tinyconfig"; file: its name in kflavour/ ("NAME.base.config")
};

// `--base-config X`: a file when X contains '/' or names an existing file
// (`is_file`), else a make target, which must look like one
// ([A-Za-z0-9_.-]+, not starting with '-' or '.'). For a file, `value` is
// the path as given (the CLI copies it into the tree).
Result<BaseConfig> classify_base_config(std::string_view arg, bool is_file);

// kflavour/NAME.flavour: `Field: value` lines, '#' comments and blank lines.
// Fields: Flavour, Base-Config (a target) or Base-Config-File (a file in
// kflavour/), Arches (Debian arches, blank-separated), Fragment (a file in
// kflavour/). Unknown fields and malformed lines are bad input (file:line).
// The RT patch `new --rt-patch` applied to the tree for this flavour
// (fields Rt-Patch, Rt-Patch-Source, Rt-Patch-Sha256), so that build,
// reproduce.sh and manifest.json can name it.
struct RtPatchRecord {
    std::string name;    // patch-6.1.176-rt64.patch.xz, or "series"
    std::string source;  // the directory, file or URL it came from
    std::string sha256;  // of the uncompressed patch
    bool operator==(const RtPatchRecord&) const = default;
};

struct UpstreamFlavour {
    std::string name;
    BaseConfig base;
    std::vector<std::string> arches;
    std::string fragment;  // "NAME.config"
    std::optional<RtPatchRecord> rt_patch;
};

Result<UpstreamFlavour> parse_upstream_flavour(std::string_view text, const std::string& file);
std::string write_upstream_flavour(const UpstreamFlavour& flavour);

// The fragment file: a comment header, then the settings (last one per
// symbol wins, first-seen order) in .config syntax.
std::string write_upstream_fragment(const std::string& name, const std::vector<ConfigSetting>& settings);

// The make ARCH for a Debian arch on an upstream tree: like kernel_arch(),
// except amd64 → x86_64 and i386 → i386, so that defconfig targets
// (tinyconfig, defconfig) pick the right word size whatever the build host.
std::optional<std::string> upstream_make_arch(std::string_view debian_arch);

// The files of `kflavour new` on an upstream tree, without the resolved
// configs (the CLI adds those after Kconfig ran).
struct UpstreamNewRequest {
    std::string name;
    BaseConfig base;                          // file: value is the path of the given file
    std::optional<std::string> base_content;  // file: its content
    std::vector<std::string> arches;
    std::vector<ConfigSetting> settings;      // definition, --fragment files, --set: in that order
    std::optional<RtPatchRecord> rt_patch;    // --rt-patch: what was applied (or found applied)
    bool force = false;
};

// What is in the tree now: the contents of the three files (nullopt: absent).
struct UpstreamExisting {
    std::optional<std::string> flavour, fragment, base;
};

struct UpstreamNewPlan {
    UpstreamFlavour flavour;
    EditSet edits;
    bool existed = false;   // the flavour file was there
    bool same = false;      // ... and the plan writes the same bytes
};

// Errors: invalid name, no arches, an existing flavour with other settings
// without `force` (bad input naming the flavour file).
Result<UpstreamNewPlan> plan_upstream_new(const UpstreamLayout& layout, const UpstreamNewRequest& request,
                                          const UpstreamExisting& existing);

}  // namespace kf
