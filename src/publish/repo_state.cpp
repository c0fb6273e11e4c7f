#include "publish/repo_state.hpp"

#include "base/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace kf::publish {

namespace {

bool ends_with_flavour(const std::string& release, const std::string& flavour) {
    return !flavour.empty() && release.size() > flavour.size() + 1 && release.ends_with("-" + flavour);
}

// R of an image package name, or "" when the name is not a kernel image.
std::string release_of_image(const std::string& name) {
    if (name.ends_with("-dbg") || name.ends_with("-dbgsym")) return {};
    for (const char* prefix : {"linux-image-unsigned-", "linux-image-"}) {
        if (!name.starts_with(prefix)) continue;
        std::string r = name.substr(std::string(prefix).size());
        if (r.ends_with("-unsigned")) r.resize(r.size() - 9);  // Debian's linux-image-R-unsigned
        // A release starts with its version: 6.1.192-…, 5.4.0-200-…
        if (r.empty() || !std::isdigit(static_cast<unsigned char>(r[0]))) return {};
        return r;
    }
    return {};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '+' || c == '-'; }

// What follows a release's version (6.1.192, 5.4.0) and ABI number (-200):
// "tickless" of 5.4.0-200-tickless, "rt-amd64" of 6.1.0-28-rt-amd64.
std::string flavour_after_version(const std::string& r) {
    size_t i = 0;
    auto digits = [&] {
        const size_t start = i;
        while (i < r.size() && is_digit(r[i])) ++i;
        return i > start;
    };
    if (!digits()) return {};
    while (i < r.size() && r[i] == '.') {
        ++i;
        if (!digits()) return {};
    }
    if (i + 1 < r.size() && r[i] == '-' && is_digit(r[i + 1])) {  // an ABI number, when a '-' follows it
        size_t j = i + 1;
        while (j < r.size() && (is_digit(r[j]) || r[j] == '.')) ++j;
        if (j < r.size() && r[j] == '-') i = j;
    }
    if (i >= r.size() || r[i] != '-') return {};
    const std::string f = r.substr(i + 1);
    if (f.empty() || f[0] == '.' || f[0] == '+' || f[0] == '-') return {};
    for (char c : f)
        if (!is_name_char(c)) return {};
    return f;
}

std::string flavour_of_release(const std::string& release, const std::vector<std::string>& flavours) {
    for (const auto& f : flavours)
        if (ends_with_flavour(release, f)) return f;
    return flavour_after_version(release);
}

}  // namespace

Result<SetKernel> kernel_of_set(const std::vector<SetPackage>& packages, const std::vector<std::string>& flavours) {
    std::vector<const SetPackage*> images;
    for (const auto& p : packages)
        if (!release_of_image(p.name).empty()) images.push_back(&p);
    if (images.empty()) return bad_input("the set has no kernel image package (linux-image-…)");
    // linux-image-unsigned-R and a signed linux-image-R of one release are one kernel.
    const std::string release = release_of_image(images[0]->name);
    for (const auto* p : images)
        if (release_of_image(p->name) != release || p->architecture != images[0]->architecture)
            return with_hint(bad_input("the set holds several kernels (" + images[0]->name + ", " + p->name + ")"),
                             "publish one kernel build at a time");
    SetKernel k;
    k.release = release;
    k.arch = images[0]->architecture;
    k.version = images[0]->version;
    k.maintainer = images[0]->maintainer;
    k.flavour = flavour_of_release(release, flavours);
    if (k.flavour.empty()) return bad_input("cannot tell the flavour of kernel release " + quote_input(release));
    std::set<std::string> names;
    for (const auto& p : packages) names.insert(p.name);
    for (const auto* p : images) k.image_packages.push_back(p->name);
    for (const std::string& extra : {"linux-modules-" + release, "linux-modules-extra-" + release})
        if (names.count(extra)) k.image_packages.push_back(extra);
    if (names.count("linux-headers-" + release)) k.header_packages.push_back("linux-headers-" + release);
    return k;
}

std::string pool_path(const std::string& component, const std::string& source, const std::string& name,
                      const std::string& version, const std::string& architecture) {
    const std::string prefix = source.starts_with("lib") && source.size() > 3 ? source.substr(0, 4) : source.substr(0, 1);
    const auto colon = version.find(':');
    const std::string bare = colon == std::string::npos ? version : version.substr(colon + 1);
    return "pool/" + component + "/" + prefix + "/" + source + "/" + name + "_" + bare + "_" + architecture + ".deb";
}

std::string MadePackage::pool_path() const {
    return publish::pool_path(component, "linux-meta-kflavour", name, version, architecture);
}

RepoState with_set(RepoState state, PublishedSet set, std::optional<int> keep, VersionLess less) {
    const std::string suite = set.suite, flavour = set.flavour, arch = set.arch;
    auto same_line = [&](const PublishedSet& s) { return s.suite == suite && s.flavour == flavour && s.arch == arch; };
    std::erase_if(state.sets, [&](const PublishedSet& s) { return same_line(s) && s.version == set.version; });
    state.sets.push_back(std::move(set));
    if (keep) {
        std::vector<std::string> versions;
        for (const auto& s : state.sets)
            if (same_line(s)) versions.push_back(s.version);
        std::sort(versions.begin(), versions.end(), [less](const auto& a, const auto& b) { return less(b, a); });
        if (versions.size() > size_t(*keep)) {
            std::set<std::string> dropped(versions.begin() + *keep, versions.end());
            std::erase_if(state.sets, [&](const PublishedSet& s) { return same_line(s) && dropped.count(s.version); });
        }
    }
    // A stable order, so the same content always gives the same indexes.
    std::sort(state.sets.begin(), state.sets.end(), [](const PublishedSet& a, const PublishedSet& b) {
        return std::tie(a.suite, a.flavour, a.arch, a.version) < std::tie(b.suite, b.flavour, b.arch, b.version);
    });
    return state;
}

