// libgit2 start-up and RAII owners of its objects, shared by the git wrappers.
// Internal to src/fork.
#pragma once

#include <git2.h>

#include <memory>

namespace kf::sys::git_handles {

// libgit2 must be initialised once before any call; shut down at exit.
inline void ensure_libgit2() {
    struct Libgit2 {
        Libgit2() { git_libgit2_init(); }
        ~Libgit2() { git_libgit2_shutdown(); }
    };
    static Libgit2 instance;
}

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};

using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using RefPtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using ConfigPtr = std::unique_ptr<git_config, Deleter<git_config, git_config_free>>;
using SignaturePtr = std::unique_ptr<git_signature, Deleter<git_signature, git_signature_free>>;
using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;

}  // namespace kf::sys::git_handles
