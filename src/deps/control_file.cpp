#include "deps/control_file.hpp"

#include "base/data_dirs.hpp"
#include "deps/build_depends.hpp"
#include "tree/tree.hpp"

namespace kf::sys {
namespace fs = std::filesystem;

Result<fs::path> control_file(const fs::path& root) {
    auto detected = detect_tree(root);
    std::error_code ec;
    // Any source package with a debian/control works too.
    if (!detected.ok() && fs::is_regular_file(root / "debian" / "control", ec)) return root / "debian" / "control";
    if (!detected.ok()) return detected.error();
    Tree tree = *detected;
    if (tree.kind == TreeKind::ubuntu) return tree.debian_dir / "control.stub.in";
    if (tree.kind == TreeKind::debian) return tree.root / "debian" / "control";
    Error e = bad_input("an upstream tree has no Build-Depends to fix", root.string());
    e.hint = "run deps fix in a Debian or Ubuntu tree";
    return e;
}

Result<ArchiveLists> chroot_lists(ProcessRunner& runner, const ChrootInfo& info, const std::string& build_arch) {
    KF_TRY(auto scratch, extract_apt_lists(runner, info));
    std::string arch = build_arch.empty() && !info.arches.empty() ? info.arches[0] : build_arch;
    KF_TRY(auto src, AptListsSource::load(chroot_apt_lists(scratch.path()), arch, "the apt lists of chroot " + info.name));
    return ArchiveLists{std::move(scratch), std::move(src), info};
}

Result<ArchiveLists> load_archive_lists(ProcessRunner& runner, const Os& os, const ListsChoice& choice,
                                        const std::string& build_arch, Error if_neither) {
    if (choice.apt_lists) {
        KF_TRY(auto src, AptListsSource::load(*choice.apt_lists, build_arch));
        return ArchiveLists{std::nullopt, std::move(src), std::nullopt};
    }
    KF_TRY(auto info, named_chroot(choice.chroot_cache, choice.chroot, choice.suite, os.native_arch(),
                                   std::move(if_neither)));
    return chroot_lists(runner, info, build_arch);
}

Result<std::string> build_copy_control(ProcessRunner& runner, const Os& os, const fs::path& file, const std::string& text,
                                       const ChrootInfo& chroot, bool cross, std::vector<RetiredDep>& dropped) {
    KF_TRY(ArchiveLists lists, chroot_lists(runner, chroot, ""));  // extracted once, for both passes
    KF_TRY(auto fields, parse_build_depends(text, file.string()));
    KF_TRY(auto retired_text, read_data_file(os, "templates/retired-build-deps"));
    std::string out = drop_retired_build_deps(text, fields, lists.source, parse_retired_build_deps(retired_text), dropped);
    if (!cross) return out;
    KF_TRY(fields, parse_build_depends(out, file.string()));
    KF_TRY(auto twins_text, read_data_file(os, "templates/native-twins"));
    return plan_deps_fix(out, fields, lists.source, parse_native_twins(twins_text)).text;
}

}  // namespace kf::sys
