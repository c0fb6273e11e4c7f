// What goes into a new generation of a repository: the made packages (in the
// pool), the Packages files and Release of each suite (apt-ftparchive), their
// signatures (gpg) and the state they say.
#include "publish/repo_files.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "publish/index_plan.hpp"
#include "archive/deb_archive.hpp"

#include <unistd.h>

namespace kf::publish {
namespace fs = std::filesystem;

namespace {

// Made packages carry this time, so the same content gives the same bytes.
constexpr const char* kMadeEpoch = "1704067200";

// In a process group of its own: a Ctrl-C stops the tool and what it started.
sys::Command own_group(sys::Command cmd) {
    cmd.own_process_group = true;
    return cmd;
}

Status make_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return failure("cannot create the directory: " + ec.message(), dir.string());
    return ok_status();
}

Status write_new_file(const fs::path& path, const std::string& content, unsigned mode) {
    KF_TRY_STATUS(make_dir(path.parent_path()));
    return write_file_atomically(path, content, mode_t(mode));
}

// dpkg-deb packs the folders' modes as they are: 0755, whatever the umask.
void fix_folder_modes(const fs::path& root) {
    std::error_code ec;
    fs::permissions(root, fs::perms(0755), ec);
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_directory()) fs::permissions(it->path(), fs::perms(0755), ec);
}

// The package's tree under `root` (DEBIAN/ and its files) and the .deb built from it at `deb`.
Status build_one(const MadePackage& m, const fs::path& root, const fs::path& deb, sys::ProcessRunner& runner) {
    KF_TRY_STATUS(write_new_file(root / "DEBIAN" / "control", m.control, 0644));
    for (const auto& s : m.maintainer_scripts) KF_TRY_STATUS(write_new_file(root / "DEBIAN" / s.path, s.content, s.mode));
    for (const auto& f : m.files) KF_TRY_STATUS(write_new_file(root / fs::path(f.path).relative_path(), f.content, f.mode));
    fix_folder_modes(root);
    sys::Command cmd{{sys::tool_path("dpkg-deb"), "--root-owner-group", "-Zxz", "--build", root.string(), deb.string()},
                     {{"SOURCE_DATE_EPOCH", kMadeEpoch}}, {}};
    return sys::run_checked(runner, own_group(cmd));
}

}  // namespace

