#include "fork/git_repo.hpp"

#include "fork/git_handles.hpp"

namespace kf::sys {
namespace {

using namespace git_handles;

// libgit2's own explanation of the last failure, after what we were doing.
Error git_failure(const std::string& what) {
    const git_error* e = git_error_last();
    return failure(what + (e && e->message ? ": " + std::string(e->message) : std::string()));
}

std::string hex(const git_oid& oid) {
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return buf;
}

Result<git_oid> parse_oid(const std::string& id) {
    git_oid oid;
    if (git_oid_fromstr(&oid, id.c_str()) != 0) return failure("not an object id: " + id);
    return oid;
}

Result<CommitPtr> lookup_commit(git_repository* repo, const std::string& id) {
    KF_TRY(git_oid oid, parse_oid(id));
    git_commit* commit = nullptr;
    if (git_commit_lookup(&commit, repo, &oid) != 0) return git_failure("cannot read commit " + id);
    return CommitPtr(commit);
}

Result<SignaturePtr> signature_now(const Identity& who) {
    git_signature* sig = nullptr;
    if (git_signature_now(&sig, who.name.c_str(), who.email.c_str()) != 0)
        return git_failure("bad identity '" + who.name + " <" + who.email + ">'");
    return SignaturePtr(sig);
}

}  // namespace

void GitRepo::Free::operator()(git_repository* repo) const { git_repository_free(repo); }

GitRepo::GitRepo(git_repository* repo) : repo_(repo) {}
GitRepo::GitRepo(GitRepo&&) noexcept = default;
GitRepo& GitRepo::operator=(GitRepo&&) noexcept = default;
GitRepo::~GitRepo() = default;

Result<GitRepo> GitRepo::init(const std::filesystem::path& dir) {
    ensure_libgit2();
    git_repository* repo = nullptr;
    if (git_repository_init(&repo, dir.c_str(), /*is_bare=*/0) != 0)
        return git_failure("cannot create a repository in " + dir.string());
    return GitRepo(repo);
}

Result<GitRepo> GitRepo::discover(const std::filesystem::path& dir) {
    ensure_libgit2();
    git_repository* repo = nullptr;
    if (git_repository_open_ext(&repo, dir.c_str(), 0, nullptr) != 0) {
        Error e = bad_input(dir.string() + " is not in a git repository");
        e.hint = "run this in the tree made by `kflavour fork`, or pass -C DIR";
        return e;
    }
    return GitRepo(repo);
}

std::optional<GitRepo> GitRepo::open_exactly(const std::filesystem::path& dir) {
    ensure_libgit2();
    git_repository* repo = nullptr;
    if (git_repository_open_ext(&repo, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0)
        return std::nullopt;
    return GitRepo(repo);
}

// libgit2's directory names end in '/'.
std::filesystem::path GitRepo::git_dir() const {
    return std::filesystem::path(git_repository_path(repo_.get())).parent_path();
}

std::filesystem::path GitRepo::work_dir() const {
    const char* dir = git_repository_workdir(repo_.get());
    return dir ? std::filesystem::path(dir).parent_path() : std::filesystem::path();
}

bool GitRepo::has_commits() const { return git_repository_is_empty(repo_.get()) == 0; }

Result<std::string> GitRepo::commit_of(const std::string& rev) const {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo_.get(), rev.c_str()) != 0) return git_failure("cannot find " + rev);
    ObjectPtr object(raw);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0)
        return git_failure(rev + " does not name a commit");
    ObjectPtr commit(peeled);
    return hex(*git_object_id(commit.get()));
}

Result<std::string> GitRepo::tree_of_commit(const std::string& id) const {
    KF_TRY(CommitPtr commit, lookup_commit(repo_.get(), id));
    return hex(*git_commit_tree_id(commit.get()));
}

Result<std::string> GitRepo::message_of_commit(const std::string& id) const {
    KF_TRY(CommitPtr commit, lookup_commit(repo_.get(), id));
    const char* message = git_commit_message(commit.get());
    return std::string(message ? message : "");
}

Result<std::string> GitRepo::root_of(const std::string& id) const {
    KF_TRY(CommitPtr commit, lookup_commit(repo_.get(), id));
    while (git_commit_parentcount(commit.get()) > 0) {
        git_commit* parent = nullptr;
        if (git_commit_parent(&parent, commit.get(), 0) != 0)
            return git_failure("cannot read the parent of " + hex(*git_commit_id(commit.get())));
        commit.reset(parent);
    }
    return hex(*git_commit_id(commit.get()));
}