RepoState with_cmdline(RepoState state, const std::string& suite, const std::string& component,
                       const std::string& flavour, const std::string& arguments) {
    auto it = std::find_if(state.cmdlines.begin(), state.cmdlines.end(),
                           [&](const CmdlineEntry& c) { return c.suite == suite && c.flavour == flavour; });
    if (arguments.empty()) {
        if (it != state.cmdlines.end()) state.cmdlines.erase(it);
        return state;
    }
    if (it == state.cmdlines.end()) {
        state.cmdlines.push_back({suite, component, flavour, arguments, 1});
    } else if (it->arguments != arguments || it->component != component) {
        it->arguments = arguments;
        it->component = component;
        ++it->version;
    }
    return state;
}

Status check_cmdline(const std::string& arguments) {
    for (char c : arguments) {
        if (c == '"' || c == '\\' || c == '$' || c == '`')
            return bad_input("--cmdline " + quote_input(arguments) + ": no quotes, backslashes, $ or ` (grub's config is shell)");
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return bad_input("--cmdline " + quote_input(arguments) + ": a control character or newline");
    }
    if (arguments.size() > 1024) return bad_input("--cmdline: longer than 1024 characters");
    return ok_status();
}

Status check_archive_name(const std::string& what, const std::string& value) {
    auto ok_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '_' || c == '+' || c == '-';
    };
    const bool ok = !value.empty() && value.size() <= 64 && value[0] != '.' && value[0] != '-' && value[0] != '+' &&
                    std::all_of(value.begin(), value.end(), ok_char);
    if (!ok) return bad_input(what + " " + quote_input(value) + ": letters, digits and . _ + - only (no '/'), at most 64");
    return ok_status();
}

std::vector<std::string> referenced_pool_paths(const RepoState& state, const std::vector<MadePackage>& made) {
    std::set<std::string> paths;
    for (const auto& s : state.sets)
        for (const auto& f : s.files) paths.insert(f.path);
    for (const auto& m : made) paths.insert(m.pool_path());
    return {paths.begin(), paths.end()};
}

namespace {
using json = nlohmann::ordered_json;

std::vector<std::string> strings(const json& j, const char* key) {
    std::vector<std::string> out;
    for (const auto& v : j.at(key)) out.push_back(v.get<std::string>());
    return out;
}
}  // namespace

std::string state_to_json(const RepoState& state) {
    json sets = json::array();
    for (const auto& s : state.sets) {
        json files = json::array();
        for (const auto& f : s.files)
            files.push_back({{"path", f.path}, {"package", f.package}, {"version", f.version},
                             {"architecture", f.architecture}, {"sha256", f.sha256}});
        sets.push_back({{"suite", s.suite}, {"component", s.component}, {"flavour", s.flavour}, {"arch", s.arch},
                        {"version", s.version}, {"release", s.release}, {"image_packages", s.image_packages},
                        {"header_packages", s.header_packages}, {"maintainer", s.maintainer}, {"files", files}});
    }
    json cmdlines = json::array();
    for (const auto& c : state.cmdlines)
        cmdlines.push_back({{"suite", c.suite}, {"component", c.component}, {"flavour", c.flavour},
                            {"arguments", c.arguments}, {"version", c.version}});
    json j = {{"format", 1}, {"signing_key", state.signing_key}, {"sets", sets}, {"cmdlines", cmdlines}};
    return j.dump(2) + "\n";
}

Result<RepoState> state_from_json(const std::string& text, const std::string& file) {
    try {
        const json j = json::parse(text);
        if (j.at("format").get<int>() != 1) return failure("an unknown format of kflavour's repository state", file);
        RepoState state;
        state.signing_key = j.at("signing_key").get<std::string>();
        for (const auto& s : j.at("sets")) {
            PublishedSet set;
            set.suite = s.at("suite").get<std::string>();
            set.component = s.at("component").get<std::string>();
            set.flavour = s.at("flavour").get<std::string>();
            set.arch = s.at("arch").get<std::string>();
            set.version = s.at("version").get<std::string>();
            set.release = s.at("release").get<std::string>();
            set.image_packages = strings(s, "image_packages");
            set.header_packages = strings(s, "header_packages");
            set.maintainer = s.at("maintainer").get<std::string>();
            for (const auto& f : s.at("files"))
                set.files.push_back({f.at("path").get<std::string>(), f.at("package").get<std::string>(),
                                     f.at("version").get<std::string>(), f.at("architecture").get<std::string>(),
                                     f.at("sha256").get<std::string>()});
            state.sets.push_back(std::move(set));
        }
        for (const auto& c : j.at("cmdlines"))
            state.cmdlines.push_back({c.at("suite").get<std::string>(), c.at("component").get<std::string>(),
                                      c.at("flavour").get<std::string>(), c.at("arguments").get<std::string>(),
                                      c.at("version").get<int>()});
        return state;
    } catch (const json::exception& e) {
        return failure(std::string("kflavour's repository state is damaged: ") + e.what(), file);
    }
}

}  // namespace kf::publish