Status build_made_packages(const std::vector<MadePackage>& made, const fs::path& repo, sys::ProcessRunner& runner) {
    const fs::path work = state_dir(repo) / ("build." + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(work, ec);
    struct Cleanup {
        fs::path dir;
        ~Cleanup() {
            std::error_code e;
            fs::remove_all(dir, e);
        }
    } cleanup{work};
    for (const auto& m : made) {
        const fs::path target = repo / m.pool_path();
        const fs::path root = work / m.name / "root";
        const fs::path deb = work / m.name / fs::path(m.pool_path()).filename();
        KF_TRY_STATUS(build_one(m, root, deb, runner));
        if (fs::exists(target, ec)) {
            KF_TRY(auto built, sys::sha256_of(deb));
            KF_TRY(auto there, sys::sha256_of(target));
            if (built != there)
                return failure(m.name + " " + m.version + " would change under the same version (apt would see a hash "
                               "mismatch); publish the set with a new version",
                               target.string());
            continue;
        }
        KF_TRY_STATUS(make_dir(target.parent_path()));
        if (::rename(deb.c_str(), target.c_str()) != 0)
            return failure(sys_error("cannot move the package into the pool", errno), target.string());
    }
    return ok_status();
}

Status write_generation(const RepoState& state, const std::vector<MadePackage>& made, const fs::path& repo, int gen,
                        sys::ProcessRunner& runner) {
    const fs::path dir = generation_dir(repo, gen);
    std::error_code ec;
    fs::remove_all(dir, ec);
    const IndexPlan plan = index_plan(state, made, repo, dir, state_dir(repo) / "cache");
    KF_TRY_STATUS(make_dir(state_dir(repo) / "cache"));
    for (const auto& [name, text] : plan.file_lists) KF_TRY_STATUS(write_new_file(dir / name, text, 0644));
    const fs::path config = dir / "apt-ftparchive.conf";
    KF_TRY_STATUS(write_new_file(config, plan.generate_config, 0644));
    for (const auto& s : plan.suites)
        for (const auto& c : s.components)
            for (const auto& a : s.arches) KF_TRY_STATUS(make_dir(dir / "dists" / s.suite / c / ("binary-" + a)));

    const std::string ftparchive = sys::tool_path("apt-ftparchive");
    KF_TRY_STATUS(sys::run_checked(runner, own_group({generate_argv(ftparchive, config), {}, repo})));
    for (const auto& s : plan.suites) {
        const fs::path suite_dir = dir / "dists" / s.suite;
        const fs::path release = suite_dir / "Release";
        // apt-ftparchive prints the Release; it goes to a file outside the
        // suite's folder, which the listing would otherwise include.
        const fs::path printed = dir / ("Release." + s.suite);
        std::vector<std::string> argv = {"sh", "-c", "out=$1; shift; exec \"$@\" >\"$out\"", "sh", printed.string()};
        for (auto& a : release_argv(ftparchive, s)) argv.push_back(std::move(a));
        KF_TRY_STATUS(sys::run_checked(runner, own_group({argv, {}, suite_dir})));
        fs::rename(printed, release, ec);
        if (ec) return failure("cannot move the Release file: " + ec.message(), release.string());
        if (state.signing_key.empty()) continue;
        const std::string gpg = sys::tool_path("gpg");
        KF_TRY_STATUS(sys::run_checked(runner, own_group({clearsign_argv(gpg, state.signing_key, release), {}, {}})));
        KF_TRY_STATUS(sys::run_checked(runner, own_group({detach_sign_argv(gpg, state.signing_key, release), {}, {}})));
    }
    return write_file_atomically(dir / "state.json", state_to_json(state));
}

Result<std::string> signing_fingerprint(sys::ProcessRunner& runner, const std::string& key) {
    sys::Command cmd{{sys::tool_path("gpg"), "--batch", "--with-colons", "--list-secret-keys"}, {}, {}};
    if (!key.empty()) {
        cmd.argv.push_back("--");
        cmd.argv.push_back(key);
    }
    KF_TRY(auto out, runner.run(cmd));
    // sec:…, then fpr:::::::::FINGERPRINT: for the primary key.
    bool in_sec = false;
    for (const auto& line : split_lines(out.output)) {
        if (line.starts_with("sec:")) in_sec = true;
        else if (in_sec && line.starts_with("fpr:")) {
            // fpr:::::::::FINGERPRINT: — the tenth field.
            std::string_view rest = line;
            for (int i = 0; i < 9 && !rest.empty(); ++i) {
                const auto colon = rest.find(':');
                rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
            }
            const std::string fpr(rest.substr(0, rest.find(':')));
            if (!fpr.empty()) return fpr;
        } else if (!line.starts_with("gpg:")) in_sec = false;
    }
    if (key.empty())
        return with_hint(bad_input("gpg has no secret key to sign the repository with"),
                         "--key KEYID names one; --unsigned makes a throw-away repository clients must trust blindly");
    return with_hint(bad_input("no secret key " + quote_input(key) + " in gpg's keyring"),
                     "gpg --list-secret-keys shows the keys there (GNUPGHOME picks the keyring)");
}

Status export_keyring(sys::ProcessRunner& runner, const std::string& fingerprint, const fs::path& to) {
    KF_TRY_STATUS(make_dir(to.parent_path()));
    std::string temp = temp_template(to);
    sys::Command cmd{{sys::tool_path("gpg"), "--batch", "--yes", "--output", temp, "--export", fingerprint}, {}, {}};
    auto status = sys::run_checked(runner, own_group(cmd));
    std::error_code ec;
    if (status.ok() && fs::file_size(temp, ec) == 0) status = failure("gpg exported nothing for " + fingerprint);
    if (status.ok()) fs::permissions(temp, fs::perms(0644), ec);
    if (status.ok()) fs::rename(temp, to, ec);
    if (!status.ok() || ec) {
        fs::remove(temp, ec);
        return status.ok() ? failure("cannot write the keyring: " + ec.message(), to.string()) : status;
    }
    return ok_status();
}

}  // namespace kf::publish
