#include "deps/deps_fix_run.hpp"

#include "base/data_dirs.hpp"
#include "base/fs.hpp"
#include "deps/build_depends.hpp"

namespace kf::sys {

Result<DepsFixOutcome> fix_build_deps(ProcessRunner& runner, const Os& os, const DepsFixRequest& req) {
    DepsFixOutcome done;
    KF_TRY(done.file, control_file(req.tree));
    KF_TRY(std::string text, read_text_file(done.file));
    KF_TRY(auto fields, parse_build_depends(text, done.file.string()));
    KF_TRY(auto twins_text, read_data_file(os, "templates/native-twins"));
    Error neither = with_hint(bad_input("say whose archive metadata to use: --suite S, --chroot NAME or --apt-lists DIR"),
                              "kflavour chroot list shows the cached chroots");
    KF_TRY(ArchiveLists lists, load_archive_lists(runner, os, req.lists, req.build_arch, std::move(neither)));
    done.metadata = lists.source.describe();
    done.plan = plan_deps_fix(text, fields, lists.source, parse_native_twins(twins_text));
    done.edits.put(done.file, text, done.plan.text);
    if (req.write) {
        KF_TRY_STATUS(done.edits.apply());
        done.written = done.plan.changed;
    }
    return done;
}

}  // namespace kf::sys
