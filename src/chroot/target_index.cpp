#include "chroot/target_index.hpp"

#include <algorithm>

namespace fs = std::filesystem;

namespace kf::sys {
namespace {

// Packages lists (any compression) of `host` in `dir` whose name passes `keep`.
template <typename Keep>
std::vector<fs::path> packages_lists(const fs::path& dir, const std::string& host, Keep keep) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.find("_binary-" + host + "_Packages") != std::string::npos && keep(name)) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

Result<IndexFiles> chroot_index_files(ProcessRunner& runner, const ChrootInfo& chroot, const std::string& host) {
    if (std::find(chroot.arches.begin(), chroot.arches.end(), host) == chroot.arches.end()) {
        Error e = bad_input("chroot " + chroot.name + " has no " + host + " package lists");
        e.hint = "kflavour chroot create " + chroot.suite + " --host " + host + ", or give --packages FILE";
        return e;
    }
    KF_TRY(auto scratch, extract_apt_lists(runner, chroot));
    IndexFiles out;
    out.files = packages_lists(chroot_apt_lists(scratch.path()), host, [](const std::string&) { return true; });
    if (out.files.empty()) return bad_input("chroot " + chroot.name + " has no " + host + " Packages lists", chroot.tarball.string());
    out.origin = "chroot " + chroot.name;
    out.scratch = std::make_shared<ScratchDir>(std::move(scratch));
    return out;
}

Result<IndexFiles> host_index_files(const fs::path& lists_dir, const std::string& suite, const std::string& host) {
    IndexFiles out;
    out.files = packages_lists(lists_dir, host, [&](const std::string& name) {
        for (const char* pocket : {"", "-updates", "-security"})
            if (name.find("_dists_" + suite + pocket + "_") != std::string::npos) return true;
        return false;
    });
    if (out.files.empty()) {
        Error e = bad_input("no package index of " + suite + " for " + host + ": no kflavour chroot of " + suite +
                            " and no " + suite + " lists in " + lists_dir.string());
        e.hint = "kflavour chroot create " + suite + " --host " + host + ", or give --packages FILE";
        return e;
    }
    out.origin = lists_dir.string();
    return out;
}

}  // namespace kf::sys
