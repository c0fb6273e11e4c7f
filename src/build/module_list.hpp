// Quick builds (`build --modules-from FILE`): the module list of the target
// machine, and what the kernel's `make localmodconfig` needs and leaves.
// Pure: text in, text out.
#pragma once

#include "base/error.hpp"
#include "tree/annotations.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// MODULE_NAME_LEN - 1 in the kernel.
inline constexpr size_t kMaxModuleName = 55;

// `lsmod` output (a "Module  Size  Used by" header, then one module per
// line) or one module name per line; '#' comments and blank lines are
// skipped. Names are the kernel's ([A-Za-z0-9_-]), '-' read as '_' as the
// kernel does; repeats are dropped. An empty list or a bad name is bad
// input naming file:line.
Result<std::vector<std::string>> parse_module_list(std::string_view text, const std::string& file);

// The file given to localmodconfig as LSMOD: lsmod's layout.
std::string lsmod_text(const std::vector<std::string>& modules);

// The objects a kbuild Makefile builds under a config symbol
// (`obj-$(CONFIG_FOO) += foo.o bar-baz.o` gives foo, bar_baz), with
// continuation lines joined: what localmodconfig maps modules through.
std::set<std::string> kbuild_module_objects(std::string_view makefile);

// The shell check run after localmodconfig: every setting of `requested`
// (a Kconfig fragment) still holds in the reduced .config ($1), else it
// names each dropped symbol and fails.
std::string quick_check_script(std::string_view requested);

// What an Ubuntu flavour asks for on `arch`, as a Kconfig fragment for
// quick_check_script: its own `arch-flavour` keys whose value differs from
// another flavour's of that arch (the arch's own value when it is the only
// one). Keys a new flavour copied from its base stay out, so the check
// holds the reduction to what the definition changed, as with upstream.
std::string ubuntu_requested_fragment(const Annotations& notes, std::string_view arch, std::string_view flavour);

// The package version of a quick set: V+quick (it must not pass for the full flavour).
std::string quick_version(const std::string& version);

}  // namespace kf
