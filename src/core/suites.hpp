// What kflavour knows about a suite from its codename alone (no mirror):
// which distribution it belongs to, and what its dpkg can unpack.
#pragma once

#include <string>
#include <string_view>

namespace kf {

enum class Distro { debian, ubuntu };

// Ubuntu codenames are known by name; anything else is Debian. A pocket
// suffix ("focal-updates", "bookworm-backports") is ignored.
Distro distro_of(std::string_view suite);

// The dpkg-deb compressor `kflavour build` uses by default for packages
// meant for `suite`: zstd where that release's dpkg unpacks it (Debian
// bookworm and later, Ubuntu jammy and later), else "" (dpkg-deb's own
// default, xz). Unknown codenames get "": older is the safe guess.
std::string default_deb_compression(std::string_view suite);

// The compressors dpkg-deb -Z takes.
bool valid_deb_compression(std::string_view type);

}  // namespace kf