Result<std::string> GitRepo::create_parentless_commit(const std::string& tree_id, const Identity& author,
                                                      const Identity& committer, const std::string& message) {
    KF_TRY(git_oid tree_oid, parse_oid(tree_id));
    git_tree* raw_tree = nullptr;
    if (git_tree_lookup(&raw_tree, repo_.get(), &tree_oid) != 0) return git_failure("cannot read tree " + tree_id);
    TreePtr tree(raw_tree);
    KF_TRY(SignaturePtr author_sig, signature_now(author));
    KF_TRY(SignaturePtr committer_sig, signature_now(committer));
    git_oid commit;
    if (git_commit_create(&commit, repo_.get(), /*update_ref=*/nullptr, author_sig.get(), committer_sig.get(),
                          /*encoding=*/nullptr, message.c_str(), tree.get(), 0, nullptr) != 0)
        return git_failure("cannot create the commit");
    return hex(commit);
}

Status GitRepo::create_branch_and_check_out(const std::string& name, const std::string& commit_id) {
    KF_TRY(CommitPtr commit, lookup_commit(repo_.get(), commit_id));
    git_reference* raw_branch = nullptr;
    if (git_branch_create(&raw_branch, repo_.get(), name.c_str(), commit.get(), /*force=*/0) != 0)
        return git_failure("cannot create branch " + name);
    RefPtr branch(raw_branch);
    // FORCE: the work tree is known to be empty, and SAFE would take the
    // new HEAD as its baseline and write nothing.
    git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
    options.checkout_strategy = GIT_CHECKOUT_FORCE;
    if (git_checkout_tree(repo_.get(), reinterpret_cast<git_object*>(commit.get()), &options) != 0)
        return git_failure("cannot check out " + name);
    if (git_repository_set_head(repo_.get(), git_reference_name(branch.get())) != 0)
        return git_failure("cannot point HEAD at " + name);
    return ok_status();
}

std::optional<std::string> GitRepo::reference_target(const std::string& refname) const {
    git_oid oid;
    if (git_reference_name_to_id(&oid, repo_.get(), refname.c_str()) != 0) return std::nullopt;
    return hex(oid);
}

Status GitRepo::set_reference(const std::string& refname, const std::string& target, const std::string& log_message) {
    KF_TRY(git_oid oid, parse_oid(target));
    git_reference* ref = nullptr;
    if (git_reference_create(&ref, repo_.get(), refname.c_str(), &oid, /*force=*/1, log_message.c_str()) != 0)
        return git_failure("cannot write " + refname);
    git_reference_free(ref);
    return ok_status();
}

Status GitRepo::delete_reference(const std::string& refname) {
    if (git_reference_remove(repo_.get(), refname.c_str()) != 0) return git_failure("cannot delete " + refname);
    return ok_status();
}

Status GitRepo::set_config(const std::string& key, const std::string& value) {
    git_config* raw = nullptr;
    if (git_repository_config(&raw, repo_.get()) != 0) return git_failure("cannot open the repository config");
    ConfigPtr config(raw);
    // The local level explicitly: set_string on the whole stack would do the
    // same today, but the repository's own file is what we mean.
    git_config* raw_local = nullptr;
    if (git_config_open_level(&raw_local, config.get(), GIT_CONFIG_LEVEL_LOCAL) != 0)
        return git_failure("cannot open .git/config");
    ConfigPtr local(raw_local);
    if (git_config_set_string(local.get(), key.c_str(), value.c_str()) != 0) return git_failure("cannot set " + key);
    return ok_status();
}

std::optional<std::string> GitRepo::config(const std::string& key) const {
    git_config* raw = nullptr;
    if (git_repository_config_snapshot(&raw, repo_.get()) != 0) return std::nullopt;
    ConfigPtr config(raw);
    const char* value = nullptr;
    if (git_config_get_string(&value, config.get(), key.c_str()) != 0 || !value) return std::nullopt;
    return std::string(value);
}

bool is_valid_reference_name(const std::string& name) {
    ensure_libgit2();
    int valid = 0;
    return git_reference_name_is_valid(&valid, name.c_str()) == 0 && valid;
}

}  // namespace kf::sys
