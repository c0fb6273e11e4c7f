// The index files of a repository state, as apt-ftparchive makes them (pure:
// the file lists, its config and the argv; tested with strings), and the
// client's deb822 sources file.
#pragma once

#include "publish/repo_state.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kf::publish {

struct SuiteIndex {
    std::string suite;
    std::vector<std::string> components, arches;  // sorted
};

struct IndexPlan {
    // Relative to the generation directory: lists/<suite>_<component>_<arch> → pool paths, one a line.
    std::map<std::string, std::string> file_lists;
    std::string generate_config;  // `apt-ftparchive generate` config
    std::vector<SuiteIndex> suites;
};

// `gen` is the generation directory the indexes go to (dists/ inside it);
// `cache` holds apt-ftparchive's database, so unchanged .debs are not read again.
// Arch-all packages are listed for every arch of their suite.
IndexPlan index_plan(const RepoState& state, const std::vector<MadePackage>& made, const std::filesystem::path& repo,
                     const std::filesystem::path& gen, const std::filesystem::path& cache);

// apt-ftparchive's argv for Packages (+ .gz, .xz) of every list.
std::vector<std::string> generate_argv(const std::string& tool, const std::filesystem::path& config);
// apt-ftparchive's argv printing the Release file of `suite` (run in dists/<suite>).
std::vector<std::string> release_argv(const std::string& tool, const SuiteIndex& suite);
// gpg's argv: InRelease (clear-signed) and Release.gpg (detached, armored) of `release`.
std::vector<std::string> clearsign_argv(const std::string& tool, const std::string& key, const std::filesystem::path& release);
std::vector<std::string> detach_sign_argv(const std::string& tool, const std::string& key, const std::filesystem::path& release);

// The client's /etc/apt/sources.list.d/<name>.sources. `keyring` is where the
// keyring file goes on the client; empty for an unsigned repository, which
// then says Trusted: yes, with a warning in the file.
std::string sources_file(const std::string& url, const std::string& suite, const std::string& component,
                         const std::string& keyring);

}  // namespace kf::publish
