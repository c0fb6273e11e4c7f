// What `chroot create --dry-run` shows instead of creating: the same
// decisions create_chroot makes, as text.
#pragma once

#include "base/error.hpp"
#include "chroot/chroot.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace kf::sys {

struct CreatePreview {
    // For an Ubuntu suite the sources file it would write, then mmdebstrap's
    // command line and the rename that makes the chroot.
    std::string text;
    // A keyring mmdebstrap would not find (the create itself would fail).
    std::optional<Error> keyring_problem;
};

// `spec` must be named (default_name); `sources_template` is sources_template()'s.
CreatePreview preview_create(const ChrootSpec& spec, const std::filesystem::path& cache,
                             const std::string& sources_template);

}  // namespace kf::sys
