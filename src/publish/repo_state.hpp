// What a kflavour apt repository holds (pure data, no I/O): the kernel sets
// per suite, the meta packages that follow the newest set of each flavour,
// and the kernel command-line packages. `kflavour publish` computes the next
// state from the current one and a set, then makes the files that say it.
#pragma once

#include "base/error.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kf::publish {

// One .deb in the pool. `path` is relative to the repository root.
struct PoolFile {
    std::string path;  // pool/main/l/linux-upstream/linux-image-…_amd64.deb
    std::string package, version, architecture;
    std::string sha256;
    bool operator==(const PoolFile&) const = default;
};

// One kernel build of one flavour for one arch, as published into a suite.
struct PublishedSet {
    std::string suite, component, flavour, arch;
    std::string version;  // the kernel image package's version; the meta packages take it
    std::string release;  // uname -r: 6.1.192-tickless, 5.4.0-200-tickless
    std::vector<std::string> image_packages;   // what linux-image-F depends on
    std::vector<std::string> header_packages;  // what linux-headers-F depends on (may be empty)
    std::string maintainer;
    std::vector<PoolFile> files;
    bool operator==(const PublishedSet&) const = default;
};

// `linux-F-cmdline` of a suite: the arguments and the package's version,
// which grows by one whenever the arguments change.
struct CmdlineEntry {
    std::string suite, component, flavour, arguments;
    int version = 1;
    bool operator==(const CmdlineEntry&) const = default;
};

struct RepoState {
    std::vector<PublishedSet> sets;
    std::vector<CmdlineEntry> cmdlines;
    std::string signing_key;  // fingerprint; empty for an unsigned repository
    bool operator==(const RepoState&) const = default;
};

// A meta or command-line package kflavour makes: its control paragraph and
// the files of its data archive (path → content, mode).
struct MadeFile {
    std::string path;  // absolute in the installed system: /etc/default/grub.d/…
    std::string content;
    unsigned mode = 0644;
};
struct MadePackage {
    std::string suite, component;
    std::string name, version, architecture;
    std::string control;                   // DEBIAN/control
    std::vector<MadeFile> maintainer_scripts;  // DEBIAN/postinst, postrm (path is the bare name)
    std::vector<MadeFile> files;
    std::string pool_path() const;
};

// The kernel a set carries, found from its package names.
struct SetPackage {
    std::string name, version, architecture, source, maintainer;
};
struct SetKernel {
    std::string release, flavour, arch, version, maintainer;
    std::vector<std::string> image_packages, header_packages;
};
// The one kernel of a set: its image package (linux-image-R,
// linux-image-unsigned-R, Debian's linux-image-R-unsigned), linux-modules-R and
// linux-modules-extra-R beside it, and linux-headers-R. The flavour is the one
// of `flavours` (the build manifest's) that R ends with, else what follows
// R's version and ABI number. Bad input when the set has no kernel image or
// kernels of several flavours or arches.
Result<SetKernel> kernel_of_set(const std::vector<SetPackage>& packages, const std::vector<std::string>& flavours);

// The pool path of a package: pool/<component>/<l or libX>/<source>/<name>_<version sans epoch>_<arch>.deb
std::string pool_path(const std::string& component, const std::string& source, const std::string& name,
                      const std::string& version, const std::string& architecture);

// The set added to `state`: a set of the same suite, flavour, arch and version
// is replaced; then, with `keep`, only the newest `keep` versions of that
// flavour and arch stay in the suite. `less(a, b)`: version a sorts before b.
using VersionLess = bool (*)(const std::string& a, const std::string& b);
RepoState with_set(RepoState state, PublishedSet set, std::optional<int> keep, VersionLess less);

// `linux-F-cmdline` set to `arguments` ("" removes it); the version grows when they change.
RepoState with_cmdline(RepoState state, const std::string& suite, const std::string& component,
                       const std::string& flavour, const std::string& arguments);

// Kernel command-line arguments that can go into a grub.d file: printable,
// no quote, backslash, dollar or backtick. Bad input naming what is wrong.
Status check_cmdline(const std::string& arguments);

// The meta packages (linux-image-F, linux-headers-F, linux-F) of the newest
// set of each suite/flavour/arch, and the command-line packages.
std::vector<MadePackage> made_packages(const RepoState& state, VersionLess less);

// Every pool path the state's indexes name (sets and made packages).
std::vector<std::string> referenced_pool_paths(const RepoState& state, const std::vector<MadePackage>& made);

// The state as JSON (stored with each generation of the indexes) and back.
std::string state_to_json(const RepoState& state);
Result<RepoState> state_from_json(const std::string& text, const std::string& file);

// Names a suite or component can take: letters, digits and ".+-_", not starting with '.' or '-'.
Status check_archive_name(const std::string& what, const std::string& value);

}  // namespace kf::publish
