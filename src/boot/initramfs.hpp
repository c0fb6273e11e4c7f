// The initramfs kflavour boot hands to qemu: a static busybox, the set's
// modules and config, and the generated /init, read from the scratch root
// the set was installed into.
#pragma once

#include "boot/boot_plan.hpp"
#include "boot/cpio.hpp"
#include "base/error.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kf::sys {

struct Initramfs {
    std::vector<CpioEntry> entries;
    size_t module_files = 0;  // files under lib/modules/<release>
    bool has_config = false;  // boot/config-<release> included
};

// /init, dev/console, proc, sys, bin/busybox (the root's /bin/busybox, which
// must be a static ELF for `arch`: else a failure naming busybox-static),
// boot/config-<release> and lib/modules/<release> when the root has them.
Result<Initramfs> collect_initramfs(const std::filesystem::path& root, const std::string& release,
                                    const BootArch& arch, const std::string& init);

// cpio_newc + gzip, written to `file`.
Status write_initramfs(const Initramfs& initramfs, const std::filesystem::path& file);

}  // namespace kf::sys
