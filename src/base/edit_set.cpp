#include "base/edit_set.hpp"

#include "base/diff.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <pthread.h>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace kf {
namespace fs = std::filesystem;

void EditSet::put(const fs::path& path, std::optional<std::string> before, std::string after) {
    const fs::path dir = path.parent_path();
    if (std::find(dirs_.begin(), dirs_.end(), dir) == dirs_.end()) dirs_.push_back(dir);
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

// SIGINT, SIGTERM, SIGHUP and SIGQUIT wait while the set is applied, so an
// interrupt finds every file old or new and no temporary left behind.
class DeferSignals {
public:
    DeferSignals() {
        sigset_t set;
        sigemptyset(&set);
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, sig);
        ::pthread_sigmask(SIG_BLOCK, &set, &old_);
    }
    ~DeferSignals() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
    DeferSignals(const DeferSignals&) = delete;
    DeferSignals& operator=(const DeferSignals&) = delete;

private:
    sigset_t old_;
};

struct Staged {
    const FileEdit* edit;
    fs::path temp;    // the new content, until renamed into place
    fs::path backup;  // the original (hard link or copy), for rollback
};

// The file still holds what the plan read.
Status check_unchanged(const FileEdit& e) {
    struct stat st {};
    if (::stat(e.path.c_str(), &st) != 0) {
        if (e.before) return failure("file vanished since it was read", e.path.string());
        return ok_status();
    }
    if (!e.before) return failure("file appeared since it was read", e.path.string());
    auto now = read_file(e.path);
    if (!now.ok() || *now != *e.before) return failure("file changed since it was read", e.path.string());
    return ok_status();
}

mode_t mode_of(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
}

// Write the temporary and, for an existing file, its backup. Nothing in the
// tree is replaced yet, so any failure here leaves it unchanged.
Status stage(FsCalls& calls, const FileEdit& e, Staged& s) {
    const mode_t mode = mode_of(e.path);
    if (int err = calls.write_temp(e.path, e.after, mode, &s.temp)) {
        s.temp.clear();
        return failure(sys_error("cannot write", err), e.path.string());
    }
    if (!e.before) return ok_status();
    const fs::path link_name = s.temp.string() + ".orig";
    if (calls.link(e.path, link_name) == 0) {
        s.backup = link_name;
        return ok_status();
    }
    // No hard links here (or the name is taken): a copy of the bytes we read.
    if (int err = calls.write_temp(e.path, *e.before, mode, &s.backup)) {
        s.backup.clear();
        return failure(sys_error("cannot back up the original", err), e.path.string());
    }
    return ok_status();
}

// Put back the originals of staged[0..count): each from its backup, a
// created file removed. Returns the backups that could not be put back.
std::vector<fs::path> roll_back(FsCalls& calls, std::vector<Staged>& staged, size_t count) {
    std::vector<fs::path> kept;
    for (size_t j = 0; j < count; ++j) {
        Staged& s = staged[j];
        if (s.backup.empty()) {
            calls.unlink(s.edit->path);  // created by this set, so no original to lose
        } else if (calls.rename(s.backup, s.edit->path) == 0) {
            s.backup.clear();
        } else {
            kept.push_back(s.backup);
            s.backup.clear();  // never removed: it is the only copy of the original
        }
    }
    return kept;
}

void remove_leftovers(FsCalls& calls, const std::vector<Staged>& staged) {
    for (const auto& s : staged) {
        if (!s.temp.empty()) calls.unlink(s.temp);
        if (!s.backup.empty()) calls.unlink(s.backup);
    }
}

}  // namespace

Status EditSet::check_writable() const {
    for (const auto& e : edits_) {
        fs::path dir = e.path.parent_path();
        std::error_code ec;
        while (!dir.empty() && dir != dir.root_path() && !fs::exists(dir, ec)) dir = dir.parent_path();
        if (::access(dir.c_str(), W_OK) != 0) return bad_input(sys_error("not writable", errno), dir.string());
        if (e.before && ::access(e.path.c_str(), W_OK) != 0)
            return bad_input(sys_error("not writable", errno), e.path.string());
    }
    return ok_status();
}

Status EditSet::apply(FsCalls& calls) const {
    DeferSignals defer;
    for (const auto& dir : dirs_) sweep_stale_temps(dir);
    for (const auto& e : edits_) KF_TRY_STATUS(check_unchanged(e));
    KF_TRY_STATUS(check_writable());

    std::vector<Staged> staged;
    staged.reserve(edits_.size());
    for (const auto& e : edits_) {
        staged.push_back({&e, {}, {}});
        if (Status st = stage(calls, e, staged.back()); !st.ok()) {
            remove_leftovers(calls, staged);
            return st;
        }
    }

    for (size_t i = 0; i < staged.size(); ++i) {
        if (int err = calls.rename(staged[i].temp, staged[i].edit->path)) {
            std::vector<fs::path> kept = roll_back(calls, staged, i);
            remove_leftovers(calls, staged);
            Error e = failure(sys_error("cannot replace", err), staged[i].edit->path.string());
            if (!kept.empty()) {
                e.message += "; could not put back every original, kept as:";
                for (const auto& k : kept) e.message += " " + k.string();
            }
            return e;
        }
        staged[i].temp.clear();
    }
    remove_leftovers(calls, staged);
    return ok_status();
}

Status EditSet::apply_creating_dirs(FsCalls& calls) const {
    std::vector<fs::path> created;
    auto undo = [&] {
        for (auto it = created.rbegin(); it != created.rend(); ++it) ::rmdir(it->c_str());
    };
    for (const auto& e : edits_) {
        std::vector<fs::path> missing;
        for (fs::path d = e.path.parent_path(); !d.empty() && !path_exists(d); d = d.parent_path())
            missing.push_back(d);
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            if (::mkdir(it->c_str(), 0755) != 0) {
                int err = errno;
                undo();
                return failure(sys_error("cannot create directory", err), it->string());
            }
            created.push_back(*it);
        }
    }
    Status st = apply(calls);
    if (!st.ok()) undo();
    return st;
}

}  // namespace kf
