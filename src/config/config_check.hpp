// `kflavour config check`: does a .config agree with the annotations?
// The comparison is pure (the expected settings and the file as data);
// check_config_file reads the file first.
#pragma once

#include "config/kconfig.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// Symbols describing the toolchain that ran Kconfig, not the kernel's
// configuration: never compared (docs/config-resolve.md lists them).
const std::vector<std::string>& toolchain_identity_symbols();
bool is_toolchain_identity(std::string_view name);
// An extended regexp matching the .config lines (set or "is not set") that
// name the toolchain, and the Rust probes: Rust is there or not on the
// machine that resolved, independent of the kernel (a requested RUST=y
// still shows when it goes). The build's config check leaves them out.
std::string toolchain_lines_regex();
// CC_HAS_*, AS_HAS_*, LD_HAS_*, … : capabilities Kconfig probed in the
// compiler. Compared, but reported apart as toolchain-dependent.
bool is_toolchain_capability(std::string_view name);

struct ConfigMismatch {
    std::string name;      // CONFIG_X
    std::string expected;  // from the annotations ("-" or "(absent)" when none)
    std::string actual;    // in the file ("(absent)" when missing)
};

struct CheckResult {
    std::vector<ConfigMismatch> mismatches;          // real disagreements
    std::vector<ConfigMismatch> toolchain_dependent;  // CC_HAS_* and the like
    size_t compared = 0;
    bool ok() const { return mismatches.empty() && toolchain_dependent.empty(); }
};

// `expected`: the annotations' settings for (A, F) (values may be '-');
// `actual`: the file. n and absent are equal; a symbol the annotations
// don't mention but the file sets to something other than n mismatches.
CheckResult check_config(const std::vector<ConfigSetting>& expected, const DotConfig& actual);

// check_config on the .config at `file` (`config check --file`).
Result<CheckResult> check_config_file(const std::vector<ConfigSetting>& expected, const std::filesystem::path& file);

// Aligned "symbol  expected  actual" table.
std::string describe_mismatches(const std::vector<ConfigMismatch>& list);

}  // namespace kf
