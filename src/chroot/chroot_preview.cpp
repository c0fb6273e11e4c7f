#include "chroot/chroot_preview.hpp"

namespace kf::sys {

CreatePreview preview_create(const ChrootSpec& spec, const std::filesystem::path& cache,
                             const std::string& sources_template) {
    CreatePreview preview;
    const auto paths = chroot_paths(cache, spec.name);
    if (auto k = check_keyring(spec); !k.ok()) preview.keyring_problem = k.error();
    // The rule create_chroot follows: an Ubuntu suite gets its own sources file.
    const bool sources_file = distro_of(spec.suite) == Distro::ubuntu;
    if (sources_file)
        preview.text += "# " + paths.sources.string() + "\n" + ubuntu_sources(spec, sources_template) + "\n";
    preview.text += mmdebstrap_command(spec, paths.partial, sources_file ? paths.sources : std::filesystem::path())
                        .to_shell() +
                    "\n# then rename to " + paths.tarball.string() + "\n";
    return preview;
}

}  // namespace kf::sys
