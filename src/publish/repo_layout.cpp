// A kflavour repository's lock, generations and sweeping.
#include "publish/repo_files.hpp"

#include "base/fs.hpp"
#include "archive/dpkg.hpp"

#include <cerrno>
#include <set>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace kf::publish {
namespace fs = std::filesystem;

bool version_less(const std::string& a, const std::string& b) { return sys::compare_versions(a, b) < 0; }

fs::path state_dir(const fs::path& repo) { return repo / ".kflavour"; }

fs::path generation_dir(const fs::path& repo, int generation) {
    return state_dir(repo) / "gen" / std::to_string(generation);
}

int current_generation(const fs::path& repo) {
    std::error_code ec;
    const fs::path target = fs::read_symlink(repo / "dists", ec);
    if (ec) return 0;
    // .kflavour/gen/N/dists
    const std::string n = target.parent_path().filename().string();
    if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 9) return 0;
    return std::stoi(n);
}

Status check_repo_path(const fs::path& repo) {
    if (repo.string().find_first_of("\"\n\\") != std::string::npos)
        return bad_input("the repository path has a quote, backslash or newline, which apt-ftparchive's config can't hold",
                         repo.string());
    std::error_code ec;
    const auto st = fs::symlink_status(repo, ec);
    if (ec || st.type() == fs::file_type::not_found) return ok_status();  // created on the first publish
    if (st.type() != fs::file_type::directory) return bad_input("--repo is not a directory", repo.string());
    if (fs::is_directory(state_dir(repo), ec)) return ok_status();
    if (fs::directory_iterator(repo, ec) != fs::directory_iterator())
        return with_hint(bad_input("--repo is a directory that is not a kflavour repository (no .kflavour/)", repo.string()),
                         "give a new or empty directory; kflavour does not take over repositories made by other tools");
    return ok_status();
}

Result<RepoLock> RepoLock::take(const fs::path& repo, const Report& report) {
    std::error_code ec;
    fs::create_directories(state_dir(repo), ec);
    if (ec) return failure("cannot create " + state_dir(repo).string() + ": " + ec.message());
    const fs::path file = state_dir(repo) / "lock";
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return failure(sys_error("cannot open the lock", errno), file.string());
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (report) report("waiting for another publish into " + repo.string() + " to finish");
        while (::flock(fd, LOCK_EX) != 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            return failure(sys_error("cannot lock", err), file.string());
        }
    }
    return RepoLock(fd);
}

RepoLock::~RepoLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

namespace {

// Removes a file and the folders above it that it leaves empty, up to pool/.
void remove_pool_file(const fs::path& repo, const fs::path& file) {
    std::error_code ec;
    fs::remove(file, ec);
    for (fs::path dir = file.parent_path(); dir != repo / "pool" && dir.string().size() > (repo / "pool").string().size();
         dir = dir.parent_path())
        if (!fs::remove(dir, ec)) break;  // not empty
}

}  // namespace

size_t sweep_pool(const fs::path& repo, const RepoState& state, const std::vector<MadePackage>& made) {
    std::set<fs::path> keep;
    for (const auto& p : referenced_pool_paths(state, made)) keep.insert(repo / p);
    std::vector<fs::path> stray;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(repo / "pool", ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (!it->is_directory() && !keep.count(it->path())) stray.push_back(it->path());
    for (const auto& f : stray) remove_pool_file(repo, f);
    return stray.size();
}

size_t sweep_leftovers(const fs::path& repo, int keep, const RepoState& state) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(state_dir(repo) / "gen", ec))
        if (e.path().filename() != std::to_string(keep)) fs::remove_all(e.path(), ec);
    for (const auto& e : fs::directory_iterator(repo, ec))  // a symlink a killed swap left
        if (e.path().filename().string().starts_with(".dists.kf-")) fs::remove(e.path(), ec);
    return sweep_pool(repo, state, made_packages(state, version_less));
}

Status show_generation(const fs::path& repo, int gen) {
    const fs::path link = repo / (".dists.kf-" + std::to_string(::getpid()));
    const fs::path target = fs::path(".kflavour") / "gen" / std::to_string(gen) / "dists";
    std::error_code ec;
    fs::remove(link, ec);
    fs::create_symlink(target, link, ec);
    if (ec) return failure("cannot create a symlink: " + ec.message(), link.string());
    if (::rename(link.c_str(), (repo / "dists").c_str()) != 0) {
        int err = errno;
        fs::remove(link, ec);
        return failure(sys_error("cannot replace the dists symlink", err), (repo / "dists").string());
    }
    // The rename is durable once the directory is flushed.
    int dir = ::open(repo.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return ok_status();
}

}  // namespace kf::publish
