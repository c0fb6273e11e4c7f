#include "publish/publish_run.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "publish/repo_files.hpp"
#include "archive/deb_archive.hpp"
#include "archive/dpkg.hpp"

#include <algorithm>
#include <cerrno>

#include <unistd.h>

namespace kf::publish {
namespace fs = std::filesystem;

namespace {

// What the set adds to the pool: each .deb at its pool path, with its hash.
struct Incoming {
    fs::path from;
    PoolFile to;
};

Result<std::vector<Incoming>> incoming_files(const PublishRequest& req, const fs::path& repo) {
    std::vector<Incoming> out;
    for (const auto& f : req.files) {
        const auto& p = f.package;
        const std::string source = p.source.empty() ? p.name : p.source;
        PoolFile to{pool_path(req.component, source, p.name, p.version, p.architecture), p.name, p.version,
                    p.architecture, {}};
        KF_TRY(to.sha256, sys::sha256_of(f.file));
        // The same name, version and arch with other bytes: apt would see a hash mismatch.
        if (std::error_code ec; fs::exists(repo / to.path, ec)) {
            KF_TRY(auto there, sys::sha256_of(repo / to.path));
            if (there != to.sha256)
                return with_hint(bad_input(p.name + " " + p.version + " (" + p.architecture +
                                               ") is already published with other contents",
                                           (repo / to.path).string()),
                                 "a rebuild needs a new version: build again with --pkg-version");
        }
        out.push_back({f.file, std::move(to)});
    }
    return out;
}

PublishedSet published_set(const PublishRequest& req, const SetKernel& k, const std::vector<Incoming>& incoming) {
    PublishedSet s{req.suite, req.component, k.flavour, k.arch, k.version, k.release,
                   k.image_packages, k.header_packages, k.maintainer, {}};
    for (const auto& i : incoming) s.files.push_back(i.to);
    std::sort(s.files.begin(), s.files.end(), [](const PoolFile& a, const PoolFile& b) { return a.path < b.path; });
    return s;
}

// Copies `from` to `to` in one step (a temporary renamed into place).
Status copy_into_pool(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    if (ec) return failure("cannot create " + to.parent_path().string() + ": " + ec.message());
    std::string temp = temp_template(to);
    int fd = ::mkstemp(temp.data());
    if (fd < 0) return failure(sys_error("cannot create a temporary file", errno), to.parent_path().string());
    ::close(fd);
    fs::copy_file(from, temp, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::permissions(temp, fs::perms(0644), ec);
    if (!ec) fs::rename(temp, to, ec);
    if (ec) {
        fs::remove(temp);
        return failure("cannot copy " + from.string() + " into the pool: " + ec.message(), to.string());
    }
    return ok_status();
}

Result<size_t> add_to_pool(const std::vector<Incoming>& incoming, const fs::path& repo) {
    size_t added = 0;
    for (const auto& i : incoming) {
        if (std::error_code ec; fs::exists(repo / i.to.path, ec)) continue;  // the same bytes (checked)
        KF_TRY_STATUS(copy_into_pool(i.from, repo / i.to.path));
        ++added;
    }
    return added;
}

// --cmdline, else the flavour definition's default when the suite has no
// linux-F-cmdline yet (nullopt: leave the repository's as it is).
Result<std::optional<std::string>> cmdline_to_publish(const PublishRequest& req, const RepoState& current,
                                                      const std::string& flavour, const Report& report) {
    if (req.cmdline || !req.default_cmdline) return req.cmdline;
    for (const auto& c : current.cmdlines)
        if (c.suite == req.suite && c.flavour == flavour) return std::optional<std::string>();
    auto arguments = req.default_cmdline(flavour);
    if (!arguments || arguments->empty()) return std::optional<std::string>();
    KF_TRY_STATUS(check_cmdline(*arguments));
    if (report) report("linux-" + flavour + "-cmdline: \"" + *arguments + "\" (the flavour definition's Cmdline:)");
    return arguments;
}

}  // namespace

Result<RepoState> current_state(const fs::path& repo) {
    const auto gen = current_generation(repo);
    if (gen == 0) return RepoState{};
    const fs::path file = generation_dir(repo, gen) / "state.json";
    KF_TRY(auto text, read_text_file(file));
    return state_from_json(text, file.string());
}

Result<PublishOutcome> run_publish(const PublishRequest& req, sys::ProcessRunner& runner, const Report& report) {
    const fs::path repo = req.repo;
    std::vector<SetPackage> packages;
    for (const auto& f : req.files) packages.push_back(f.package);
    PublishOutcome outcome;
    KF_TRY(outcome.kernel, kernel_of_set(packages, req.flavours));
    if (req.cmdline) KF_TRY_STATUS(check_cmdline(*req.cmdline));

    KF_TRY(auto lock, RepoLock::take(repo, report));
    outcome.generation = current_generation(repo);
    KF_TRY(const RepoState current, current_state(repo));
    sweep_leftovers(repo, outcome.generation, current);
    KF_TRY(const auto incoming, incoming_files(req, repo));
    KF_TRY(const auto cmdline, cmdline_to_publish(req, current, outcome.kernel.flavour, report));

    RepoState next = with_set(current, published_set(req, outcome.kernel, incoming), req.keep, version_less);
    if (cmdline) next = with_cmdline(std::move(next), req.suite, req.component, outcome.kernel.flavour, *cmdline);
    next.signing_key = req.signing_key;
    for (const auto& s : current.sets)
        if (std::find(next.sets.begin(), next.sets.end(), s) == next.sets.end() && s.suite == req.suite &&
            s.flavour == outcome.kernel.flavour && s.arch == outcome.kernel.arch && s.version != outcome.kernel.version)
            outcome.dropped_versions.push_back(s.version);
    if (next == current) return outcome;  // nothing to do: not a byte changes

    sys::InterruptGuard guard;
    const int gen = outcome.generation + 1;
    auto abandon = [&](Error e) {
        sweep_leftovers(repo, outcome.generation, current);  // the new generation and pool files go again
        return e;
    };
    auto step = [&](Status s) -> Status {
        // A signal stops the tool that runs, which then fails: the signal is the news.
        if (sys::InterruptGuard::interrupted()) return abandon(sys::InterruptGuard::error("nothing was published"));
        if (!s.ok()) return abandon(std::move(s.error()));
        return ok_status();
    };

    auto added = add_to_pool(incoming, repo);
    KF_TRY_STATUS(step(added.ok() ? ok_status() : Status(added.error())));
    outcome.pool_files_added = *added;
    const auto made = made_packages(next, version_less);
    KF_TRY_STATUS(step(build_made_packages(made, repo, runner)));
    KF_TRY_STATUS(step(write_generation(next, made, repo, gen, runner)));

    KF_TRY_STATUS(step(show_generation(repo, gen)));
    outcome.changed = true;
    outcome.generation = gen;
    outcome.pool_files_removed = sweep_leftovers(repo, gen, next);
    return outcome;
}

}  // namespace kf::publish
