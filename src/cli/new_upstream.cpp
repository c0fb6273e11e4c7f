#include "cli/new_upstream.hpp"

#include "tree/resolve_run.hpp"
#include "base/edit_set.hpp"
#include "base/fs.hpp"
#include "base/text.hpp"
#include "chroot/chroot.hpp"
#include "config/kbuild.hpp"
#include "rt/rt_patch_source.hpp"

#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;
namespace {

std::string rel(const Tree& tree, const fs::path& p) { return p.lexically_relative(tree.root).string(); }

// EditSet::apply with the missing directories (kflavour/, kflavour/NAME/)
// created first and removed again when the apply fails.
Status apply_with_dirs(const EditSet& edits) {
    std::vector<fs::path> created;
    auto undo = [&] {
        for (auto it = created.rbegin(); it != created.rend(); ++it) ::rmdir(it->c_str());
    };
    for (const auto& e : edits.edits()) {
        std::vector<fs::path> missing;
        for (fs::path d = e.path.parent_path(); !d.empty() && !path_exists(d); d = d.parent_path()) missing.push_back(d);
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            if (::mkdir(it->c_str(), 0755) != 0) {
                int err = errno;
                undo();
                return failure(std::string("cannot create directory: ") + std::strerror(err), it->string());
            }
            created.push_back(*it);
        }
    }
    Status st = edits.apply();
    if (!st.ok()) undo();
    return st;
}

Result<UpstreamFlavour> load_flavour(const Tree& tree, const std::string& name) {
    KF_TRY_STATUS(check_flavour_name(name));
    UpstreamLayout layout{tree.root};
    const fs::path file = layout.flavour_file(name);
    if (!path_exists(file)) {
        Error e = bad_input("unknown flavour " + quote_input(name) + ": no " + rel(tree, file));
        e.hint = "kflavour list shows the flavours; kflavour new " + name + " --base-config TARGET adds one";
        return e;
    }
    KF_TRY(std::string text, read_text_file(file));
    KF_TRY(UpstreamFlavour f, parse_upstream_flavour(text, file.string()));
    if (f.name != name) return bad_input("Flavour: " + f.name + " in the file of flavour " + name, file.string());
    return f;
}

Status require_arch(const Tree& tree, const UpstreamFlavour& f, const std::string& arch) {
    if (std::find(f.arches.begin(), f.arches.end(), arch) != f.arches.end()) return ok_status();
    Error e = bad_input("flavour " + f.name + " is not for arch " + quote_input(arch) + " (Arches: " + join(f.arches, " ") + ")",
                        UpstreamLayout{tree.root}.flavour_file(f.name).string());
    e.hint = "add it with kflavour new " + f.name + " --force --arch " + arch + " … (the same options as before)";
    return e;
}

// The stored fragment's settings and the base file's content.
struct StoredInputs {
    std::vector<ConfigSetting> settings;
    std::optional<std::string> fragment_text;
    std::string base_content;
};

Result<StoredInputs> load_inputs(const Tree& tree, const UpstreamFlavour& f) {
    UpstreamLayout layout{tree.root};
    StoredInputs in;
    if (!f.fragment.empty()) {
        const fs::path file = layout.dir() / f.fragment;
        KF_TRY(std::string text, read_text_file(file));
        KF_TRY(in.settings, parse_fragment(text, file.string()));
        in.fragment_text = std::move(text);
    }
    if (f.base.kind == BaseConfig::Kind::file) {
        KF_TRY(in.base_content, read_text_file(layout.dir() / f.base.value));
    }
    return in;
}

void report_dropped_json(nlohmann::ordered_json& j, const sys::ResolveOutcome& r) {
    nlohmann::ordered_json dropped = nlohmann::ordered_json::array();
    for (const auto& d : r.dropped) dropped.push_back({{"symbol", d.name}, {"requested", d.requested}, {"resolved", d.resolved}});
    j["dropped"] = dropped;
    j["unknown"] = r.unknown;
}

// --rt-patch: the patch chosen and checked in `scratch`, said on the way.
Result<sys::RtPatchOutcome> prepare_patch(Context& ctx, sys::ProcessRunner& runner, const Tree& tree,
                                          const UpstreamNewOptions& opt, const fs::path& scratch) {
    sys::RtPatchRequest pr{*opt.rt_patch, std::nullopt, tree.root, scratch};
    if (opt.keyring) pr.keyring = fs::path(*opt.keyring);
    KF_TRY(sys::RtPatchOutcome o, sys::prepare_rt_patch(runner, pr, [&](const std::string& s) { ctx.verbose(s); }));
    for (const auto& s : o.skipped) ctx.warn(s + "; trying the next candidate");
    ctx.info("RT patch " + o.name + ": " + o.reason + (o.already_applied ? "; already applied to this tree" : ""));
    ctx.info("  signature: " + o.signature);
    ctx.verbose("  from " + o.source + ", sha256 " + o.sha256 + ", " + std::to_string(o.files) + " file(s)");
    return o;
}

