#include "verify/verify_rules.hpp"

#include "base/arch.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <map>

namespace kf {
namespace {

// Prefixes of package names that carry a kernel release, longest first so
// that "linux-image-unsigned-" wins over "linux-image-".
constexpr std::string_view release_prefixes[] = {
    "linux-image-unsigned-", "linux-modules-extra-", "linux-cloud-tools-", "linux-buildinfo-",
    "linux-modules-",        "linux-headers-",       "linux-image-",       "linux-tools-",
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Ubuntu's ABI "5.4.0-200" (digits.digits.digits-digits) at the start of
// `s`: its length, or 0.
size_t ubuntu_abi_length(std::string_view s) {
    size_t i = 0;
    for (char sep : {'.', '.', '-', '\0'}) {
        const size_t start = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == start) return 0;
        if (sep == '\0') return i;
        if (i >= s.size() || s[i] != sep) return 0;
        ++i;
    }
    return 0;
}
bool is_ubuntu_abi(std::string_view s) { return !s.empty() && ubuntu_abi_length(s) == s.size(); }

// A release is the ABI plus "-flavour" ([a-z][a-z0-9.+-]*): the ABI, or "".
std::string ubuntu_release_abi(std::string_view r) {
    const size_t n = ubuntu_abi_length(r);
    if (n == 0 || n + 1 >= r.size() || r[n] != '-' || !(r[n + 1] >= 'a' && r[n + 1] <= 'z')) return "";
    for (char c : r.substr(n + 1))
        if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '+' || c == '-')) return "";
    return std::string(r.substr(0, n));
}

// The release a package name carries, or "" (linux-libc-dev, linux-headers-V, …).
std::string release_of(std::string_view name) {
    for (std::string_view prefix : release_prefixes) {
        if (!name.starts_with(prefix)) continue;
        std::string rest(name.substr(prefix.size()));
        if (prefix == "linux-image-" && rest.ends_with("-dbg")) rest.resize(rest.size() - 4);
        // Debian: linux-image-6.1.0-53-amd64-unsigned (a flavour whose image is signed later).
        if (prefix == "linux-image-" && rest.ends_with("-unsigned")) rest.resize(rest.size() - 9);
        // linux-tools-common, linux-tools-host, linux-headers-V: arch-all or shared, not a release.
        if (rest.empty() || rest == "common" || rest == "host" || is_ubuntu_abi(rest)) return "";
        // Debian: linux-headers-6.1.0-53-common[-rt] (arch-all, per featureset) and
        // linux-image-arm64-signed-template (the input of the signed packages' build).
        if (const size_t n = ubuntu_abi_length(rest); n > 0 && rest.substr(n).starts_with("-common")) return "";
        if (rest.ends_with("-signed-template")) return "";
        return rest;
    }
    return "";
}

bool has(const std::set<std::string>& names, const std::string& name) { return names.count(name) > 0; }

// The version every package of the set should have: the image's.
std::string reference_version(const std::vector<DebPackage>& set, std::string* from) {
    for (const auto& p : set)
        if (p.name.starts_with("linux-image-") && !p.name.ends_with("-dbg")) {
            *from = p.name;
            return p.version;
        }
    std::map<std::string, int> count;
    for (const auto& p : set) ++count[p.version];
    auto best = std::max_element(count.begin(), count.end(), [](auto& a, auto& b) { return a.second < b.second; });
    *from = "most packages";
    return best == count.end() ? "" : best->first;
}

bool is_firmware(std::string_view path) {
    return path.starts_with("/lib/firmware/") || path.starts_with("/usr/lib/firmware/");
}

// The kernel's compat vDSO images (`make vdso_install`: vdso32.so, vdsox32.so
// next to the native one) are for the 32-bit ABIs the host runs: i386 and
// x32 on amd64, arm on arm64. They are right for the host, not misbuilt.
bool is_compat_vdso(std::string_view path, const ElfInfo& elf, const std::string& host) {
    const auto vdso = path.find("/vdso/");
    if (vdso == std::string_view::npos || path.find("/modules/") == std::string_view::npos || !path.ends_with(".so"))
        return false;
    if (elf.is64) return false;
    const ArchRow* row = arch_row(host);
    if (!row) return false;
    const auto& compat = row->compat_vdso_machines;
    return std::find(compat.begin(), compat.end(), elf.machine) != compat.end();
}

// "/lib/modules/REL/…" -> REL.
std::string module_dir_release(std::string_view path) {
    size_t at = path.find("/modules/");
    if (at == std::string_view::npos) return "";
    std::string_view rest = path.substr(at + 9);
    return std::string(rest.substr(0, rest.find('/')));
}

}  // namespace

