// Reading .deb files in-process with libapt-pkg (debDebFile): the control
// fields, DEBIAN/md5sums, and facts about every file of the data archive
// (size, md5, ELF header, kernel image header, module vermagic). Reading
// the data archive to its end is also the integrity check.
#pragma once

#include "archive/deb_set.hpp"
#include "base/error.hpp"

#include <filesystem>
#include <vector>

namespace kf::sys {

// Bad input when the file is not a Debian package or cannot be read to its
// end (truncated, corrupt compression), with libapt-pkg's reason.
Result<DebPackage> read_deb(const std::filesystem::path& file);
// The two halves of read_deb: the control fields and md5sums (quick), then
// the files of the data archive into pkg.files (reads the whole archive).
Result<DebPackage> read_deb_control(const std::filesystem::path& file);
Status read_deb_files(DebPackage& pkg);

// libapt-pkg's error list is per thread, but its compressor list is built on
// first use: call this before reading archives or indexes on several threads.
void prepare_for_threads();

// A .deb a .changes file lists (Files field), next to it, with the md5 and
// size the .changes records.
struct ChangesEntry {
    std::filesystem::path file;
    std::string md5;
    uintmax_t size = 0;
};
Result<std::vector<ChangesEntry>> debs_of_changes(const std::filesystem::path& changes);

// How the file differs from what the .changes records ("" when it does not).
std::string changes_mismatch(const ChangesEntry& entry);

// The SHA-256 of a file, in hex (libapt-pkg's Hashes).
Result<std::string> sha256_of(const std::filesystem::path& file);

// The first bytes of the gzip stream `compressed` decompresses to (at most `want`).
std::string gunzip_head(std::string_view compressed, size_t want);

}  // namespace kf::sys
