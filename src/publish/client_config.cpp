#include "publish/client_config.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "publish/index_plan.hpp"
#include "publish/publish_run.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace kf::publish {
namespace fs = std::filesystem;

SetManifest read_set_manifest(const fs::path& set) {
    SetManifest m;
    std::error_code ec;
    const fs::path file = (fs::is_directory(set, ec) ? set : set.parent_path()) / "manifest.json";
    auto text = read_text_file(file);
    if (!text.ok()) return m;
    const auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return m;
    if (j.contains("suite") && j["suite"].is_string()) m.suite = j["suite"].get<std::string>();
    if (j.contains("flavours") && j["flavours"].is_string()) m.flavours = split_words(j["flavours"].get<std::string>());
    return m;
}

namespace {

// The suite the client follows: the one asked for, which must be published,
// or the repository's only one.
Result<std::string> client_suite(const RepoState& state, const ClientConfigRequest& request) {
    std::vector<std::string> suites;
    for (const auto& s : state.sets)
        if (std::find(suites.begin(), suites.end(), s.suite) == suites.end()) suites.push_back(s.suite);
    if (suites.empty()) return bad_input("the repository has nothing published yet", request.repo.string());
    std::string suite = request.suite;
    if (suite.empty() && suites.size() == 1) suite = suites[0];
    if (suite.empty())
        return bad_input("the repository has several suites (" + join(suites, ", ") + "): say which with --suite");
    if (std::find(suites.begin(), suites.end(), suite) == suites.end())
        return bad_input("the repository has no suite " + quote_input(suite) + " (it has " + join(suites, ", ") + ")");
    return suite;
}

}  // namespace

Result<ClientConfig> write_client_config(sys::ProcessRunner& runner, const ClientConfigRequest& request) {
    KF_TRY(const auto state, current_state(request.repo));
    KF_TRY(const std::string suite, client_suite(state, request));
    std::error_code ec;
    fs::create_directories(request.dir, ec);
    if (ec) return failure("cannot create the client config directory: " + ec.message(), request.dir.string());
    ClientConfig out;
    out.sources = request.dir / (request.name + ".sources");
    if (!state.signing_key.empty()) {
        out.keyring = "/etc/apt/keyrings/" + request.name + ".gpg";
        out.keyring_file = request.dir / (request.name + ".gpg");
        KF_TRY_STATUS(export_keyring(runner, state.signing_key, out.keyring_file));
    }
    KF_TRY_STATUS(write_file_atomically(out.sources, sources_file(request.url, suite, request.component, out.keyring)));
    return out;
}

}  // namespace kf::publish
