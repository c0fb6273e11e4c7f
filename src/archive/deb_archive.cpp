#include "archive/deb_archive.hpp"
#include "base/text.hpp"

#include "archive/deb822.hpp"

#include <algorithm>
#include <apt-pkg/aptconfiguration.h>
#include <apt-pkg/arfile.h>
#include <apt-pkg/debfile.h>
#include <apt-pkg/dirstream.h>
#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <apt-pkg/hashes.h>
#include <apt-pkg/tagfile.h>

#include <zlib.h>

#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace kf::sys {
namespace {

// A kernel image may be gzip (arm64 Image.gz): enough compressed bytes for
// the setup header once inflated.
constexpr size_t image_head_size = 64 * 1024;

// "./usr/bin/x" -> "/usr/bin/x"
std::string member_path(const char* name) {
    std::string_view n(name);
    while (n.starts_with("./")) n.remove_prefix(2);
    while (n.starts_with("/")) n.remove_prefix(1);
    return "/" + std::string(n);
}

// libapt-pkg's pending errors as one line (and cleared).
std::string apt_errors() {
    std::string all, msg;
    while (_error->PopMessage(msg)) all += (all.empty() ? "" : "; ") + msg;
    return all.empty() ? "unreadable" : all;
}

// Collects ./control and ./md5sums from control.tar.
class ControlStream : public pkgDirStream {
public:
    std::map<std::string, std::string> files;

    bool DoItem(Item& item, int& fd) override {
        current_ = member_path(item.Name);
        fd = (item.Type == Item::File && (current_ == "/control" || current_ == "/md5sums")) ? -2 : -1;
        if (fd == -2) files[current_].clear();
        return true;
    }
    bool Process(Item&, const unsigned char* data, unsigned long long size, unsigned long long) override {
        files[current_].append(reinterpret_cast<const char*>(data), size);
        return true;
    }
    bool FinishedFile(Item&, int) override { return true; }

private:
    std::string current_;
};

// Facts about every regular file of data.tar, keeping only the bytes the
// checks need: the head of each file, whole modules (their .modinfo).
// The member being read (outside DataStream: clang can't construct a nested
// class with member initialisers while the outer one is incomplete).
struct OpenMember {
    MemberFacts facts;
    Hashes md5{Hashes::MD5SUM};
    std::string bytes;
    size_t keep = 0;
};

class DataStream : public pkgDirStream {
public:
    std::vector<MemberFacts> files;

    bool DoItem(Item& item, int& fd) override {
        finish();
        fd = -1;
        if (item.Type == Item::HardLink) {
            link(member_path(item.Name), member_path(item.LinkTarget));
            return true;
        }
        if (item.Type != Item::File) return true;
        open_.emplace();
        open_->facts.path = member_path(item.Name);
        open_->facts.size = item.Size;
        open_->keep = is_module_path(open_->facts.path)         ? item.Size
                      : is_kernel_image_path(open_->facts.path) ? image_head_size
                                                                : classify_head_size;
        fd = -2;
        return true;
    }
    bool Process(Item&, const unsigned char* data, unsigned long long size, unsigned long long) override {
        if (!open_) return true;
        open_->md5.Add(data, size);
        if (open_->bytes.size() < open_->keep)
            open_->bytes.append(reinterpret_cast<const char*>(data), std::min<size_t>(size, open_->keep - open_->bytes.size()));
        return true;
    }
    bool FinishedFile(Item&, int) override {
        finish();
        return true;
    }
    // The last file: call after the archive was read.
    void finish() {
        if (!open_) return;
        MemberFacts& f = open_->facts;
        f.md5 = open_->md5.GetHashString(Hashes::MD5SUM).HashValue();
        f.elf = elf_header(open_->bytes);
        if (is_kernel_image_path(f.path))
            f.image_arch = kernel_image_arch(is_gzip(open_->bytes) ? gunzip_head(open_->bytes, classify_head_size)
                                                                   : open_->bytes);
        if (is_module_path(f.path)) f.vermagic = modinfo_vermagic(open_->bytes);
        files.push_back(std::move(f));
        open_.reset();
    }

private:
    std::optional<OpenMember> open_;

