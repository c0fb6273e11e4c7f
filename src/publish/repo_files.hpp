// The files of a kflavour repository (see publish_run.hpp for the layout):
// its lock and generations (repo_layout.cpp), and what goes into a new
// generation: made packages, indexes, signatures (repo_indexes.cpp).
#pragma once

#include "base/error.hpp"
#include "publish/publish_run.hpp"
#include "publish/repo_state.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <vector>

namespace kf::publish {

// Debian version order (libdpkg), for with_set and made_packages.
bool version_less(const std::string& a, const std::string& b);

// REPO/.kflavour
std::filesystem::path state_dir(const std::filesystem::path& repo);
// REPO/.kflavour/gen/N
std::filesystem::path generation_dir(const std::filesystem::path& repo, int generation);
// N of the generation REPO/dists points to; 0 when there is none yet.
int current_generation(const std::filesystem::path& repo);

// An exclusive flock on REPO/.kflavour/lock for as long as it lives: two
// publishes into one repository run one after the other.
class RepoLock {
public:
    static Result<RepoLock> take(const std::filesystem::path& repo, const Report& report);
    RepoLock(RepoLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    RepoLock& operator=(RepoLock&&) = delete;
    ~RepoLock();

private:
    explicit RepoLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// Removes what a stopped or killed publish left: generation directories
// other than `keep`, and pool files that `state` (what generation `keep`
// says) does not name. Returns how many pool files went.
size_t sweep_leftovers(const std::filesystem::path& repo, int keep, const RepoState& state);
// Removes pool files (and emptied folders) that `state` does not name.
size_t sweep_pool(const std::filesystem::path& repo, const RepoState& state, const std::vector<MadePackage>& made);

// Builds each made package with dpkg-deb into the pool (reproducibly: fixed
// times and owners), unless the pool has it already with the same bytes.
Status build_made_packages(const std::vector<MadePackage>& made, const std::filesystem::path& repo,
                           sys::ProcessRunner& runner);

// Generation `gen`: file lists, Packages by apt-ftparchive, a Release per
// suite, InRelease and Release.gpg when the state has a signing key, state.json.
Status write_generation(const RepoState& state, const std::vector<MadePackage>& made, const std::filesystem::path& repo,
                        int gen, sys::ProcessRunner& runner);

// Points REPO/dists at generation `gen`, in one rename.
Status show_generation(const std::filesystem::path& repo, int gen);

}  // namespace kf::publish
