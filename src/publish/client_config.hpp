// What publish reads beside the repository: a set's manifest.json (written
// by build), and the client configuration it writes for the cluster's
// machines (a deb822 .sources file and the repository's public key).
#pragma once

#include "base/error.hpp"
#include "base/process.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kf::publish {

// The release a set was built for and its flavours, from the manifest.json
// beside its .debs (a .changes file: beside it). Empty for a set without one
// or with one that says neither.
struct SetManifest {
    std::string suite;
    std::vector<std::string> flavours;
};
SetManifest read_set_manifest(const std::filesystem::path& set);

struct ClientConfigRequest {
    std::filesystem::path repo;
    std::string suite;  // empty: the repository's only suite
    std::string component;
    std::string url;   // where clients reach the repository
    std::string name;  // of the .sources and .gpg files
    std::filesystem::path dir;
};

struct ClientConfig {
    std::filesystem::path sources;       // DIR/NAME.sources
    std::filesystem::path keyring_file;  // DIR/NAME.gpg; empty for an unsigned repository
    std::string keyring;                 // where Signed-By says it goes on the client
};

// The suite checked against what the repository has published, the public
// key exported (signed repositories) and the .sources file written into DIR.
Result<ClientConfig> write_client_config(sys::ProcessRunner& runner, const ClientConfigRequest& request);

}  // namespace kf::publish
