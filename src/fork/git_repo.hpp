// A libgit2 repository behind a small RAII handle: the repository operations
// fork and graft need. Object ids cross this interface as 40-digit hex
// strings so that no libgit2 type leaks into callers.
#pragma once

#include "base/error.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

struct git_repository;

namespace kf::sys {

struct Identity {
    std::string name;
    std::string email;
};

class GitRepo {
public:
    // A new non-bare repository with its work tree at `dir`.
    static Result<GitRepo> init(const std::filesystem::path& dir);
    // The repository at `dir` or above it, like git itself finds it.
    static Result<GitRepo> discover(const std::filesystem::path& dir);
    // The repository whose work tree (or git dir) is exactly `dir`, if any.
    static std::optional<GitRepo> open_exactly(const std::filesystem::path& dir);

    GitRepo(GitRepo&&) noexcept;
    GitRepo& operator=(GitRepo&&) noexcept;
    ~GitRepo();

    std::filesystem::path git_dir() const;
    std::filesystem::path work_dir() const;  // empty for a bare repository
    bool has_commits() const;                // any reference at all

    // `rev` peeled to a commit ("refs/tags/v1", "HEAD", an id, …).
    Result<std::string> commit_of(const std::string& rev) const;
    Result<std::string> tree_of_commit(const std::string& commit) const;
    Result<std::string> message_of_commit(const std::string& commit) const;
    // The commit reached from `commit` by following first parents to the end.
    Result<std::string> root_of(const std::string& commit) const;
    Result<std::string> create_parentless_commit(const std::string& tree, const Identity& author,
                                                 const Identity& committer, const std::string& message);

    // Points HEAD at branch `name` (new, at `commit`) and writes its tree
    // into the work tree, which must be empty.
    Status create_branch_and_check_out(const std::string& name, const std::string& commit);

    std::optional<std::string> reference_target(const std::string& refname) const;
    Status set_reference(const std::string& refname, const std::string& target, const std::string& log_message);
    Status delete_reference(const std::string& refname);

    // The repository's own config (.git/config) and what git would read.
    Status set_config(const std::string& key, const std::string& value);
    std::optional<std::string> config(const std::string& key) const;

private:
    explicit GitRepo(git_repository* repo);
    struct Free {
        void operator()(git_repository* repo) const;
    };
    std::unique_ptr<git_repository, Free> repo_;
};

// Whether `name` is a valid reference name (refs/tags/…, refs/heads/…).
bool is_valid_reference_name(const std::string& name);

}  // namespace kf::sys
