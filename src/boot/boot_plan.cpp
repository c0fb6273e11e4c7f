#include "boot/boot_plan.hpp"

#include "base/arch.hpp"
#include "base/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace kf {

namespace {

constexpr uint32_t kPtInterp = 3;

// The qemu that boots an arch kflavour boots (a row of the arch table).
std::string qemu_system(std::string_view debian_arch) { return "qemu-system-" + std::string(arch_row(debian_arch)->qemu); }

bool is_image_package(const std::string& package) {
    // Debian's linux-image-A-signed-template holds the input of a signing
    // service, not a kernel.
    return package.starts_with("linux-image-") && !package.ends_with("-dbg") && !package.ends_with("-dbgsym") &&
           !package.ends_with("-signed-template");
}

template <typename T>
T little_endian(std::string_view bytes, size_t at) {
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= T(T(static_cast<unsigned char>(bytes[at + i])) << (8 * i));
    return v;
}

}  // namespace

Result<BootArch> boot_arch(const std::string& debian_arch) {
    if (debian_arch == "amd64")
        return BootArch{"amd64", qemu_system("amd64"), {}, "ttyS0", "reboot", arch_row("amd64")->elf_machine};
    if (debian_arch == "arm64")
        return BootArch{"arm64", qemu_system("arm64"), {"-M", "virt", "-cpu", "cortex-a57"}, "ttyAMA0", "poweroff",
                        arch_row("arm64")->elf_machine};
    Error e = bad_input("kflavour boot does not know how to boot " + debian_arch + " kernels");
    e.hint = "supported: amd64 (" + qemu_system("amd64") + "), arm64 (" + qemu_system("arm64") + ")";
    return e;
}

std::optional<DebFile> parse_deb_filename(std::string_view name) {
    if (!name.ends_with(".deb")) return std::nullopt;
    std::string_view stem = name.substr(0, name.size() - 4);
    auto first = stem.find('_');
    auto last = stem.rfind('_');
    if (first == std::string_view::npos || first == last || first == 0 || last + 1 == stem.size())
        return std::nullopt;
    return DebFile{std::string(name), std::string(stem.substr(0, first)),
                   std::string(stem.substr(first + 1, last - first - 1)), std::string(stem.substr(last + 1))};
}

Result<DebSet> classify_debs(const std::vector<std::string>& filenames, const std::string& want_arch) {
    DebSet set;
    std::vector<DebFile> debs;
    for (const auto& f : filenames)
        if (auto d = parse_deb_filename(f)) debs.push_back(*d);
    std::sort(debs.begin(), debs.end(), [](const DebFile& a, const DebFile& b) { return a.file < b.file; });
    for (const auto& d : debs)
        if (is_image_package(d.package) && (want_arch.empty() || d.arch == want_arch)) set.images.push_back(d);
    if (set.images.empty()) {
        std::string what = want_arch.empty() ? "no linux-image-*.deb" : "no linux-image-*_" + want_arch + ".deb";
        Error e = bad_input(what + " among the " + std::to_string(debs.size()) + " .deb file(s)");
        e.hint = "DIR must hold a kernel set as written by kflavour build or make bindeb-pkg";
        return e;
    }
    set.arch = set.images.front().arch;
    for (const auto& img : set.images)
        if (img.arch != set.arch)
            return bad_input("the set has kernel images for several arches (" + set.arch + ", " + img.arch +
                             "): pass --arch");
    for (const auto& d : debs) {
        if (is_image_package(d.package) && d.arch == set.arch) continue;
        bool same_arch = d.arch == set.arch || d.arch == "all";
        (same_arch && !d.package.starts_with("linux-image-") ? set.others : set.skipped).push_back(d);
    }
    return set;
}

std::string install_script(const DebSet& set, const std::string& dir) {
    std::string debs, packages;
    for (const auto* list : {&set.images, &set.others})
        for (const auto& d : *list) {
            debs += " " + shell_quote(dir + "/" + d.file);
            packages += " " + shell_quote(d.package);
        }
    // One dpkg call, so packages of the set that depend on each other are
    // configured in the right order; what stays unconfigured is not
    // installable here (a dependency outside the set) and is purged.
    // The root is thrown away afterwards: no fsync per file (unsafe-io).
    return "export COLUMNS=200\n"
           "dpkg --force-unsafe-io -i" + debs + " || echo '" + std::string(kBootMarker) + "dpkg -i failed'\n"
           "for p in" + packages + "; do\n"
           "  case \"$(dpkg-query -W -f='${db:Status-Abbrev}' \"$p\" 2>/dev/null)\" in\n"
           "    ii*) ;;\n"
           "    *) echo \"" + std::string(kNotInstalledMarker) + "$p\"; dpkg --purge --force-depends \"$p\" >/dev/null 2>&1 || true ;;\n"
           "  esac\n"
           "done\n"
           "echo '" + std::string(kBootMarker) + "dpkg -l'\n"
           "dpkg -l\n";
}

std::vector<std::string> not_installed(std::string_view install_output) {
    std::vector<std::string> out;
    for (std::string_view line : split_lines(install_output))
        if (line.starts_with(kNotInstalledMarker)) out.emplace_back(trim(line.substr(kNotInstalledMarker.size())));
    return out;
}

