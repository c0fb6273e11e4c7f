// The one file module: bounded reads of regular files, the OS calls behind
// EditSet::apply (a seam, so tests can make any one of them fail), and the
// naming of kflavour's temporary files so a later run can clear what a
// killed run left behind.
#pragma once

#include "base/error.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace kf {

// The largest file kflavour reads. Real inputs are far smaller (focal's
// annotations file is 0.6 MB, a distribution .config 0.3 MB, a Packages
// index ~50 MB goes through libapt-pkg, not here); the bound stops
// /dev/zero-like inputs from eating memory.
inline constexpr std::uintmax_t kMaxReadBytes = std::uintmax_t(64) << 20;

// A whole regular file (symlinks followed). A missing file, a directory, a
// FIFO or device, or a file over `limit` bytes is bad input naming the path.
Result<std::string> read_file(const std::filesystem::path& path, std::uintmax_t limit = kMaxReadBytes);

// A file one of kflavour's own operations made or unpacked (an installed
// scratch root, a chroot's metadata): read_file, but any error is that
// operation's failure (exit 3), not the user's bad input.
Result<std::string> read_made_file(const std::filesystem::path& path, std::uintmax_t limit = kMaxReadBytes);

// A text file kflavour parses and may write back: read_file, and also bad
// input naming file:line for a NUL byte (a binary file) or a carriage
// return (CRLF line endings, which kflavour would not write back as read).
Result<std::string> read_text_file(const std::filesystem::path& path, std::uintmax_t limit = kMaxReadBytes);

// read_text_file, or nullopt when nothing is at `path` (a file a command
// creates the first time, updates after).
Result<std::optional<std::string>> read_text_file_if_exists(const std::filesystem::path& path);

// Whether anything is at `path`; an error (EACCES on a parent) counts as no.
bool path_exists(const std::filesystem::path& path);

// The same checks on text already read (an include, a command's output).
Status check_text(std::string_view text, const std::string& file);

// A new directory under $TMPDIR (else /tmp) named PREFIX.XXXXXX, removed
// with everything in it when the ScratchDir goes out of scope.
class ScratchDir {
public:
    static Result<ScratchDir> make(const std::string& prefix);
    ScratchDir(ScratchDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
    ScratchDir(const ScratchDir&) = delete;
    ~ScratchDir();
    const std::filesystem::path& path() const { return path_; }

private:
    explicit ScratchDir(std::filesystem::path p) : path_(std::move(p)) {}
    std::filesystem::path path_;
};

// The OS calls an atomic edit makes. Every call returns 0 or an errno value.
class FsCalls {
public:
    virtual ~FsCalls() = default;
    // A new file next to `target` (named by temp_template) holding `content`
    // with `mode`, flushed to disk; its path goes to *temp.
    virtual int write_temp(const std::filesystem::path& target, const std::string& content, mode_t mode,
                           std::filesystem::path* temp);
    virtual int link(const std::filesystem::path& from, const std::filesystem::path& to);
    virtual int rename(const std::filesystem::path& from, const std::filesystem::path& to);
    virtual int unlink(const std::filesystem::path& path);
};

// The real calls.
FsCalls& os_fs();

// "what: strerror(err)", for messages about a failed OS call.
std::string sys_error(const char* what, int err);

// Replace `path` with `content` (mode `mode`) in one step: a flushed
// temporary next to it (temp_template, so a killed run's leftover is swept),
// renamed over it. Readers see the old file or the new one, never a part.
Status write_file_atomically(const std::filesystem::path& path, const std::string& content, mode_t mode = 0644);

// mkstemp template for a temporary next to `target`:
// ".NAME.kf-PID-XXXXXX". The PID tells a dead run's leftovers from a live
// run's; backups of originals add ".orig".
std::string temp_template(const std::filesystem::path& target);

// Remove kflavour temporaries in `dir` whose run is gone (killed before it
// could clean up). Returns how many were removed.
size_t sweep_stale_temps(const std::filesystem::path& dir);

// The same for every folder of a vendor tree that kflavour writes to: the
// root, and all of debian*/ and kflavour/. Commands that edit a tree call
// it first, so a re-run clears a killed run's leftovers even when it then
// fails or has nothing to change.
size_t sweep_stale_temps_in_tree(const std::filesystem::path& root);

}  // namespace kf
