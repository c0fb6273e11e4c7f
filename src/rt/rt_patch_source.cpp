#include "rt/rt_patch_source.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "rt/rt_patch.hpp"
#include "archive/deb_archive.hpp"

#include <algorithm>
#include <set>

namespace kf::sys {
namespace fs = std::filesystem;
namespace {

bool is_url(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

std::string file_name(std::string_view path) {
    auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// Every program this file runs (curl, xz, gzip, gpgv, patch) runs here: a
// Ctrl-C (the caller holds an InterruptGuard) stops the work with the tree
// untouched, instead of being read as the program's failure.
Result<ProcessOutput> run_command(ProcessRunner& runner, const Command& cmd) {
    KF_TRY(ProcessOutput out, runner.run(cmd));
    if (InterruptGuard::interrupted()) return InterruptGuard::error("no RT patch applied, the tree is unchanged");
    return out;
}

Result<ProcessOutput> run(ProcessRunner& runner, std::vector<std::string> argv) {
    Command cmd;
    cmd.argv = std::move(argv);
    return run_command(runner, cmd);
}

// Where the candidates come from: a kernel.org-shaped directory or URL.
struct Origin {
    std::string base;  // a directory path or a URL, ending in '/'
    bool url = false;
};

Result<std::vector<std::string>> list_local(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const char* sub : {"", "older/"}) {
        const fs::path d = dir / sub;
        if (*sub && !fs::is_directory(d, ec)) continue;
        fs::directory_iterator it(d, ec), end;
        if (ec) return bad_input("cannot read the RT patch directory: " + ec.message(), d.string());
        for (; it != end; it.increment(ec))
            if (it->is_regular_file(ec)) out.push_back(sub + it->path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// curl a URL into `dest`; nullopt when the server says it is not there.
Result<bool> download(ProcessRunner& runner, const std::string& url, const fs::path& dest) {
    KF_TRY(auto out, run(runner, {tool_path("curl"), "-fsSL", "--retry", "2", "-o", dest.string(), url}));
    if (out.exit_code == 22) return false;  // HTTP 4xx/5xx
    if (out.exit_code != 0)
        return failure("cannot download " + url + ": curl exit " + std::to_string(out.exit_code) + "; " +
                       tool_failure_evidence(out.output, 5));
    return true;
}

Result<std::vector<std::string>> list_url(ProcessRunner& runner, const std::string& base, const fs::path& scratch) {
    const fs::path index = scratch / "index.html";
    KF_TRY(bool found, download(runner, base, index));
    if (!found) return bad_input("the RT patch index " + base + " does not exist (HTTP error)");
    KF_TRY(std::string html, read_file(index));
    std::vector<std::string> out = index_links(html);
    if (std::find(out.begin(), out.end(), "older/") != out.end()) {
        KF_TRY(bool older, download(runner, base + "older/", index));
        if (older) {
            KF_TRY(std::string more, read_file(index));
            for (const auto& link : index_links(more)) out.push_back("older/" + link);
        }
    }
    return out;
}

// Fetch `rel` of the origin into scratch/fetched/; false when it is not there.
Result<bool> fetch(ProcessRunner& runner, const Origin& origin, const std::string& rel, const fs::path& dest) {
    std::error_code ec;
    fs::create_directories(dest.parent_path(), ec);
    if (origin.url) return download(runner, origin.base + rel, dest);
    const fs::path src = fs::path(origin.base) / rel;
    if (!fs::is_regular_file(src, ec)) return false;
    fs::copy_file(src, dest, fs::copy_options::overwrite_existing, ec);
    if (ec) return failure("cannot copy " + src.string() + ": " + ec.message());
    return true;
}

// The uncompressed patch next to `file` (kernel.org signs that, not the .xz).
Result<fs::path> decompress(ProcessRunner& runner, const fs::path& file, const std::string& compression) {
    if (compression.empty()) return file;
    const std::string tool = compression == "xz" ? "xz" : "gzip";
    KF_TRY(auto out, run(runner, {tool_path(tool), "-d", "-k", "-f", file.string()}));
    if (out.exit_code != 0)
        return bad_input(file.filename().string() + " is not a valid ." + compression + " file (truncated or corrupt): " +
                         tool_failure_evidence(out.output, 3));
    return fs::path(file).replace_extension();
}

// gpgv over the uncompressed patch with PATCH.sign, when a keyring is given.
Result<std::string> check_signature(ProcessRunner& runner, const Origin& origin, const std::string& rel,
                                    const fs::path& plain, const std::optional<fs::path>& keyring) {
    const std::string compression = compression_of(rel);
    const std::string sign_rel =
        rel.substr(0, rel.size() - (compression.empty() ? 0 : compression.size() + 1)) + ".sign";
    const fs::path sign = plain.string() + ".sign";
    KF_TRY(bool have, fetch(runner, origin, sign_rel, sign));
    if (!keyring) return std::string(have ? "not checked: " + file_name(sign_rel) + " is there, but no --keyring was given"
                                          : "not checked: no --keyring");
    if (!have) return bad_input("--keyring asks for a signature check, but " + origin.base + sign_rel + " does not exist");
    KF_TRY(auto out, run(runner, {tool_path("gpgv"), "--keyring", fs::absolute(*keyring).string(), sign.string(),
                                  plain.string()}));
    if (out.exit_code != 0)
        return bad_input("bad signature: " + file_name(sign_rel) + " does not verify " + file_name(rel) + " with " +
                         keyring->string() + ": " + tool_failure_evidence(out.output, 4));
    return "good signature (gpgv, " + keyring->filename().string() + ")";
}

Command patch_command(const fs::path& dir, const fs::path& patch, std::vector<std::string> options) {
    Command cmd;
    cmd.argv = {tool_path("patch"), "-p1", "--batch", "--no-backup-if-mismatch", "-d", dir.string(), "-i", patch.string()};
    cmd.argv.insert(cmd.argv.end(), options.begin(), options.end());
    return cmd;
}

Result<ProcessOutput> dry_run(ProcessRunner& runner, const fs::path& tree, const fs::path& patch, bool reverse) {
    // --forward with --reverse too: without it, --batch takes a patch that
    // does not reverse-apply for one that is not applied yet and applies it.
    std::vector<std::string> options{"--forward", "--dry-run"};
    if (reverse) options.insert(options.begin(), "--reverse");
    return run_command(runner, patch_command(tree, patch, options));
}

// The first lines of what patch said about a failure.
std::string patch_failure(const ProcessOutput& out) {
    std::vector<std::string> lines;
    for (auto line : split_lines(out.output)) {
        line = trim(line);
        if (line.find("FAILED") != std::string_view::npos || line.starts_with("can't find") ||
            line.find("Reversed") != std::string_view::npos || line.find("malformed") != std::string_view::npos ||
            line.find("Only garbage") != std::string_view::npos)
            lines.emplace_back(line);
        if (lines.size() == 3) break;
    }
    return lines.empty() ? tool_failure_evidence(out.output, 3) : join(lines, "; ");
}

// Apply `patches` in order to scratch copies of `files` and return the
// resulting edits of the tree.
Result<EditSet> patched_edits(ProcessRunner& runner, const fs::path& tree, const std::vector<fs::path>& patches,
                              const std::vector<std::string>& files, const fs::path& scratch) {
    const fs::path copy = scratch / "tree";
    std::error_code ec;
    std::map<std::string, std::optional<std::string>> before;
    for (const auto& f : files) {
        if (f.starts_with("/") || f.find("..") != std::string::npos)
            return bad_input("the patch names a file outside the tree: " + quote_input(f));
        const fs::path src = tree / f;
        if (fs::is_regular_file(src, ec)) {
            KF_TRY(std::string text, read_file(src));
            fs::create_directories((copy / f).parent_path(), ec);
            KF_TRY_STATUS(write_file_atomically(copy / f, text));
            before[f] = std::move(text);
        } else {
            before[f] = std::nullopt;
        }
    }
    fs::create_directories(copy, ec);
    for (const auto& p : patches) {
        KF_TRY(auto out, run_command(runner, patch_command(copy, p, {"--forward", "--silent"})));
        if (out.exit_code != 0)
            return bad_input(p.filename().string() + " does not apply to this tree: " + patch_failure(out));
    }
    EditSet edits;
    for (const auto& [f, old] : before) {
        if (!fs::exists(copy / f, ec)) {
            if (old) return bad_input("the patch deletes " + f + "; kflavour applies patches that add and change files");
            continue;
        }
        KF_TRY(std::string after, read_file(copy / f));
        edits.put(tree / f, old, std::move(after));
    }
    return edits;
}

// A quilt series directory: every patch in order, checked in scratch.
Result<RtPatchOutcome> prepare_series(ProcessRunner& runner, const RtPatchRequest& req, const fs::path& dir) {
    RtPatchOutcome o;
    o.name = "series";
    o.source = dir.string();
    const fs::path series = dir / "series";
    KF_TRY(std::string text, read_text_file(series));
    KF_TRY(auto names, quilt_series(text, series.string()));
    std::vector<fs::path> patches;
    std::vector<std::string> files;
    std::string all;
    std::error_code ec;
    for (const auto& n : names) {
        const fs::path p = dir / n;
        if (!fs::is_regular_file(p, ec)) return bad_input("the series names " + n + ", which is not there", series.string());
        patches.push_back(p);
        KF_TRY(auto dry, dry_run(runner, req.tree, p, false));
        for (auto& f : patched_files(dry.output))
            if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(std::move(f));
        KF_TRY(std::string body, read_file(p));
        all += body;
    }
    KF_TRY_STATUS(write_file_atomically(req.scratch / "series.patch", all));
    KF_TRY(o.sha256, sha256_of(req.scratch / "series.patch"));
    o.reason = "a quilt series of " + std::to_string(names.size()) + " patch(es), applied in its order";
    o.signature = "not checked: a series has no signature";
    o.files = files.size();
    // The last patch applies in reverse only when the whole series is in.
    KF_TRY(auto reverse, dry_run(runner, req.tree, patches.back(), true));
    if (reverse.exit_code == 0) {
        o.already_applied = true;
        return o;
    }
    KF_TRY(o.edits, patched_edits(runner, req.tree, patches, files, req.scratch));
    return o;
}

// One candidate patch: fetched, decompressed, signature, then whether it
// is in already or applies. nullopt (with `why` said) when it doesn't.
Result<std::optional<RtPatchOutcome>> try_candidate(ProcessRunner& runner, const RtPatchRequest& req,
                                                    const Origin& origin, const RtPatchName& patch, int index,
                                                    std::string& why) {
    const fs::path dest = req.scratch / "fetched" / std::to_string(index) / file_name(patch.path);
    KF_TRY(bool found, fetch(runner, origin, patch.path, dest));
    if (!found) return bad_input("cannot fetch " + origin.base + patch.path + ": not there");
    KF_TRY(fs::path plain, decompress(runner, dest, patch.compression));
    RtPatchOutcome o;
    o.name = file_name(patch.path);
    KF_TRY(o.signature, check_signature(runner, origin, patch.path, plain, req.keyring));
    KF_TRY(o.sha256, sha256_of(plain));
    KF_TRY(auto reverse, dry_run(runner, req.tree, plain, true));
    if (reverse.exit_code == 0) {
        o.already_applied = true;
        o.files = patched_files(reverse.output).size();
        return std::optional<RtPatchOutcome>(std::move(o));
    }
    KF_TRY(auto forward, dry_run(runner, req.tree, plain, false));
    if (forward.exit_code != 0) {
        why = patch_failure(forward);
        return std::optional<RtPatchOutcome>();
    }
    const auto files = patched_files(forward.output);
    o.files = files.size();
    KF_TRY(o.edits, patched_edits(runner, req.tree, {plain}, files, req.scratch / ("apply-" + std::to_string(index))));
    return std::optional<RtPatchOutcome>(std::move(o));
}

// What --rt-patch names: a URL (a patch or an index), a quilt series
// directory, a directory of patches or one patch file.
struct Listing {
    Origin origin;
    std::vector<std::string> listed;  // patch names under origin.base
    std::string shown;                // the source as messages name it
    std::optional<fs::path> series;   // a quilt series directory
};

Result<Listing> list_source(ProcessRunner& runner, const RtPatchRequest& req, const RtProgress& progress) {
    Listing l;
    l.shown = req.source;
    if (is_url(req.source)) {
        l.origin.url = true;
        if (parse_rt_patch_name(file_name(req.source))) {
            l.origin.base = req.source.substr(0, req.source.rfind('/') + 1);
            l.listed = {file_name(req.source)};
            return l;
        }
        l.origin.base = req.source.ends_with("/") ? req.source : req.source + "/";
        progress("listing " + l.origin.base);
        KF_TRY(l.listed, list_url(runner, l.origin.base, req.scratch));
        return l;
    }
    std::error_code ec;
    const fs::path path = fs::absolute(req.source).lexically_normal();
    l.shown = path.string();
    if (fs::is_directory(path, ec) && fs::is_regular_file(path / "series", ec)) {
        l.series = path;
    } else if (fs::is_directory(path, ec)) {
        l.origin.base = path.string() + "/";
        KF_TRY(l.listed, list_local(path));
    } else if (fs::is_regular_file(path, ec)) {
        l.origin.base = path.parent_path().string() + "/";
        l.listed = {path.filename().string()};
    } else {
        return bad_input("--rt-patch " + quote_input(req.source) + ": no such file, directory or URL");
    }
    return l;
}

// The candidates in the order to try them; a single file with a name of its
// own is the user's choice, tried as it is.
Result<std::vector<RtCandidate>> choose_candidates(const Listing& l, const KernelVersion& version) {
    if (l.listed.size() == 1 && !parse_rt_patch_name(l.listed[0])) {
        RtPatchName p;
        p.path = l.listed[0];
        p.compression = compression_of(p.path);
        return std::vector<RtCandidate>{{p, "the patch file given"}};
    }
    return rank_rt_patches(l.listed, version, l.shown);
}

}  // namespace

Result<RtPatchOutcome> prepare_rt_patch(ProcessRunner& runner, const RtPatchRequest& req, const RtProgress& progress) {
    KF_TRY(std::string makefile, read_text_file(req.tree / "Makefile"));
    KF_TRY(KernelVersion version, tree_kernel_version(makefile));
    KF_TRY(Listing listing, list_source(runner, req, progress));
    if (listing.series) return prepare_series(runner, req, *listing.series);
    KF_TRY(std::vector<RtCandidate> candidates, choose_candidates(listing, version));
    std::vector<std::string> skipped;
    int index = 0;
    for (const auto& c : candidates) {
        progress("checking " + c.patch.path + " (" + c.reason + ")");
        std::string why;
        KF_TRY(auto tried, try_candidate(runner, req, listing.origin, c.patch, index++, why));
        if (!tried) {
            if (candidates.size() == 1)
                return bad_input(c.patch.path + " does not apply to this tree (Linux " + version.text() + "): " + why);
            skipped.push_back(c.patch.path + " does not apply to Linux " + version.text() + " (" + why + ")");
            continue;
        }
        RtPatchOutcome o = std::move(*tried);
        o.source = listing.shown;
        o.reason = c.reason;
        o.skipped = std::move(skipped);
        return o;
    }
    Error e = bad_input("no RT patch in " + listing.shown + " applies to this Linux " + version.text() + " tree:\n  " +
                        join(skipped, "\n  "));
    e.hint = "the tree is left as it was; a patch for exactly " + version.text() + " (or a vendor's RT series) may apply";
    return e;
}

Status make_shadow_tree(const fs::path& tree, const EditSet& edits, const fs::path& shadow) {
    // Only the directories on the way to an edited file are real; everything
    // else is one link, so the shadow of a kernel tree costs a few hundred
    // entries. Kbuild takes srctree from the directory it runs in.
    std::set<fs::path> on_the_way;
    for (const auto& e : edits.edits()) {
        for (fs::path d = e.path.lexically_relative(tree).parent_path(); !d.empty(); d = d.parent_path())
            on_the_way.insert(d);
    }
    std::error_code ec;
    std::vector<fs::path> dirs{fs::path()};
    fs::create_directories(shadow, ec);
    while (!dirs.empty()) {
        fs::path rel = dirs.back();
        dirs.pop_back();
        for (const auto& entry : fs::directory_iterator(tree / rel, ec)) {
            const fs::path r = rel / entry.path().filename();
            if (on_the_way.count(r)) {
                fs::create_directory(shadow / r, ec);
                dirs.push_back(r);
            } else if (!edits.after(tree / r)) {
                fs::create_symlink(fs::absolute(entry.path()), shadow / r, ec);
                if (ec) return failure("cannot link " + r.string() + " into the shadow tree: " + ec.message());
            }
        }
        if (ec) return failure("cannot read " + (tree / rel).string() + ": " + ec.message());
    }
    for (const auto& e : edits.edits()) {
        const fs::path file = shadow / e.path.lexically_relative(tree);
        fs::create_directories(file.parent_path(), ec);
        KF_TRY_STATUS(write_file_atomically(file, e.after));
    }
    return ok_status();
}

}  // namespace kf::sys
