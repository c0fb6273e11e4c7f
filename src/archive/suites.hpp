// What kflavour knows about a suite from its codename alone (no mirror):
// which distribution it belongs to, and what its dpkg can unpack.
#pragma once

#include "base/error.hpp"

#include <string>
#include <string_view>

namespace kf {

enum class Distro { debian, ubuntu };

// Ubuntu codenames are known by name; anything else is Debian. A pocket
// suffix ("focal-updates", "bookworm-backports") is ignored.
// A suite name as it goes into chroot names and paths: a codename
// ([a-z0-9][a-z0-9.+-]*, at most 64 characters), so it can't escape the
// cache dir ("../x") or smuggle options.
Status check_suite_name(std::string_view suite);

Distro distro_of(std::string_view suite);

// The dpkg-deb compressor `kflavour build` uses by default for packages
// meant for `suite`: zstd where that release's dpkg unpacks it (Debian
// bookworm and later, Ubuntu jammy and later), else "" (dpkg-deb's own
// default, xz). Unknown codenames get "": older is the safe guess.
std::string default_deb_compression(std::string_view suite);

// The compressors dpkg-deb -Z takes.
bool valid_deb_compression(std::string_view type);

}  // namespace kf