nlohmann::ordered_json rt_patch_json(const std::optional<sys::RtPatchOutcome>& patch) {
    if (!patch) return nullptr;
    return {{"name", patch->name},       {"source", patch->source},   {"sha256", patch->sha256},
            {"reason", patch->reason},   {"skipped", patch->skipped}, {"already_applied", patch->already_applied},
            {"signature", patch->signature}, {"files", patch->files}};
}

// The RT patch recorded for this flavour: the one --rt-patch gave, else
// the one an earlier `new` recorded (the tree still has it).
std::optional<RtPatchRecord> recorded_patch(const std::optional<sys::RtPatchOutcome>& patch,
                                            const std::optional<std::string>& existing_flavour, const fs::path& file) {
    if (patch) return RtPatchRecord{patch->name, patch->source, patch->sha256};
    if (!existing_flavour) return std::nullopt;
    auto old = parse_upstream_flavour(*existing_flavour, file.string());
    return old.ok() ? old->rt_patch : std::nullopt;
}

}  // namespace

Result<std::map<std::string, UpstreamFlavour>> load_upstream_flavours(const Tree& tree) {
    std::map<std::string, UpstreamFlavour> out;
    UpstreamLayout layout{tree.root};
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(layout.dir(), ec)) {
        if (entry.path().extension() != ".flavour") continue;
        KF_TRY(std::string text, read_text_file(entry.path()));
        KF_TRY(UpstreamFlavour f, parse_upstream_flavour(text, entry.path().string()));
        out.emplace(f.name, std::move(f));
    }
    return out;
}

Result<std::string> upstream_resolved_config(const Tree& tree, const std::string& arch, const std::string& flavour) {
    KF_TRY(UpstreamFlavour f, load_flavour(tree, flavour));
    KF_TRY_STATUS(require_arch(tree, f, arch));
    const fs::path file = UpstreamLayout{tree.root}.resolved_config(flavour, arch);
    if (!path_exists(file)) {
        Error e = bad_input(arch + "-" + flavour + " is not resolved yet: no " + rel(tree, file));
        e.hint = "kflavour config resolve --arch " + arch + " --flavour " + flavour;
        return e;
    }
    return read_text_file(file);
}

