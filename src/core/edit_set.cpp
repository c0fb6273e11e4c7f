#include "core/edit_set.hpp"

#include "core/diff.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace kf {
namespace fs = std::filesystem;

Result<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return bad_input(std::string("cannot read: ") + std::strerror(errno), path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return failure("read error", path.string());
    return ss.str();
}

void EditSet::put(const fs::path& path, std::optional<std::string> before, std::string after) {
    for (auto& e : edits_) {
        if (e.path == path) {
            e.after = std::move(after);
            return;
        }
    }
    if (before && *before == after) return;
    edits_.push_back(FileEdit{path, std::move(before), std::move(after)});
}

const std::string* EditSet::after(const fs::path& path) const {
    for (const auto& e : edits_)
        if (e.path == path) return &e.after;
    return nullptr;
}

std::string EditSet::unified_diff(const fs::path& root) const {
    std::string out;
    for (const auto& e : edits_) {
        std::string rel = e.path.lexically_relative(root).generic_string();
        if (rel.empty() || rel.rfind("..", 0) == 0) rel = e.path.generic_string();
        out += kf::unified_diff(e.before.value_or(""), e.after,
                                e.before ? "a/" + rel : std::string("/dev/null"), "b/" + rel);
    }
    return out;
}

namespace {

Status write_temp(const fs::path& target, const std::string& content, mode_t mode,
                  fs::path* temp_out) {
    std::string templ = (target.parent_path() / ("." + target.filename().string() + ".kf-XXXXXX")).string();
    int fd = ::mkstemp(templ.data());
    if (fd < 0) return failure(std::string("cannot write: ") + std::strerror(errno), target.string());
    *temp_out = templ;
    const char* p = content.data();
    size_t left = content.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            return failure(std::string("cannot write: ") + std::strerror(err), target.string());
        }
        p += n;
        left -= size_t(n);
    }
    if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0)
        return failure(std::string("cannot write: ") + std::strerror(errno), target.string());
    return ok_status();
}

}  // namespace

Status EditSet::apply() const {
    struct Staged {
        const FileEdit* edit;
        fs::path temp;
        fs::path backup;  // hard link to the original, for rollback
    };
    std::vector<Staged> staged;
    auto cleanup = [&] {
        for (auto& s : staged) {
            std::error_code ec;
            if (!s.temp.empty()) fs::remove(s.temp, ec);
            if (!s.backup.empty()) fs::remove(s.backup, ec);
        }
    };

    // 1. Check nothing moved under us and write every temporary.
    for (const auto& e : edits_) {
        mode_t mode = 0644;
        struct stat st {};
        if (::stat(e.path.c_str(), &st) == 0) {
            mode = st.st_mode & 07777;
            if (!e.before) {
                cleanup();
                return failure("file appeared since it was read", e.path.string());
            }
            auto now = read_file(e.path);
            if (!now.ok() || *now != *e.before) {
                cleanup();
                return failure("file changed since it was read", e.path.string());
            }
        } else if (e.before) {
            cleanup();
            return failure("file vanished since it was read", e.path.string());
        }
        staged.push_back({&e, {}, {}});
        if (auto st2 = write_temp(e.path, e.after, mode, &staged.back().temp); !st2.ok()) {
            cleanup();
            return st2;
        }
        if (e.before) {
            fs::path backup = staged.back().temp.string() + ".orig";
            if (::link(e.path.c_str(), backup.c_str()) == 0) staged.back().backup = backup;
        }
    }

    // 2. Rename them into place; on a failure put back what was replaced.
    for (size_t i = 0; i < staged.size(); ++i) {
        if (::rename(staged[i].temp.c_str(), staged[i].edit->path.c_str()) != 0) {
            int err = errno;
            for (size_t j = 0; j < i; ++j) {
                if (!staged[j].backup.empty())
                    ::rename(staged[j].backup.c_str(), staged[j].edit->path.c_str());
                else
                    ::unlink(staged[j].edit->path.c_str());
                staged[j].backup.clear();
                staged[j].temp.clear();
            }
            cleanup();
            return failure(std::string("cannot replace: ") + std::strerror(err),
                           staged[i].edit->path.string());
        }
        staged[i].temp.clear();
    }
    cleanup();
    return ok_status();
}

}  // namespace kf