std::vector<KernelRelease> kernel_releases(const std::vector<DebPackage>& set) {
    std::set<std::string> seen;
    for (const auto& p : set)
        if (auto r = release_of(p.name); !r.empty()) seen.insert(r);
    // Debian's packaging builds linux-kbuild-M.m with every flavour; Ubuntu's
    // releases have the same ABI shape.
    const bool debian = std::any_of(set.begin(), set.end(), [](const DebPackage& p) { return p.name.starts_with("linux-kbuild-"); });
    std::vector<KernelRelease> out;
    for (const auto& r : seen) {
        KernelRelease k{r, false, false, ""};
        if (std::string abi = ubuntu_release_abi(r); !abi.empty()) {
            (debian ? k.debian : k.ubuntu) = true;
            k.abi = abi;
        }
        out.push_back(k);
    }
    return out;
}

namespace {

// Debian: linux-headers-R depends on its featureset's arch-all
// linux-headers-ABI-common[-FS] and on linux-kbuild-M.m (Debian's gencontrol).
template <typename Need>
void need_debian(const KernelRelease& k, Need& need, const std::set<std::string>& names) {
    const std::string& r = k.release;
    need("linux-headers-" + r, "a build of flavour " + r + " makes its headers");
    if (!has(names, "linux-headers-" + r)) return;
    const std::string after = r.substr(k.abi.size());  // -amd64, -rt-arm64
    const std::string common = "linux-headers-" + k.abi + "-common" + (after.starts_with("-rt-") ? "-rt" : "");
    need(common, "linux-headers-" + r + " depends on it");
    const auto dot = k.abi.find('.', k.abi.find('.') + 1);
    need("linux-kbuild-" + k.abi.substr(0, dot), "linux-headers-" + r + " depends on it");
}

}  // namespace

std::vector<Finding> check_complete(const std::vector<DebPackage>& set) {
    std::set<std::string> names;
    for (const auto& p : set) names.insert(p.name);
    std::vector<Finding> out;
    auto need = [&](const std::string& name, const std::string& why) {
        if (!has(names, name)) out.push_back({name, Check::complete, "missing from the set: " + why});
    };
    auto releases = kernel_releases(set);
    if (releases.empty()) out.push_back({"(set)", Check::complete, "no kernel image, modules or headers package in the set"});
    bool upstream = false;
    for (const auto& k : releases) {
        const std::string& r = k.release;
        const std::string image = "linux-image-" + r, unsigned_image = "linux-image-unsigned-" + r;
        if (!has(names, image) && !has(names, unsigned_image) && !has(names, image + "-unsigned"))
            out.push_back({image, Check::complete,
                           "missing from the set: release " + r + " has no kernel image package" +
                               (k.ubuntu ? " (" + image + " or " + unsigned_image + ")" : "")});
        if (k.ubuntu) {
            need("linux-modules-" + r, "the image of " + r + " depends on it");
            need("linux-headers-" + r, "a build of flavour " + r + " makes its headers");
            if (has(names, "linux-headers-" + r)) need("linux-headers-" + k.abi, "linux-headers-" + r + " depends on it (binary-headers)");
            if (has(names, "linux-tools-" + r)) need("linux-tools-" + k.abi, "linux-tools-" + r + " depends on it (binary-perarch)");
            if (has(names, "linux-cloud-tools-" + r))
                need("linux-cloud-tools-" + k.abi, "linux-cloud-tools-" + r + " depends on it (binary-perarch)");
        } else if (k.debian) {
            need_debian(k, need, names);
        } else {
            upstream = true;
            need("linux-headers-" + r, "make bindeb-pkg builds it with linux-image-" + r);
        }
    }
    if (upstream) need("linux-libc-dev", "make bindeb-pkg builds it with the image");

    std::string from;
    const std::string version = reference_version(set, &from);
    for (const auto& p : set)
        if (p.version != version)
            out.push_back({p.name, Check::complete, "version " + p.version + " differs from " + version + " (" + from + ")"});
    return out;
}

std::string native_arch_of(const std::vector<DebPackage>& set) {
    for (const auto& p : set)
        if (p.name.starts_with("linux-image-") && p.architecture != "all") return p.architecture;
    std::map<std::string, int> count;
    for (const auto& p : set)
        if (p.architecture != "all") ++count[p.architecture];
    auto best = std::max_element(count.begin(), count.end(), [](auto& a, auto& b) { return a.second < b.second; });
    return best == count.end() ? "" : best->first;
}

