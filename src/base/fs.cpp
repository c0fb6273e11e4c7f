#include "base/fs.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kf {
namespace fs = std::filesystem;

std::string sys_error(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

namespace {

std::string size_text(std::uintmax_t bytes) {
    if (bytes >= (std::uintmax_t(1) << 20)) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

// Closes the fd on every path out.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// "kf-PID-XXXXXX" after ".NAME.": the run's PID, or 0 if `name` is not one
// of ours.
pid_t temp_owner(const std::string& name) {
    if (name.size() < 2 || name[0] != '.') return 0;
    std::string base = name;
    if (base.size() > 5 && base.compare(base.size() - 5, 5, ".orig") == 0) base.resize(base.size() - 5);
    const size_t at = base.rfind(".kf-");
    if (at == std::string::npos || at == 0) return 0;
    const std::string tail = base.substr(at + 4);  // PID-XXXXXX
    const size_t dash = tail.find('-');
    if (dash == 0 || dash == std::string::npos || tail.size() - dash - 1 != 6 || dash > 10) return 0;
    long pid = 0;
    for (size_t i = 0; i < dash; ++i) {
        if (tail[i] < '0' || tail[i] > '9') return 0;
        pid = pid * 10 + (tail[i] - '0');
    }
    return pid > 0 && pid < (1L << 30) ? pid_t(pid) : 0;
}

}  // namespace

Result<std::string> read_file(const fs::path& path, std::uintmax_t limit) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    Fd in{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
    if (in.fd < 0) return bad_input(sys_error("cannot read", errno), path.string());
    struct stat st {};
    if (::fstat(in.fd, &st) != 0) return bad_input(sys_error("cannot read", errno), path.string());
    if (S_ISDIR(st.st_mode)) return bad_input("cannot read: is a directory, not a file", path.string());
    if (!S_ISREG(st.st_mode)) return bad_input("cannot read: not a regular file", path.string());
    if (std::uintmax_t(st.st_size) > limit)
        return bad_input("file too large (" + size_text(std::uintmax_t(st.st_size)) + "; kflavour reads at most " +
                             size_text(limit) + ")",
                         path.string());
    std::string out;
    out.reserve(size_t(st.st_size));
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(in.fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return failure(sys_error("read error", errno), path.string());
        }
        if (n == 0) break;
        if (out.size() + size_t(n) > limit)
            return bad_input("file too large (over " + size_text(limit) + ", kflavour's limit)", path.string());
        out.append(buf, size_t(n));
    }
    return out;
}

Status check_text(std::string_view text, const std::string& file) {
    const size_t bad = text.find_first_of(std::string_view("\0\r", 2));
    if (bad == std::string_view::npos) return ok_status();
    int line = 1;
    for (size_t i = 0; i < bad; ++i) line += text[i] == '\n';
    if (text[bad] == '\0') return bad_input("binary data (a NUL byte), not a text file", file, line);
    Error e = bad_input("carriage return (CRLF line endings); kflavour reads and writes LF only", file, line);
    e.hint = "convert the file with dos2unix (or sed -i 's/\\r$//' FILE)";
    return e;
}

Result<ScratchDir> ScratchDir::make(const std::string& prefix) {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = (fs::path(tmp && *tmp ? tmp : "/tmp") / (prefix + ".XXXXXX")).string();
    if (!::mkdtemp(templ.data())) return failure(sys_error("cannot create a scratch dir", errno), templ);
    return ScratchDir(templ);
}

ScratchDir::~ScratchDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
}

Result<std::string> read_made_file(const fs::path& path, std::uintmax_t limit) {
    auto bytes = read_file(path, limit);
    if (!bytes.ok()) bytes.error().code = Exit::failure;
    return bytes;
}

Result<std::string> read_text_file(const fs::path& path, std::uintmax_t limit) {
    KF_TRY(std::string text, read_file(path, limit));
    KF_TRY_STATUS(check_text(text, path.string()));
    return text;
}

Result<std::optional<std::string>> read_text_file_if_exists(const fs::path& path) {
    if (!path_exists(path)) return std::optional<std::string>();
    KF_TRY(std::string text, read_text_file(path));
    return std::optional<std::string>(std::move(text));
}

bool path_exists(const fs::path& path) {
    std::error_code ec;
    return fs::exists(path, ec);
}

std::string temp_template(const fs::path& target) {
    return (target.parent_path() / ("." + target.filename().string() + ".kf-" + std::to_string(::getpid()) + "-XXXXXX"))
        .string();
}

int FsCalls::write_temp(const fs::path& target, const std::string& content, mode_t mode, fs::path* temp) {
    std::string name = temp_template(target);
    int fd = ::mkstemp(name.data());
    if (fd < 0) return errno;
    *temp = name;
    const char* p = content.data();
    size_t left = content.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            return err;
        }
        p += n;
        left -= size_t(n);
    }
    if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
        int err = errno;
        ::close(fd);
        return err;
    }
    return ::close(fd) == 0 ? 0 : errno;
}

int FsCalls::link(const fs::path& from, const fs::path& to) { return ::link(from.c_str(), to.c_str()) == 0 ? 0 : errno; }
int FsCalls::rename(const fs::path& from, const fs::path& to) {
    return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}
int FsCalls::unlink(const fs::path& path) { return ::unlink(path.c_str()) == 0 ? 0 : errno; }

Status write_file_atomically(const fs::path& path, const std::string& content, mode_t mode) {
    FsCalls& calls = os_fs();
    fs::path temp;
    if (int err = calls.write_temp(path, content, mode, &temp)) {
        if (!temp.empty()) calls.unlink(temp);
        return failure(sys_error("cannot write", err), path.string());
    }
    if (int err = calls.rename(temp, path)) {
        calls.unlink(temp);
        return failure(sys_error("cannot write", err), path.string());
    }
    return ok_status();
}

FsCalls& os_fs() {
    static FsCalls calls;
    return calls;
}

size_t sweep_stale_temps(const fs::path& dir) {
    std::error_code ec;
    size_t removed = 0;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const pid_t owner = temp_owner(it->path().filename().string());
        if (owner == 0 || owner == ::getpid()) continue;
        if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // that run is alive (or not ours to judge)
        std::error_code rm;
        if (it->is_regular_file(rm) && fs::remove(it->path(), rm)) ++removed;
    }
    return removed;
}

size_t sweep_stale_temps_in_tree(const fs::path& root) {
    size_t removed = sweep_stale_temps(root);
    std::error_code ec;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code type;
        if (it->is_symlink(type) || !it->is_directory(type)) continue;
        if (name.rfind("debian", 0) != 0 && name != "kflavour") continue;
        removed += sweep_stale_temps(it->path());
        std::error_code walk;
        for (fs::recursive_directory_iterator sub(it->path(), walk), send; !walk && sub != send; sub.increment(walk))
            if (sub->is_directory(type) && !sub->is_symlink(type)) removed += sweep_stale_temps(sub->path());
    }
    return removed;
}

}  // namespace kf