namespace {

// The upstream request from `new`'s options: the base config (read when a
// file), the arches (the native one by default), the settings.
Result<UpstreamNewRequest> upstream_request(Context& ctx, const Tree& tree, const NewRequest& req,
                                            const UpstreamNewOptions& opt) {
    if (!opt.base_config) {
        Error e = bad_input("an upstream tree (no debian/) needs --base-config: the config the flavour starts from",
                            tree.root.string());
        e.hint = "--base-config tinyconfig, --base-config defconfig, or --base-config FILE (a .config)";
        return e;
    }
    if (req.base != "generic") ctx.verbose("--base is for Ubuntu trees; ignored on an upstream tree");
    if (!req.version_suffix.empty()) ctx.verbose("--version-suffix is for Ubuntu trees; ignored on an upstream tree");
    UpstreamNewRequest ur;
    ur.name = req.name;
    std::error_code ec;
    KF_TRY(ur.base, classify_base_config(*opt.base_config, fs::is_regular_file(*opt.base_config, ec)));
    if (ur.base.kind == BaseConfig::Kind::file) {
        KF_TRY(ur.base_content, read_text_file(ur.base.value));
    }
    ur.arches = req.arches;
    if (ur.arches.empty()) ur.arches.push_back(ctx.os.native_arch());
    ur.settings = req.settings;
    ur.force = req.force;
    return ur;
}

// Resolves the flavour for each arch on `source` (the tree, or its patched
// shadow) and adds each resolved config to the plan: arch -> its file.
Result<std::map<std::string, std::string>> resolve_arches(Context& ctx, sys::ProcessRunner& runner, const Tree& tree,
                                                          const fs::path& source, const UpstreamNewRequest& ur,
                                                          const UpstreamNewOptions& opt, UpstreamNewPlan& plan) {
    const UpstreamLayout layout{tree.root};
    std::map<std::string, std::string> resolved_files;
    KF_TRY_STATUS(sys::check_kernel_source(tree.root));
    for (const auto& arch : ur.arches) {
        KF_TRY(sys::ResolveOutcome r,
               sys::resolve_upstream(runner, ctx.os, ctx.reporter(), source, arch, ur.name, plan.flavour.base,
                                     ur.base_content.value_or(""), ur.settings, opt.allow_dropped));
        ctx.verbose(sys::describe_timings(r.timings));
        const fs::path out = layout.resolved_config(ur.name, arch);
        KF_TRY(std::optional<std::string> before, read_text_file_if_exists(out));
        plan.edits.put(out, std::move(before), std::move(r.resolved_config));
        resolved_files[arch] = rel(tree, out);
    }
    return resolved_files;
}

struct NewUpstreamOutcome {
    std::map<std::string, std::string> resolved_files;
    std::optional<sys::RtPatchOutcome> patch;
    bool nothing_to_do = false;
};

// What `new` did (or would do), as JSON or as status lines.
void report_new_upstream(Context& ctx, const Tree& tree, const UpstreamNewRequest& ur, const UpstreamNewPlan& plan,
                         const NewUpstreamOutcome& done) {
    const UpstreamLayout layout{tree.root};
    if (ctx.global.json) {
        nlohmann::ordered_json files = nlohmann::ordered_json::array();
        for (const auto& e : plan.edits.edits()) files.push_back(rel(tree, e.path));
        ctx.out << nlohmann::ordered_json{{"kind", "upstream"},
                                          {"flavour", ur.name},
                                          {"base_config", plan.flavour.base.value},
                                          {"arches", ur.arches},
                                          {"flavour_file", rel(tree, layout.flavour_file(ur.name))},
                                          {"resolved", done.resolved_files},
                                          {"rt_patch", rt_patch_json(done.patch)},
                                          {"changed", !done.nothing_to_do && !plan.edits.empty()},
                                          {"dry_run", ctx.global.dry_run},
                                          {"files", files}}
                       .dump(2)
                << "\n";
        return;
    }
    if (done.nothing_to_do) {
        ctx.info("flavour " + ur.name + " already exists as requested: nothing to do");
        return;
    }
    if (ctx.global.dry_run) return;
    ctx.info("added flavour " + ur.name + " for " + join(ur.arches, " ") + " (base config " +
             plan.flavour.base.value + "): " + rel(tree, layout.flavour_file(ur.name)));
    for (const auto& [arch, file] : done.resolved_files) ctx.info("  " + arch + ": " + file);
    for (const auto& e : plan.edits.edits())
        ctx.verbose((e.before ? "  changed " : "  created ") + rel(tree, e.path));
}

}  // namespace

Status run_new_upstream(Context& ctx, const Tree& tree, const NewRequest& req, const UpstreamNewOptions& opt) {
    KF_TRY(UpstreamNewRequest ur, upstream_request(ctx, tree, req, opt));
    UpstreamLayout layout{tree.root};
    // An existing file kflavour cannot read (unreadable, binary) is an error,
    // not a file to overwrite as if it were new.
    UpstreamExisting existing;
    KF_TRY(existing.flavour, read_text_file_if_exists(layout.flavour_file(req.name)));
    KF_TRY(existing.fragment, read_text_file_if_exists(layout.fragment_file(req.name)));
    KF_TRY(existing.base, read_text_file_if_exists(layout.base_config_file(req.name)));
    sys::SystemRunner runner;
    // Ctrl-C while the RT patch is fetched, checked or resolved on: stop
    // with the tree untouched and the scratch dir removed (the guard is
    // declared first, so it outlives the scratch dir).
    std::optional<sys::InterruptGuard> guard;
    if (opt.rt_patch) guard.emplace();
    std::optional<ScratchDir> scratch;
    NewUpstreamOutcome done;
    if (opt.rt_patch) {
        KF_TRY(auto made, ScratchDir::make("kflavour-rt"));
        scratch.emplace(std::move(made));
        KF_TRY(done.patch, prepare_patch(ctx, runner, tree, opt, scratch->path()));
    }
    ur.rt_patch = recorded_patch(done.patch, existing.flavour, layout.flavour_file(req.name));
    KF_TRY(UpstreamNewPlan plan, plan_upstream_new(layout, ur, existing));
    const bool patches_tree = done.patch && !done.patch->edits.empty();
    // Kconfig must read the patched tree: a shadow of links until it is written.
    fs::path source = tree.root;
    if (patches_tree && !opt.no_resolve) {
        source = scratch->path() / "shadow";
        KF_TRY_STATUS(sys::make_shadow_tree(tree.root, done.patch->edits, source));
        if (sys::InterruptGuard::interrupted()) return sys::InterruptGuard::error("nothing written, the tree is unchanged");
    }
    if (patches_tree)
        for (const auto& e : done.patch->edits.edits()) plan.edits.put(e.path, e.before, e.after);

    bool all_resolved = std::all_of(ur.arches.begin(), ur.arches.end(),
                                    [&](const std::string& a) { return path_exists(layout.resolved_config(req.name, a)); });
    done.nothing_to_do = plan.same && !patches_tree && (all_resolved || opt.no_resolve) && !req.force;
    if (!done.nothing_to_do && !ctx.global.dry_run) KF_TRY_STATUS(plan.edits.check_writable());

    if (!done.nothing_to_do && !opt.no_resolve) {
        KF_TRY(done.resolved_files, resolve_arches(ctx, runner, tree, source, ur, opt, plan));
        if (!ctx.global.dry_run) KF_TRY_STATUS(plan.edits.check_writable());
    } else if (opt.no_resolve) {
        ctx.verbose("not resolving the config (--no-resolve): run kflavour config resolve --arch A --flavour " + req.name);
    }

    if (ctx.global.dry_run) {
        if (!ctx.global.json) ctx.out << plan.edits.unified_diff(tree.root);
    } else if (!done.nothing_to_do) {
        KF_TRY_STATUS(apply_with_dirs(plan.edits));
    }
    report_new_upstream(ctx, tree, ur, plan, done);
    return ok_status();
}

