// What kind of kernel tree this is, and where its vendor files are.
#pragma once

#include "base/error.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

enum class TreeKind { ubuntu, debian, upstream };
std::string_view to_string(TreeKind kind);

struct Tree {
    TreeKind kind = TreeKind::ubuntu;
    std::filesystem::path root;
    std::string debian_name;           // Ubuntu: $DEBIAN from debian/debian.env ("debian.master")
    std::filesystem::path debian_dir;  // Ubuntu: root/$DEBIAN
    bool has_kernel_source = false;    // a top Makefile with VERSION and PATCHLEVEL

    std::filesystem::path env_file() const { return root / "debian" / "debian.env"; }
    std::filesystem::path vars_file(std::string_view flavour) const;
    std::filesystem::path rules_file(std::string_view arch) const;
    std::filesystem::path annotations_file() const { return debian_dir / "config" / "annotations"; }
    std::filesystem::path changelog_file() const { return debian_dir / "changelog"; }
};

// Ubuntu: debian/debian.env names an existing $DEBIAN dir. Debian: debian/
// with debian/config/. Upstream: no debian/, a top kernel Makefile.
// Anything else (or a debian.env without DEBIAN=, or a missing $DEBIAN) is
// bad input naming the file.
Result<Tree> detect_tree(const std::filesystem::path& root);

// The tree at `dir` (detect_tree) as a command that may edit it opens it:
// stale temporaries of an interrupted edit swept, unless this is a dry run
// (which writes nothing).
Result<Tree> open_tree(const std::filesystem::path& dir, bool dry_run);

// Ubuntu: arch → flavours, from rules.d/<arch>.mk `flavours` and the
// annotations `# FLAVOUR:` header (rules order first, then header extras).
using FlavourMap = std::map<std::string, std::vector<std::string>>;
Result<FlavourMap> ubuntu_flavours(const Tree& tree);

}  // namespace kf