    void link(const std::string& path, const std::string& target) {
        for (const auto& f : files)
            if (f.path == target) {
                MemberFacts copy = f;
                copy.path = path;
                files.push_back(std::move(copy));
                return;
            }
    }
};

}  // namespace

std::string gunzip_head(std::string_view compressed, size_t want) {
    std::string out(want, '\0');
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return {};
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    z.avail_in = static_cast<uInt>(compressed.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(want);
    while (z.avail_out > 0) {
        int rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK) break;  // end of stream, or of the bytes we have
    }
    out.resize(want - z.avail_out);
    inflateEnd(&z);
    return out;
}

namespace {

// An open .deb; bad input when libapt-pkg cannot walk its ar archive.
struct OpenDeb {
    FileFd fd;
    std::unique_ptr<debDebFile> deb;
};

Result<std::unique_ptr<OpenDeb>> open_deb(const fs::path& file) {
    _error->Discard();
    auto open = std::make_unique<OpenDeb>();
    if (!open->fd.Open(file.string(), FileFd::ReadOnly)) return bad_input("cannot open: " + apt_errors(), file.string());
    // An ar archive that libapt-pkg cannot walk was cut short or damaged;
    // anything else is not a package at all.
    char magic[8] = {};
    const bool is_ar = std::ifstream(file, std::ios::binary).read(magic, sizeof magic) &&
                       std::string_view(magic, sizeof magic) == "!<arch>\n";
    open->deb = std::make_unique<debDebFile>(open->fd);
    if (_error->PendingError())
        return bad_input((is_ar ? "damaged .deb (truncated or corrupt): " : "not a Debian package: ") + apt_errors(),
                         file.string());
    return open;
}

// The name of the data archive member (data.tar.xz, data.tar.zst, ...): its
// compression decides which dpkg can unpack the package. debDebFile keeps
// its member list to itself, so the ar headers of the open file are read
// once more (from the start).
std::string data_member_name(FileFd& fd) {
    if (!fd.Seek(0)) return {};
    ARArchive ar(fd);
    for (const ARArchive::Member* m = ar.Members(); m; m = m->Next)
        if (m->Name.starts_with("data.tar")) return m->Name;
    return {};
}

// The fields the checks and the report print must look like what dpkg
// writes: a package name, an arch, a version of sane length (a 100 kB
// Package field once made a 600 kB report).
Status check_control_fields(const DebPackage& pkg, const fs::path& file) {
    auto name_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'; };
    if (pkg.name.size() > 255 || !std::all_of(pkg.name.begin(), pkg.name.end(), name_char))
        return bad_input("Package: " + quote_input(pkg.name) + " is not a Debian package name", file.string());
    if (pkg.architecture.size() > 64 || !std::all_of(pkg.architecture.begin(), pkg.architecture.end(), name_char))
        return bad_input("Architecture: " + quote_input(pkg.architecture) + " is not an arch", file.string());
    if (pkg.version.size() > 255) return bad_input("Version: " + quote_input(pkg.version) + " is too long", file.string());
    return ok_status();
}

}  // namespace

