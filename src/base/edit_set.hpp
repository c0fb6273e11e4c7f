// A plan of file edits, applied all-or-nothing.
//
// Commands compute every new file content first (pure), then apply the set:
// each file is written to a temporary next to it, and each original gets a
// backup (a hard link, or a copy where links fail), before anything is
// renamed. A failure before the renames leaves the tree byte-for-byte
// unchanged; a failure during them puts every replaced original back from
// its backup. SIGINT/SIGTERM wait until the set is applied or rolled back.
#pragma once

#include "base/error.hpp"
#include "base/fs.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kf {

struct FileEdit {
    std::filesystem::path path;
    std::optional<std::string> before;  // nullopt: the file is created
    std::string after;
};

class EditSet {
public:
    // Record new content for `path`; `before` is its current content.
    // Edits whose content does not change are dropped; a second edit of the
    // same path replaces the first's `after`.
    void put(const std::filesystem::path& path, std::optional<std::string> before,
             std::string after);

    // The content the set gives `path`, if it edits it.
    const std::string* after(const std::filesystem::path& path) const;

    bool empty() const { return edits_.empty(); }
    const std::vector<FileEdit>& edits() const { return edits_; }

    // `diff -u`-style text for every edit, paths shown relative to `root`.
    std::string unified_diff(const std::filesystem::path& root) const;

    // Bad input naming the first path the set cannot write: a read-only
    // directory or file (mode bits, chattr +i, a read-only mount). A missing
    // directory is judged by its nearest existing ancestor.
    Status check_writable() const;

    // Write every edit atomically (see above) through `calls`. Fails without
    // touching the tree if any file changed since it was read or cannot be
    // written (check_writable). Also removes
    // temporaries that killed runs left in the directories of every path
    // put() saw, changed or not.
    Status apply(FsCalls& calls = os_fs()) const;

    // apply(), with the missing parent directories of the edited paths
    // created first and removed again when the apply fails (upstream
    // trees' kflavour/NAME/).
    Status apply_creating_dirs(FsCalls& calls = os_fs()) const;

private:
    std::vector<FileEdit> edits_;
    std::vector<std::filesystem::path> dirs_;  // every directory put() saw
};

}  // namespace kf