Status run_resolve_upstream(Context& ctx, const Tree& tree, const std::string& arch, const std::string& flavour,
                            const std::vector<ConfigSetting>& extra, bool allow_dropped) {
    KF_TRY(UpstreamFlavour f, load_flavour(tree, flavour));
    KF_TRY_STATUS(require_arch(tree, f, arch));
    KF_TRY(StoredInputs in, load_inputs(tree, f));
    UpstreamLayout layout{tree.root};
    EditSet edits;
    std::vector<ConfigSetting> requested = in.settings;
    if (!extra.empty()) {
        requested.insert(requested.end(), extra.begin(), extra.end());
        if (f.fragment.empty()) {
            f.fragment = layout.fragment_file(flavour).filename().string();
            const fs::path ff = layout.flavour_file(flavour);
            KF_TRY(std::optional<std::string> before, read_text_file_if_exists(ff));
            edits.put(ff, std::move(before), write_upstream_flavour(f));
        }
        const fs::path frag = layout.dir() / f.fragment;
        edits.put(frag, in.fragment_text, write_upstream_fragment(flavour, requested));
    }
    sys::SystemRunner runner;
    KF_TRY(sys::ResolveOutcome r, sys::resolve_upstream(runner, ctx.os, ctx.reporter(), tree.root, arch, flavour,
                                                        f.base, in.base_content, requested, allow_dropped));
    ctx.verbose(sys::describe_timings(r.timings));
    const fs::path out = layout.resolved_config(flavour, arch);
    KF_TRY(std::optional<std::string> before, read_text_file_if_exists(out));
    edits.put(out, std::move(before), r.resolved_config);
    if (ctx.global.dry_run) {
        if (!ctx.global.json) ctx.out << edits.unified_diff(tree.root);
    } else {
        KF_TRY_STATUS(edits.check_writable());
        KF_TRY_STATUS(apply_with_dirs(edits));
    }
    if (ctx.global.json) {
        nlohmann::ordered_json j{{"arch", arch},
                                 {"flavour", flavour},
                                 {"kind", "upstream"},
                                 {"base_config", f.base.value},
                                 {"config", rel(tree, out)},
                                 {"changed", !edits.empty()},
                                 {"dry_run", ctx.global.dry_run},
                                 {"requested", requested.size()},
                                 {"kconfig_changes", r.changed.size()}};
        report_dropped_json(j, r);
        j["timing_ms"] = {{"kflavour", r.timings.own_ms()}, {"make", r.timings.make_ms}, {"tools", r.timings.tool_ms}};
        ctx.out << j.dump(2) << "\n";
        return ok_status();
    }
    if (!ctx.global.dry_run)
        ctx.info(edits.empty() ? rel(tree, out) + " unchanged: " + arch + "-" + flavour + " is already resolved"
                               : "resolved " + arch + "-" + flavour + " from " + f.base.value + "; wrote " + rel(tree, out));
    return ok_status();
}

}  // namespace kf::cli
