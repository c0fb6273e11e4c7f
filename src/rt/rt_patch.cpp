#include "rt/rt_patch.hpp"

#include "base/text.hpp"
#include "tree/kernel_version.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace kf {

namespace {

std::optional<int> to_int(std::string_view s) {
    int v = 0;
    if (s.empty() || s.size() > 6) return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

// "6.1.176" or "6.1" → a version.
std::optional<KernelVersion> parse_dotted(std::string_view s) {
    std::vector<int> parts;
    while (true) {
        auto dot = s.find('.');
        auto n = to_int(s.substr(0, dot));
        if (!n) return std::nullopt;
        parts.push_back(*n);
        if (dot == std::string_view::npos) break;
        s.remove_prefix(dot + 1);
    }
    if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
    return KernelVersion{parts[0], parts[1], parts.size() == 3 ? parts[2] : 0};
}

std::string listing(const std::vector<RtPatchName>& names) {
    std::vector<std::string> out;
    for (const auto& n : names) out.push_back(n.path);
    return out.empty() ? std::string("none") : join(out, ", ");
}

}  // namespace

std::string KernelVersion::text() const {
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(sublevel);
}

Result<KernelVersion> tree_kernel_version(std::string_view makefile) {
    auto vars = makefile_version_fields(makefile);
    auto major = to_int(vars["VERSION"]), minor = to_int(vars["PATCHLEVEL"]);
    auto sub = vars["SUBLEVEL"].empty() ? std::optional<int>(0) : to_int(vars["SUBLEVEL"]);
    if (!major || !minor || !sub) return bad_input("the top Makefile has no numeric VERSION/PATCHLEVEL/SUBLEVEL: not a kernel tree");
    return KernelVersion{*major, *minor, *sub};
}

std::string compression_of(std::string_view name) {
    for (const char* ext : {"xz", "gz"})
        if (name.ends_with(std::string(".") + ext)) return ext;
    return "";
}

std::optional<RtPatchName> parse_rt_patch_name(std::string_view path) {
    RtPatchName p;
    p.path = std::string(path);
    std::string_view name = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
    p.compression = compression_of(name);
    if (!p.compression.empty()) name.remove_suffix(p.compression.size() + 1);
    if (!name.starts_with("patch-") || !name.ends_with(".patch")) return std::nullopt;
    name = name.substr(6, name.size() - 6 - 6);  // "6.1.176-rt64", "6.2-rc3-rt1"
    auto rt = name.rfind("-rt");
    if (rt == std::string_view::npos) return std::nullopt;
    auto n = to_int(name.substr(rt + 3));
    if (!n) return std::nullopt;
    p.rt = *n;
    name = name.substr(0, rt);
    if (auto rc = name.find("-rc"); rc != std::string_view::npos) {
        if (!to_int(name.substr(rc + 3))) return std::nullopt;
        p.rc = true;
        name = name.substr(0, rc);
    }
    auto v = parse_dotted(name);
    if (!v) return std::nullopt;
    p.version = *v;
    return p;
}

Result<std::vector<RtCandidate>> rank_rt_patches(const std::vector<std::string>& listed, const KernelVersion& tree,
                                                 const std::string& source) {
    std::vector<RtPatchName> all, same_minor, usable;
    for (const auto& path : listed)
        if (auto p = parse_rt_patch_name(path)) all.push_back(*p);
    const std::string minor = std::to_string(tree.major) + "." + std::to_string(tree.minor);
    for (const auto& p : all)
        if (p.version.major == tree.major && p.version.minor == tree.minor) same_minor.push_back(p);
    for (const auto& p : same_minor)
        if (!p.rc && p.version.sublevel <= tree.sublevel) usable.push_back(p);
    if (usable.empty()) {
        Error e = bad_input("no usable RT patch for Linux " + tree.text() + " in " + source);
        if (all.empty())
            e.message += ": it lists no patch-X.Y.Z-rtN.patch[.xz|.gz]";
        else if (same_minor.empty())
            e.message += ": none for " + minor + " (found: " + listing(all) + ")";
        else
            e.message += ": for " + minor + " only release candidates or higher sublevels, which are never applied "
                         "to an older tree (found: " + listing(same_minor) + ")";
        e.hint = "RT patches live in https://cdn.kernel.org/pub/linux/kernel/projects/rt/" + minor +
                 "/ (older ones under older/); from Linux 6.12 on x86_64, arm64 and riscv64 no patch is needed";
        return e;
    }
    std::stable_sort(usable.begin(), usable.end(), [](const RtPatchName& a, const RtPatchName& b) {
        if (a.version != b.version) return a.version > b.version;
        return a.rt > b.rt;
    });
    std::vector<RtCandidate> out;
    for (const auto& p : usable) {
        std::string why = p.version == tree ? "exact match for Linux " + tree.text()
                                            : "newest stable RT patch of " + minor + " below " + tree.text() +
                                                  " (no -rt release exists for " + tree.text() + ")";
        if (!out.empty()) why = "next candidate: " + why;
        int others = int(std::count_if(usable.begin(), usable.end(), [&](const RtPatchName& q) { return q.version == p.version; }));
        if (others > 1) why += "; highest -rtN of " + p.version.text() + " first";
        out.push_back({p, std::move(why)});
    }
    return out;
}

std::vector<std::string> index_links(std::string_view html) {
    std::vector<std::string> out;
    constexpr std::string_view key = "href=\"";
    for (size_t at = html.find(key); at != std::string_view::npos; at = html.find(key, at)) {
        at += key.size();
        auto end = html.find('"', at);
        if (end == std::string_view::npos) break;
        std::string link(html.substr(at, end - at));
        if (auto q = link.find_first_of("?#"); q != std::string::npos) link.erase(q);
        if (link.empty() || link.starts_with("..") || link.starts_with("/") || link.find("://") != std::string::npos)
            continue;
        if (std::find(out.begin(), out.end(), link) == out.end()) out.push_back(link);
    }
    return out;
}

std::vector<std::string> patched_files(std::string_view dry_run_output) {
    std::vector<std::string> out;
    constexpr std::string_view key = "checking file ";
    for (auto line : split_lines(dry_run_output)) {
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
        if (!line.starts_with(key)) continue;
        std::string file(line.substr(key.size()));
        if (file.size() >= 2 && file.front() == '\'' && file.back() == '\'') file = file.substr(1, file.size() - 2);
        if (std::find(out.begin(), out.end(), file) == out.end()) out.push_back(std::move(file));
    }
    return out;
}

Result<std::vector<std::string>> quilt_series(std::string_view text, const std::string& file) {
    std::vector<std::string> out;
    int number = 0;
    for (auto raw : split_lines(text)) {
        ++number;
        auto line = trim(raw);
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = trim(line.substr(0, hash));
        if (line.empty()) continue;
        auto words = split_words(line);
        const std::string& name = words[0];
        for (size_t i = 1; i < words.size(); ++i)
            if (words[i].starts_with("-p") && words[i] != "-p1")
                return bad_input("series entry " + quote_input(name) + " asks for " + words[i] + "; kflavour applies with -p1",
                                 file, number);
        if (name.starts_with("/") || name == ".." || name.starts_with("../") || name.find("/../") != std::string::npos)
            return bad_input("series entry " + quote_input(name) + " leaves the series directory", file, number);
        out.push_back(name);
    }
    if (out.empty()) return bad_input("the quilt series names no patch", file);
    return out;
}

}  // namespace kf
