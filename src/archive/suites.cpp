#include "archive/suites.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <array>

namespace kf {
namespace {

// Oldest first: an index comparison is a release comparison.
constexpr std::array<std::string_view, 18> kUbuntu = {
    "trusty", "xenial", "bionic", "cosmic", "disco", "eoan", "focal", "groovy", "hirsute", "impish",
    "jammy", "kinetic", "lunar", "mantic", "noble", "oracular", "plucky", "questing",
};
constexpr std::array<std::string_view, 9> kDebian = {
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid",
};
// dpkg 1.21.18 (Debian) and Ubuntu's dpkg since jammy unpack zstd members.
constexpr std::string_view kFirstDebianZstd = "bookworm";
constexpr std::string_view kFirstUbuntuZstd = "jammy";

std::string_view codename(std::string_view suite) { return suite.substr(0, suite.find('-')); }

template <size_t N>
long index_of(const std::array<std::string_view, N>& list, std::string_view name) {
    auto it = std::find(list.begin(), list.end(), name);
    return it == list.end() ? -1 : long(it - list.begin());
}

}  // namespace

Distro distro_of(std::string_view suite) {
    return index_of(kUbuntu, codename(suite)) >= 0 ? Distro::ubuntu : Distro::debian;
}

std::string default_deb_compression(std::string_view suite) {
    std::string_view name = codename(suite);
    if (name == "unstable" || name == "testing" || name == "experimental") name = "sid";
    const long u = index_of(kUbuntu, name);
    if (u >= 0) return u >= index_of(kUbuntu, kFirstUbuntuZstd) ? "zstd" : "";
    const long d = index_of(kDebian, name);
    if (d >= 0) return d >= index_of(kDebian, kFirstDebianZstd) ? "zstd" : "";
    return "";
}

bool valid_deb_compression(std::string_view type) {
    return type == "zstd" || type == "xz" || type == "gzip" || type == "none";
}

Status check_suite_name(std::string_view suite) {
    auto ok_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-'; };
    const bool ok = !suite.empty() && suite.size() <= 64 && ok_char(suite[0]) && suite[0] != '.' && suite[0] != '-' &&
                    suite[0] != '+' && std::all_of(suite.begin(), suite.end(), ok_char);
    if (ok) return ok_status();
    return bad_input("invalid suite " + quote_input(suite) + ": a codename like bookworm or focal ([a-z0-9][a-z0-9.+-]*)");
}

}  // namespace kf