Result<std::string> installed_release(const std::vector<std::string>& boot_files, const DebSet& set) {
    std::vector<std::string> releases, named;
    for (const auto& f : boot_files)
        if (f.starts_with("vmlinuz-") && f.size() > 8) releases.push_back(f.substr(8));
    std::sort(releases.begin(), releases.end());
    for (const auto& r : releases)
        for (const auto& img : set.images)
            if (img.package.ends_with("-" + r)) named.push_back(r);
    if (named.size() == 1) return named.front();
    if (named.empty() && releases.size() == 1) return releases.front();
    if (releases.empty()) return failure("the installed set put no /boot/vmlinuz-* in the root");
    return failure("cannot tell which kernel to boot: /boot has vmlinuz-" + join(releases, ", vmlinuz-"));
}

std::vector<std::string> install_problems(std::string_view install_output) {
    std::vector<std::string> out;
    for (std::string_view line : split_lines(install_output)) {
        if (line.starts_with(kBootMarker)) continue;
        const bool complaint = line.find("error") != std::string_view::npos ||
                               line.find("depends on") != std::string_view::npos ||
                               line.find("is not installed") != std::string_view::npos;
        if (complaint) out.emplace_back(trim(line));
    }
    return out;
}

std::vector<InstalledPackage> parse_dpkg_list(std::string_view text) {
    std::vector<InstalledPackage> out;
    for (std::string_view line : split_lines(text)) {
        // Rows start with the two-letter state; the header and its "+++-" rule do not.
        if (line.size() < 4 || !std::islower(static_cast<unsigned char>(line[0])) || line[2] != ' ') continue;
        auto words = split_words(line);
        if (words.size() < 4 || words[0].size() < 2 || words[0].size() > 3) continue;
        std::string name = words[1];
        out.push_back({words[0], name.substr(0, name.find(':')), words[2], words[3]});
    }
    return out;
}

std::string init_script(const InitSpec& spec) {
    const std::string m(kBootMarker);
    const std::string config = shell_quote("/boot/config-" + spec.release);
    std::string s =
        "#!/bin/busybox sh\n"
        "# Written by kflavour boot: report the running kernel on the console, then end the VM.\n"
        "bb=/bin/busybox\n"
        "$bb mount -t proc proc /proc\n"
        "$bb mount -t sysfs sysfs /sys\n"
        "$bb dmesg -n 1 2>/dev/null  # keep kernel messages out of the report\n"
        "echo '" + m + "begin'\n"
        "echo \"" + m + "release $($bb uname -r)\"\n"
        "echo \"" + m + "cmdline $($bb cat /proc/cmdline)\"\n"
        "echo \"" + m + "version $($bb uname -v)\"\n"
        "if [ -r /sys/kernel/realtime ]; then echo \"" + m + "realtime $($bb cat /sys/kernel/realtime)\"; "
        "else echo '" + m + "realtime absent'; fi\n"
        "if [ -r /proc/config.gz ]; then\n"
        "    source=/proc/config.gz; config() { $bb zcat /proc/config.gz; }\n"
        "elif [ -r " + config + " ]; then\n"
        "    source=" + config + "; config() { $bb cat " + config + "; }\n"
        "else\n"
        "    source=none; config() { :; }\n"
        "fi\n"
        "echo \"" + m + "config-source $source\"\n"
        "report() {\n"
        "    line=$(config | $bb grep -m 1 \"^$1=\")\n"
        "    if [ -n \"$line\" ]; then echo \"" + m + "config $line\"; else echo \"" + m + "config $1 is not set\"; fi\n"
        "}\n";
    for (const auto& symbol : spec.symbols) s += "report " + shell_quote(symbol) + "\n";
    s += "echo '" + m + "end'\n"
         "$bb " + spec.halt_applet + " -f\n";
    return s;
}

std::vector<std::string> qemu_argv(const QemuSpec& spec) {
    std::vector<std::string> argv{spec.qemu};
    argv.insert(argv.end(), spec.arch.machine.begin(), spec.arch.machine.end());
    std::string append = "console=" + spec.arch.console + " panic=-1";
    if (!trim(spec.cmdline).empty()) append += " " + std::string(trim(spec.cmdline));
    const std::vector<std::string> rest{"-accel", spec.accel, "-m", std::to_string(spec.memory_mib), "-nographic",
                                        "-no-reboot", "-kernel", spec.kernel, "-initrd", spec.initrd, "-append", append};
    argv.insert(argv.end(), rest.begin(), rest.end());
    return argv;
}

std::optional<BootElf> read_elf(std::string_view bytes) {
    constexpr size_t kHeaderSize = 64, kPhdrMin = 56;
    if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != "\x7f" "ELF" || bytes[4] != 2 /*64-bit*/ ||
        bytes[5] != 1 /*little-endian*/)
        return std::nullopt;
    BootElf info;
    info.machine = little_endian<uint16_t>(bytes, 18);
    const auto phoff = little_endian<uint64_t>(bytes, 32);
    const auto phentsize = little_endian<uint16_t>(bytes, 54);
    const auto phnum = little_endian<uint16_t>(bytes, 56);
    if (phentsize < kPhdrMin) return std::nullopt;
    for (uint64_t i = 0; i < phnum; ++i) {
        const uint64_t at = phoff + i * phentsize;
        if (at + kPhdrMin > bytes.size()) return std::nullopt;
        if (little_endian<uint32_t>(bytes, size_t(at)) == kPtInterp) info.dynamic = true;
    }
    return info;
}

}  // namespace kf
