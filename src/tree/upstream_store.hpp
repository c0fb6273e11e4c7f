// The flavours an upstream tree keeps in <tree>/kflavour/ (written by `new`,
// layout in tree/upstream_flavour): read back for `list`, `config` and
// `build`. Missing flavours and arches are bad input with the command that
// adds them.
#pragma once

#include "base/error.hpp"
#include "config/kconfig.hpp"
#include "tree/tree.hpp"
#include "tree/upstream_flavour.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kf {

// kflavour/NAME.flavour, parsed; its Flavour: must be NAME.
Result<UpstreamFlavour> load_upstream_flavour(const Tree& tree, const std::string& name);

// Every kflavour/*.flavour of the tree, by name.
Result<std::map<std::string, UpstreamFlavour>> load_upstream_flavours(const Tree& tree);

// Bad input unless `f` lists `arch`.
Status require_upstream_arch(const Tree& tree, const UpstreamFlavour& f, const std::string& arch);

// What a stored flavour resolves from: its fragment's settings (and text)
// and its base config file's content.
struct UpstreamInputs {
    std::vector<ConfigSetting> settings;
    std::optional<std::string> fragment_text;
    std::string base_content;
};
Result<UpstreamInputs> load_upstream_inputs(const Tree& tree, const UpstreamFlavour& f);

// Where the resolved .config of (arch, flavour) is, when it has been resolved
// (`root`: the tree's top directory).
std::optional<std::filesystem::path> resolved_config_file(const std::filesystem::path& root, const std::string& arch,
                                                          const std::string& flavour);

// The flavours with a resolved .config for `arch`, sorted: what `build`
// makes when no --flavour is given.
std::vector<std::string> resolved_flavours(const std::filesystem::path& root, const std::string& arch);

// kflavour/NAME.flavour parsed, or nothing when the tree has no such file (a
// resolved config put there by hand has no record).
Result<std::optional<UpstreamFlavour>> stored_upstream_flavour(const std::filesystem::path& root,
                                                               const std::string& name);

// The resolved .config of (arch, flavour): bad input when the flavour or the
// arch is unknown or not resolved yet.
Result<std::string> upstream_resolved_config(const Tree& tree, const std::string& arch, const std::string& flavour);

}  // namespace kf
