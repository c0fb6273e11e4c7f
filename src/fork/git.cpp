#include "fork/git.hpp"

#include "fork/git_handles.hpp"

namespace kf::sys {
using namespace git_handles;

std::optional<std::string> git_config_value(const std::filesystem::path& dir, const std::string& key) {
    ensure_libgit2();
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
