// The packages kflavour makes for a repository: meta packages that follow
// the newest kernel of a flavour (as Ubuntu's linux-meta and Debian's
// linux-image-<flavour> do) and the kernel command-line package.
#include "publish/repo_state.hpp"

#include "base/text.hpp"

#include <map>
#include <tuple>

namespace kf::publish {

namespace {

std::string depends_exactly(const std::vector<std::string>& names, const std::string& version) {
    std::vector<std::string> parts;
    for (const auto& n : names) parts.push_back(n + " (= " + version + ")");
    return join(parts, ", ");
}

std::string control(const std::string& name, const std::string& version, const std::string& arch,
                    const std::string& maintainer, const std::string& depends, const std::string& description) {
    std::string c = "Package: " + name + "\nVersion: " + version + "\nArchitecture: " + arch +
                    "\nMaintainer: " + maintainer + "\nSection: kernel\nPriority: optional\n";
    if (!depends.empty()) c += "Depends: " + depends + "\n";
    return c + "Description: " + description + "\n";
}

MadePackage meta(const PublishedSet& s, const std::string& name, const std::string& depends, const std::string& summary,
                 const std::string& what) {
    MadePackage p{s.suite, s.component, name, s.version, s.arch, {}, {}, {}};
    p.control = control(name, s.version, s.arch, s.maintainer, depends,
                        summary + " (" + s.flavour + " flavour, meta package)\n"
                        " This package depends on the newest " + what + " of the " + s.flavour +
                        "\n flavour published by kflavour, " + s.release +
                        " now. Installed, it moves the\n machine to each new kernel with apt upgrade; "
                        "dpkg keeps the older ones.");
    return p;
}

std::vector<MadePackage> metas_of(const PublishedSet& s) {
    std::vector<MadePackage> out;
    const std::string image = "linux-image-" + s.flavour, headers = "linux-headers-" + s.flavour;
    out.push_back(meta(s, image, depends_exactly(s.image_packages, s.version), "Linux kernel image", "kernel image"));
    std::vector<std::string> all = {image};
    if (!s.header_packages.empty()) {
        out.push_back(meta(s, headers, depends_exactly(s.header_packages, s.version), "Linux kernel headers",
                           "kernel headers"));
        all.push_back(headers);
    }
    out.push_back(meta(s, "linux-" + s.flavour, depends_exactly(all, s.version), "Linux kernel image and headers",
                       "kernel image and headers"));
    return out;
}

// Indented for a shell block.
const char* const update_grub_if_present =
    "    if command -v update-grub >/dev/null 2>&1; then\n"
    "        update-grub\n"
    "    fi\n";

MadePackage cmdline_package(const CmdlineEntry& c) {
    const std::string name = "linux-" + c.flavour + "-cmdline";
    const std::string version = std::to_string(c.version);
    MadePackage p{c.suite, c.component, name, version, "all", {}, {}, {}};
    p.control = control(name, version, "all", "kflavour <kflavour@localhost>", "",
                        "kernel command line for the " + c.flavour + " flavour\n"
                        " Adds \"" + c.arguments + "\" to GRUB_CMDLINE_LINUX_DEFAULT through\n"
                        " /etc/default/grub.d/kflavour-" + c.flavour + ".cfg and runs update-grub.\n"
                        " Removing the package removes the arguments again.");
    // Not a conffile: removing the package removes it (a conffile would stay until purge).
    p.files.push_back({"/etc/default/grub.d/kflavour-" + c.flavour + ".cfg",
                       "# From the " + name + " package (kflavour publish --cmdline): the kernel\n"
                       "# command line the " + c.flavour + " flavour needs. Remove the package to drop it.\n"
                       "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT " + c.arguments + "\"\n",
                       0644});
    p.maintainer_scripts.push_back({"postinst",
                                    std::string("#!/bin/sh\nset -e\nif [ \"$1\" = configure ]; then\n") +
                                        update_grub_if_present + "fi\n",
                                    0755});
    p.maintainer_scripts.push_back({"postrm",
                                    std::string("#!/bin/sh\nset -e\ncase \"$1\" in\nremove|purge)\n") +
                                        update_grub_if_present + "    ;;\nesac\n",
                                    0755});
    return p;
}

}  // namespace

std::vector<MadePackage> made_packages(const RepoState& state, VersionLess less) {
    // The newest set of each suite/flavour/arch.
    std::map<std::tuple<std::string, std::string, std::string>, const PublishedSet*> newest;
    for (const auto& s : state.sets) {
        auto& slot = newest[{s.suite, s.flavour, s.arch}];
        if (!slot || less(slot->version, s.version)) slot = &s;
    }
    std::vector<MadePackage> out;
    for (const auto& [key, s] : newest)
        for (auto& m : metas_of(*s)) out.push_back(std::move(m));
    for (const auto& c : state.cmdlines) out.push_back(cmdline_package(c));
    return out;
}

}  // namespace kf::publish
