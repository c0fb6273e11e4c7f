#include "boot/initramfs.hpp"

#include "base/fs.hpp"

#include "archive/gzip.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace kf::sys {

namespace {

// `inside` (an absolute path in the root) on the host, with symlinks such as
// the merged-/usr /bin -> usr/bin resolved; a link pointing out of the root
// (an absolute target) counts as missing rather than reading the host's file.
std::optional<fs::path> in_root(const fs::path& root, const fs::path& inside) {
    std::error_code ec;
    fs::path host = fs::weakly_canonical(root / inside.relative_path(), ec);
    fs::path canonical_root = fs::weakly_canonical(root, ec);
    if (ec || !fs::exists(host, ec)) return std::nullopt;
    auto rel = host.lexically_relative(canonical_root);
    if (rel.empty() || *rel.begin() == "..") return std::nullopt;
    return host;
}

uint32_t permissions_of(const fs::path& p) {
    std::error_code ec;
    return uint32_t(fs::status(p, ec).permissions()) & 07777;
}

Status check_busybox(const std::string& bytes, const BootArch& arch, const fs::path& file) {
    auto elf = read_elf(bytes);
    if (!elf || elf->machine != arch.elf_machine || elf->dynamic) {
        Error e = failure("the chroot's /bin/busybox is not a static " + arch.debian_arch + " program", file.string());
        e.hint = "the chroot must be of the set's arch with busybox-static installed: let kflavour boot create it "
                 "(no --chroot), or kflavour chroot create SUITE --arch " + arch.debian_arch +
                 " --include busybox-static";
        return e;
    }
    return ok_status();
}

// The modules tree, files and directories; symlinks (build, source: into
// the build machine's tree) are left out.
Result<size_t> add_modules(const fs::path& dir, const std::string& prefix, std::vector<CpioEntry>& entries) {
    size_t files = 0;
    std::error_code ec;
    std::vector<fs::directory_entry> children;
    for (const auto& e : fs::directory_iterator(dir, ec)) children.push_back(e);
    if (ec) return failure("cannot list: " + ec.message(), dir.string());
    std::sort(children.begin(), children.end());
    for (const auto& e : children) {
        const std::string path = prefix + "/" + e.path().filename().string();
        if (e.is_symlink(ec)) continue;
        if (e.is_directory(ec)) {
            entries.push_back(CpioEntry::directory(path, permissions_of(e.path())));
            KF_TRY(size_t n, add_modules(e.path(), path, entries));
            files += n;
        } else if (e.is_regular_file(ec)) {
            KF_TRY(std::string bytes, read_made_file(e.path()));
            entries.push_back(CpioEntry::file(path, std::move(bytes), permissions_of(e.path())));
            ++files;
        }
    }
    return files;
}

}  // namespace

Result<Initramfs> collect_initramfs(const fs::path& root, const std::string& release, const BootArch& arch,
                                    const std::string& init) {
    Initramfs out;
    auto& entries = out.entries;
    for (const char* d : {"bin", "dev", "proc", "sys", "boot", "lib", "lib/modules"})
        entries.push_back(CpioEntry::directory(d));
    // The kernel opens /dev/console for init's stdio before devtmpfs is mounted.
    entries.push_back(CpioEntry::char_device("dev/console", 5, 1));
    auto busybox = in_root(root, "/bin/busybox");
    if (!busybox) {
        Error e = failure("the chroot has no /bin/busybox", root.string());
        e.hint = "kflavour boot needs busybox-static in the chroot: kflavour chroot create SUITE --arch " +
                 arch.debian_arch + " --include busybox-static (or let kflavour boot create one: no --chroot)";
        return e;
    }
    KF_TRY(std::string bb, read_made_file(*busybox));
    KF_TRY_STATUS(check_busybox(bb, arch, *busybox));
    entries.push_back(CpioEntry::file("bin/busybox", std::move(bb), 0755));
    entries.push_back(CpioEntry::file("init", init, 0755));
    if (auto config = in_root(root, "/boot/config-" + release)) {
        KF_TRY(std::string text, read_made_file(*config));
        entries.push_back(CpioEntry::file("boot/config-" + release, std::move(text)));
        out.has_config = true;
    }
    if (auto modules = in_root(root, "/lib/modules/" + release)) {
        const std::string prefix = "lib/modules/" + release;
        entries.push_back(CpioEntry::directory(prefix));
        KF_TRY(out.module_files, add_modules(*modules, prefix, entries));
    }
    return out;
}

Status write_initramfs(const Initramfs& initramfs, const fs::path& file) {
    KF_TRY(std::string gz, gzip(cpio_newc(initramfs.entries)));
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << gz;
    if (!out.flush()) return failure(std::string("cannot write: ") + std::strerror(errno), file.string());
    return ok_status();
}

}  // namespace kf::sys