Result<DebPackage> read_deb_control(const fs::path& file) {
    KF_TRY(auto open, open_deb(file));
    ControlStream control;
    if (!open->deb->ExtractTarMember(control, "control.tar") || _error->PendingError())
        return bad_input("cannot read control.tar: " + apt_errors(), file.string());
    if (!control.files.count("/control")) return bad_input("no control file in control.tar", file.string());

    DebPackage pkg;
    pkg.file = file;
    std::string text = control.files["/control"] + "\n";
    pkgTagSection section;
    if (!section.Scan(text.c_str(), text.size())) return bad_input("unreadable control file: " + apt_errors(), file.string());
    pkg.name = section.FindS("Package");
    pkg.version = section.FindS("Version");
    pkg.architecture = section.FindS("Architecture");
    pkg.multi_arch = section.FindS("Multi-Arch");
    pkg.depends = section.FindS("Depends");
    pkg.pre_depends = section.FindS("Pre-Depends");
    pkg.provides = section.FindS("Provides");
    pkg.maintainer = section.FindS("Maintainer");
    pkg.source = section.FindS("Source");  // "name (version)" when it differs; the name is what pools use
    if (auto space = pkg.source.find(' '); space != std::string::npos) pkg.source.resize(space);
    if (pkg.name.empty() || pkg.version.empty() || pkg.architecture.empty())
        return bad_input("control file lacks Package, Version or Architecture", file.string());
    KF_TRY_STATUS(check_control_fields(pkg, file));
    if (control.files.count("/md5sums")) pkg.md5sums = control.files["/md5sums"];
    pkg.data_member = data_member_name(open->fd);
    _error->Discard();  // a member list that can't be read just leaves data_member empty
    return pkg;
}

Status read_deb_files(DebPackage& pkg) {
    KF_TRY(auto open, open_deb(pkg.file));
    DataStream data;
    if (!open->deb->ExtractArchive(data) || _error->PendingError())
        return bad_input("cannot read the data archive to its end (truncated or corrupt): " + apt_errors(), pkg.file.string());
    data.finish();
    pkg.files = std::move(data.files);
    return ok_status();
}

Result<std::string> sha256_of(const fs::path& file) {
    FileFd fd(file.string(), FileFd::ReadOnly);
    _error->Discard();
    if (!fd.IsOpen()) return failure("cannot read", file.string());
    Hashes h(Hashes::SHA256SUM);
    if (!h.AddFD(fd)) {
        _error->Discard();
        return failure("cannot read", file.string());
    }
    return h.GetHashString(Hashes::SHA256SUM).HashValue();
}

void prepare_for_threads() { APT::Configuration::getCompressors(); }

Result<DebPackage> read_deb(const fs::path& file) {
    KF_TRY(auto pkg, read_deb_control(file));
    KF_TRY_STATUS(read_deb_files(pkg));
    return pkg;
}

Result<std::vector<ChangesEntry>> debs_of_changes(const fs::path& changes) {
    KF_TRY(auto paragraphs, parse_deb822(changes));
    if (paragraphs.empty()) return bad_input("empty .changes file", changes.string());
    const std::string* files = find_field(paragraphs[0], "Files");
    if (!files) return bad_input("no Files field", changes.string());
    std::vector<ChangesEntry> out;
    std::istringstream lines(*files);
    std::string md5, size, section, priority, name;
    // Each line: md5 size section priority name.
    while (lines >> md5 >> size >> section >> priority >> name) {
        if (!name.ends_with(".deb")) continue;
        ChangesEntry e{changes.parent_path() / name, md5, 0};
        try {
            e.size = std::stoull(size);
        } catch (const std::exception&) {
            return bad_input("bad size " + quote_input(size) + " for " + name + " in the Files field", changes.string());
        }
        out.push_back(std::move(e));
    }
    if (out.empty()) return bad_input("the .changes file lists no .deb", changes.string());
    return out;
}

std::string changes_mismatch(const ChangesEntry& entry) {
    std::error_code ec;
    const uintmax_t size = fs::file_size(entry.file, ec);
    if (ec) return "listed in the .changes but cannot be read";
    if (size != entry.size)
        return "the .changes says " + std::to_string(entry.size) + " bytes, the file has " + std::to_string(size);
    FileFd fd;
    Hashes md5(Hashes::MD5SUM);
    if (!fd.Open(entry.file.string(), FileFd::ReadOnly) || !md5.AddFD(fd)) {
        _error->Discard();
        return "listed in the .changes but cannot be read";
    }
    const std::string have = md5.GetHashString(Hashes::MD5SUM).HashValue();
    if (have != entry.md5) return "the .changes says md5 " + entry.md5 + ", the file has " + have;
    return "";
}

}  // namespace kf::sys
