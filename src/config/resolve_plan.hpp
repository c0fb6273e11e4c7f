// `kflavour config resolve`, the pure parts: the arch tables, the .config
// handed to Kconfig (exported config + requested settings), what the
// requested settings became after Kconfig, and the Kconfig entries that
// explain a dropped symbol. No processes here: Kconfig files come in as
// text through a reader.
#pragma once

#include "base/error.hpp"
#include "config/kconfig.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// Debian arch → kernel ARCH (amd64→x86, arm64→arm64, armhf→arm, …);
// nullopt for an arch the table doesn't know.
std::optional<std::string> kernel_arch(std::string_view debian_arch);
// An arch kflavour knows (kernel_arch has it), else bad input naming `option`.
Status check_debian_arch(std::string_view arch, std::string_view option);

// The Debian package that provides `<triplet>-gcc` (gcc-aarch64-linux-gnu).
std::string cross_gcc_package(std::string_view gnu_triplet);

// `CONFIG_X=v` / `# CONFIG_X is not set` lines, in order.
std::string write_dot_config(const std::vector<ConfigSetting>& settings);

// The exported config with `requested` applied (later settings win; new
// symbols are appended), as .config text for Kconfig.
std::string apply_requested(std::string_view exported, const std::vector<ConfigSetting>& requested);

// The requested settings, last one per symbol wins, in first-seen order.
std::vector<ConfigSetting> effective_requests(const std::vector<ConfigSetting>& requested);

// What one symbol's Kconfig entry says.
struct KconfigEntry {
    std::string file;                      // where `config X` was found (relative to the source)
    int line = 0;
    std::vector<std::string> depends;      // `depends on …` lines of the entry (and its enclosing if/menu/choice)
    std::vector<std::string> selects;      // `select …` / `imply …` lines of the entry
    std::vector<std::string> selected_by;  // "SYM (file)" for entries that `select X`
};

// Symbol name without CONFIG_ → its entry, for the symbols asked about.
struct KconfigIndex {
    std::map<std::string, KconfigEntry, std::less<>> entries;
    size_t files_read = 0;
};

// Reads Kconfig files from the top `Kconfig`, following `source`/`osource`
// (with $(SRCARCH) and $(srctree) substituted). `read` returns nullopt for a
// file that doesn't exist. Collects entries of the `wanted` symbols (names
// without CONFIG_).
using KconfigReader = std::function<std::optional<std::string>(const std::string& relative_path)>;
KconfigIndex scan_kconfig(const KconfigReader& read, std::string_view srcarch, const std::set<std::string>& wanted);

// A requested setting that did not survive Kconfig.
struct DroppedSymbol {
    std::string name;       // CONFIG_X
    std::string requested;  // "y", "n", "100", …
    std::string resolved;   // the resolved value, or "(absent)"
    const KconfigEntry* entry = nullptr;  // nullptr: no Kconfig entry found
};

struct ResolveReport {
    std::vector<DroppedSymbol> dropped;  // requested ≠ resolved, the symbol exists in Kconfig
    std::vector<std::string> unknown;    // requested symbols with no Kconfig entry at all
};

// Compare requested settings with the resolved config. `n` and absent are
// the same thing. A symbol absent from the result with no Kconfig entry in
// `index` is unknown (a warning), not dropped. Symbols absent from the
// result must be looked up in `index` (see symbols_to_look_up).
ResolveReport compare_requested(const std::vector<ConfigSetting>& requested, const DotConfig& resolved,
                                const KconfigIndex& index);

// The requested symbols (without CONFIG_) whose value didn't survive as
// asked: the only ones whose Kconfig entries we need to read.
std::set<std::string> symbols_to_look_up(const std::vector<ConfigSetting>& requested, const DotConfig& resolved);

// The error text for dropped symbols: one block per symbol.
std::string describe_dropped(const std::vector<DroppedSymbol>& dropped);

}  // namespace kf
