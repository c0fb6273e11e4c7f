#include "sys/git.hpp"

#include <git2.h>

#include <memory>

namespace kf::sys {
namespace {

struct Libgit2 {
    Libgit2() { git_libgit2_init(); }
    ~Libgit2() { git_libgit2_shutdown(); }
};

void ensure_init() { static Libgit2 instance; }

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using ConfigPtr = std::unique_ptr<git_config, Deleter<git_config, git_config_free>>;
using BufPtr = std::unique_ptr<git_buf, Deleter<git_buf, git_buf_dispose>>;

}  // namespace

std::optional<std::string> git_config_value(const std::filesystem::path& dir, const std::string& key) {
    ensure_init();
    git_config* raw_cfg = nullptr;
    git_repository* raw_repo = nullptr;
    RepoPtr repo;
    if (git_repository_open_ext(&raw_repo, dir.c_str(), 0, nullptr) == 0) {
        repo.reset(raw_repo);
        if (git_repository_config_snapshot(&raw_cfg, repo.get()) != 0) raw_cfg = nullptr;
    }
    if (!raw_cfg) {
        git_config* base = nullptr;
        if (git_config_open_default(&base) != 0) return std::nullopt;
        ConfigPtr owner(base);
        if (git_config_snapshot(&raw_cfg, base) != 0) return std::nullopt;
    }
    ConfigPtr cfg(raw_cfg);
    const char* value = nullptr;
    if (git_config_get_string(&value, cfg.get(), key.c_str()) != 0 || !value) return std::nullopt;
    return std::string(value);
}

}  // namespace kf::sys
