// gzip compression with zlib (the initramfs kflavour boot writes).
#pragma once

#include "base/error.hpp"

#include <string>
#include <string_view>

namespace kf::sys {

// The gzip stream (RFC 1952) of `data`, at zlib's best compression.
Result<std::string> gzip(std::string_view data);

}  // namespace kf::sys
