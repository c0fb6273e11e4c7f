// The OS seam: what kflavour's behaviour depends on besides files and
// processes (those are fs.hpp's and process.hpp's). Everything that reads the
// environment, asks who runs it, what time it is or what the machine's arch
// is asks an Os, so tests steer it with a FakeOs instead of setenv, and run
// the root and the unprivileged paths alike.
#pragma once

#include "base/error.hpp"

#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kf::sys {

class Os {
public:
    virtual ~Os() = default;
    // An environment variable; nothing when unset. (Set but empty is "".)
    virtual std::optional<std::string> env(std::string_view name) const = 0;
    // kflavour runs as root (effective uid 0).
    virtual bool is_root() const = 0;
    // The wall clock, for dates written into files (changelogs, manifests).
    virtual std::time_t now() const = 0;
    // The local time zone's offset from UTC at `t`, in minutes (changelog dates).
    virtual int utc_offset_minutes(std::time_t t) const = 0;
    // The machine's Debian arch: $KFLAVOUR_NATIVE_ARCH when set, else libdpkg's.
    virtual std::string native_arch() const = 0;
    // The running program's own file (/proc/self/exe), to run it again.
    virtual std::filesystem::path executable() const = 0;
    // The CPUs this process may use, at least 1 (build's default -j).
    virtual unsigned cpu_count() const = 0;

    // An environment variable that is set and not empty.
    std::optional<std::string> env_nonempty(std::string_view name) const;
};

// The machine kflavour runs on.
const Os& system_os();

// $SOURCE_DATE_EPOCH (reproducible builds): seconds since 1970, or nothing
// when unset or empty. A value that is no count of seconds is bad input,
// never read as 0 (a 1970 date).
Result<std::optional<long long>> source_date_epoch(const Os& os);

// ${XDG_CACHE_HOME:-$HOME/.cache}/kflavour.
std::filesystem::path kflavour_cache_dir(const Os& os);
// The chroot cache: ${KFLAVOUR_CHROOT_DIR:-kflavour_cache_dir()/chroots}.
std::filesystem::path chroot_cache_dir(const Os& os);
// ccache's directory for builds: ${KFLAVOUR_CCACHE_DIR:-kflavour_cache_dir()/ccache}.
std::filesystem::path build_ccache_dir(const Os& os);

}  // namespace kf::sys
