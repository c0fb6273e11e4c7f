#include "new/upstream_new.hpp"

#include "base/edit_set.hpp"
#include "base/fs.hpp"
#include "base/text.hpp"
#include "config/kbuild.hpp"
#include "tree/upstream_store.hpp"

#include <algorithm>

namespace kf::sys {
namespace fs = std::filesystem;
namespace {

std::string rel(const Tree& tree, const fs::path& p) { return p.lexically_relative(tree.root).string(); }

// --rt-patch: the patch chosen and checked in `scratch`, said on the way.
Result<RtPatchOutcome> prepare_patch(ProcessRunner& runner, const Reporter& report, const Tree& tree,
                                     const UpstreamNewOptions& opt, const fs::path& scratch) {
    RtPatchRequest pr{*opt.rt_patch, std::nullopt, tree.root, scratch};
    if (opt.keyring) pr.keyring = fs::path(*opt.keyring);
    KF_TRY(RtPatchOutcome o, prepare_rt_patch(runner, pr, [&](const std::string& s) { report.verbose(s); }));
    for (const auto& s : o.skipped) report.warning(s + "; trying the next candidate");
    report.progress("RT patch " + o.name + ": " + o.reason + (o.already_applied ? "; already applied to this tree" : ""));
    report.progress("  signature: " + o.signature);
    report.verbose("  from " + o.source + ", sha256 " + o.sha256 + ", " + std::to_string(o.files) + " file(s)");
    return o;
}

// The RT patch recorded for this flavour: the one --rt-patch gave, else
// the one an earlier `new` recorded (the tree still has it).
std::optional<RtPatchRecord> recorded_patch(const std::optional<RtPatchOutcome>& patch,
                                            const std::optional<std::string>& existing_flavour, const fs::path& file) {
    if (patch) return RtPatchRecord{patch->name, patch->source, patch->sha256};
    if (!existing_flavour) return std::nullopt;
    auto old = parse_upstream_flavour(*existing_flavour, file.string());
    return old.ok() ? old->rt_patch : std::nullopt;
}

// The upstream request from `new`'s options: the base config (read when a
// file), the arches (the native one by default), the settings.
Result<UpstreamNewRequest> upstream_request(const Os& os, const Reporter& report, const Tree& tree,
                                            const NewRequest& req, const UpstreamNewOptions& opt) {
    if (!opt.base_config) {
        Error e = bad_input("an upstream tree (no debian/) needs --base-config: the config the flavour starts from",
                            tree.root.string());
        e.hint = "--base-config tinyconfig, --base-config defconfig, or --base-config FILE (a .config)";
        return e;
    }
    if (req.base != "generic") report.verbose("--base is for Ubuntu trees; ignored on an upstream tree");
    if (!req.version_suffix.empty()) report.verbose("--version-suffix is for Ubuntu trees; ignored on an upstream tree");
    UpstreamNewRequest ur;
    ur.name = req.name;
    std::error_code ec;
    KF_TRY(ur.base, classify_base_config(*opt.base_config, fs::is_regular_file(*opt.base_config, ec)));
    if (ur.base.kind == BaseConfig::Kind::file) {
        KF_TRY(ur.base_content, read_text_file(ur.base.value));
    }
    ur.arches = req.arches;
    if (ur.arches.empty()) ur.arches.push_back(os.native_arch());
    ur.settings = req.settings;
    ur.force = req.force;
    return ur;
}

// Resolves the flavour for each arch on `source` (the tree, or its patched
// shadow) and adds each resolved config to the plan: arch -> its file.
Result<std::map<std::string, std::string>> resolve_arches(ProcessRunner& runner, const Os& os, const Reporter& report,
                                                          const Tree& tree, const fs::path& source,
                                                          const UpstreamNewRequest& ur, bool allow_dropped,
                                                          UpstreamNewPlan& plan) {
    const UpstreamLayout layout{tree.root};
    std::map<std::string, std::string> resolved_files;
    KF_TRY_STATUS(check_kernel_source(tree.root));
    for (const auto& arch : ur.arches) {
        KF_TRY(ResolveOutcome r, resolve_upstream(runner, os, report, source, arch, ur.name, plan.flavour.base,
                                                  ur.base_content.value_or(""), ur.settings, allow_dropped));
        report.verbose(describe_timings(r.timings));
        const fs::path out = layout.resolved_config(ur.name, arch);
        KF_TRY(std::optional<std::string> before, read_text_file_if_exists(out));
        plan.edits.put(out, std::move(before), std::move(r.resolved_config));
        resolved_files[arch] = rel(tree, out);
    }
    return resolved_files;
}

// An existing file kflavour cannot read (unreadable, binary) is an error,
// not a file to overwrite as if it were new.
Result<UpstreamExisting> read_existing(const UpstreamLayout& layout, const std::string& name) {
    UpstreamExisting existing;
    KF_TRY(existing.flavour, read_text_file_if_exists(layout.flavour_file(name)));
    KF_TRY(existing.fragment, read_text_file_if_exists(layout.fragment_file(name)));
    KF_TRY(existing.base, read_text_file_if_exists(layout.base_config_file(name)));
    return existing;
}

}  // namespace

Result<UpstreamNewOutcome> new_upstream_flavour(ProcessRunner& runner, const Os& os, const Reporter& report,
                                                const Tree& tree, const NewRequest& req,
                                                const UpstreamNewOptions& opt) {
    UpstreamNewOutcome done;
    KF_TRY(done.request, upstream_request(os, report, tree, req, opt));
    UpstreamNewRequest& ur = done.request;
    const UpstreamLayout layout{tree.root};
    KF_TRY(UpstreamExisting existing, read_existing(layout, req.name));
    // Ctrl-C while the RT patch is fetched, checked or resolved on: stop
    // with the tree untouched and the scratch dir removed (the guard is
    // declared first, so it outlives the scratch dir).
    std::optional<InterruptGuard> guard;
    if (opt.rt_patch) guard.emplace();
    std::optional<ScratchDir> scratch;
    if (opt.rt_patch) {
        KF_TRY(auto made, ScratchDir::make("kflavour-rt"));
        scratch.emplace(std::move(made));
        KF_TRY(done.patch, prepare_patch(runner, report, tree, opt, scratch->path()));
    }
    ur.rt_patch = recorded_patch(done.patch, existing.flavour, layout.flavour_file(req.name));
    KF_TRY(done.plan, plan_upstream_new(layout, ur, existing));
    UpstreamNewPlan& plan = done.plan;
    const bool patches_tree = done.patch && !done.patch->edits.empty();
    // Kconfig must read the patched tree: a shadow of links until it is written.
    fs::path source = tree.root;
    if (patches_tree && !opt.no_resolve) {
        source = scratch->path() / "shadow";
        KF_TRY_STATUS(make_shadow_tree(tree.root, done.patch->edits, source));
        if (InterruptGuard::interrupted()) return InterruptGuard::error("nothing written, the tree is unchanged");
    }
    if (patches_tree)
        for (const auto& e : done.patch->edits.edits()) plan.edits.put(e.path, e.before, e.after);

    bool all_resolved = std::all_of(ur.arches.begin(), ur.arches.end(),
                                    [&](const std::string& a) { return path_exists(layout.resolved_config(req.name, a)); });
    done.nothing_to_do = plan.same && !patches_tree && (all_resolved || opt.no_resolve) && !req.force;
    if (!done.nothing_to_do && !opt.dry_run) KF_TRY_STATUS(plan.edits.check_writable());

    if (!done.nothing_to_do && !opt.no_resolve) {
        KF_TRY(done.resolved_files, resolve_arches(runner, os, report, tree, source, ur, opt.allow_dropped, plan));
        if (!opt.dry_run) KF_TRY_STATUS(plan.edits.check_writable());
    } else if (opt.no_resolve) {
        report.verbose("not resolving the config (--no-resolve): run kflavour config resolve --arch A --flavour " +
                       req.name);
    }
    if (!opt.dry_run && !done.nothing_to_do) KF_TRY_STATUS(plan.edits.apply_creating_dirs());
    return done;
}

Result<UpstreamResolveOutcome> resolve_upstream_flavour(ProcessRunner& runner, const Os& os, const Reporter& report,
                                                        const Tree& tree, const UpstreamResolveRequest& req) {
    UpstreamResolveOutcome done;
    KF_TRY(done.flavour, load_upstream_flavour(tree, req.flavour));
    UpstreamFlavour& f = done.flavour;
    KF_TRY_STATUS(require_upstream_arch(tree, f, req.arch));
    KF_TRY(UpstreamInputs in, load_upstream_inputs(tree, f));
    const UpstreamLayout layout{tree.root};
    std::vector<ConfigSetting> requested = in.settings;
    if (!req.extra.empty()) {
        requested.insert(requested.end(), req.extra.begin(), req.extra.end());
        if (f.fragment.empty()) {
            f.fragment = layout.fragment_file(req.flavour).filename().string();
            const fs::path ff = layout.flavour_file(req.flavour);
            KF_TRY(std::optional<std::string> before, read_text_file_if_exists(ff));
            done.edits.put(ff, std::move(before), write_upstream_flavour(f));
        }
        done.edits.put(layout.dir() / f.fragment, in.fragment_text, write_upstream_fragment(req.flavour, requested));
    }
    done.requested = requested.size();
    KF_TRY(done.resolve, resolve_upstream(runner, os, report, tree.root, req.arch, req.flavour, f.base,
                                          in.base_content, requested, req.allow_dropped));
    report.verbose(describe_timings(done.resolve.timings));
    done.config = layout.resolved_config(req.flavour, req.arch);
    KF_TRY(std::optional<std::string> before, read_text_file_if_exists(done.config));
    done.edits.put(done.config, std::move(before), done.resolve.resolved_config);
    if (!req.dry_run) {
        KF_TRY_STATUS(done.edits.check_writable());
        KF_TRY_STATUS(done.edits.apply_creating_dirs());
    }
    return done;
}

}  // namespace kf::sys