std::vector<Finding> check_cpu(const DebPackage& package, const std::string& host) {
    std::vector<Finding> out;
    if (package.architecture != host && package.architecture != "all")
        out.push_back({package.name, Check::cpu, "Architecture: " + package.architecture + " in a set for " + host});
    for (const auto& f : package.files) {
        if (f.image_arch) {
            if (f.image_arch->empty())
                out.push_back({package.name, Check::cpu, f.path + ": not a kernel image kflavour recognizes"});
            else if (*f.image_arch != host)
                out.push_back({package.name, Check::cpu, f.path + ": a kernel for " + *f.image_arch + ", not " + host});
        } else if (f.elf && !is_firmware(f.path) && !elf_runs_on(*f.elf, host) && !is_compat_vdso(f.path, *f.elf, host)) {
            out.push_back({package.name, Check::cpu, f.path + ": ELF for " + elf_machine_name(*f.elf) + ", not " + host});
        }
    }
    return out;
}

std::set<std::string> image_releases(const std::vector<DebPackage>& set) {
    std::set<std::string> out;
    for (const auto& p : set)
        for (const auto& f : p.files)
            if (is_kernel_image_path(f.path)) out.insert(f.path.substr(std::string_view("/boot/vmlinuz-").size()));
    return out;
}

std::vector<Finding> check_consistent(const DebPackage& package, const std::set<std::string>& images) {
    std::vector<Finding> out;
    if (package.md5sums) {
        std::map<std::string_view, const MemberFacts*> by_path;
        for (const auto& f : package.files) by_path[f.path] = &f;
        for (std::string_view line : split_lines(*package.md5sums)) {
            // "<md5>  <path>", the path relative to /.
            if (trim(line).empty()) continue;
            size_t space = line.find(' ');
            if (space != 32 || line.size() < 35) {
                out.push_back({package.name, Check::consistent, "DEBIAN/md5sums: malformed line: " + std::string(line)});
                continue;
            }
            std::string path = "/" + std::string(trim(line.substr(34)));
            auto it = by_path.find(path);
            if (it == by_path.end())
                out.push_back({package.name, Check::consistent, path + ": in DEBIAN/md5sums but not in the package"});
            else if (it->second->md5 != line.substr(0, 32))
                out.push_back({package.name, Check::consistent, path + ": md5sum differs from DEBIAN/md5sums"});
        }
    }
    for (const auto& f : package.files) {
        if (!is_module_path(f.path)) continue;
        const std::string installed_for = module_dir_release(f.path);
        if (!f.vermagic) {
            out.push_back({package.name, Check::consistent, f.path + ": no vermagic in .modinfo"});
            continue;
        }
        const std::string release = vermagic_release(*f.vermagic);
        if (release != installed_for)
            out.push_back({package.name, Check::consistent,
                           f.path + ": vermagic says " + release + ", but it is installed for " + installed_for});
        else if (!images.empty() && !images.count(release))
            out.push_back({package.name, Check::consistent, f.path + ": vermagic " + release + " matches no kernel image in the set"});
    }
    return out;
}

namespace {

bool is_image_package(const DebPackage& p) {
    return p.name.starts_with("linux-image-") && !p.name.ends_with("-dbg") && !p.name.ends_with("-signed-template");
}

// The path under the directory kbuild's dtbs_install wrote to.
std::string device_tree_name(std::string_view path) {
    for (std::string_view dir : {"/usr/lib/linux-image-", "/boot/dtbs/", "/lib/firmware/"}) {
        if (!path.starts_with(dir)) continue;
        auto rest = path.substr(dir.size());
        rest = rest.substr(rest.find('/') == std::string_view::npos ? rest.size() : rest.find('/') + 1);
        if (dir == "/lib/firmware/" && rest.starts_with("device-tree/")) rest.remove_prefix(12);
        return std::string(rest);
    }
    return std::string(path.substr(path.rfind('/') + 1));
}

}  // namespace

std::vector<std::string> device_trees(const std::vector<DebPackage>& set) {
    std::vector<std::string> out;
    for (const auto& p : set) {
        if (!is_image_package(p)) continue;
        for (const auto& f : p.files)
            if (f.path.ends_with(".dtb")) out.push_back(device_tree_name(f.path));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<Finding> check_device_trees(const std::vector<DebPackage>& set, const std::vector<std::string>& trees,
                                        const std::vector<std::string>& wanted) {
    std::string image = "(set)";
    for (const auto& p : set)
        if (is_image_package(p)) image = p.name;
    std::vector<Finding> out;
    for (std::string want : wanted) {
        if (!want.ends_with(".dtb")) want += ".dtb";
        const bool found = std::any_of(trees.begin(), trees.end(), [&](const std::string& t) {
            return t == want || (want.find('/') == std::string::npos && t.substr(t.rfind('/') + 1) == want);
        });
        if (!found)
            out.push_back({image, Check::complete,
                           "no device tree " + want + " (--dtb) in the image package; it carries " +
                               (trees.empty() ? std::string("none") : std::to_string(trees.size()))});
    }
    return out;
}

}  // namespace kf
