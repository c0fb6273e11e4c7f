#include "build/build_run.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "chroot/chroot.hpp"
#include "archive/deb_archive.hpp"

#include <apt-pkg/fileutl.h>
#include <apt-pkg/hashes.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>

namespace kf::sys {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The files a build puts in out: removed before a build so an old set never
// mixes with a new one (and never looks complete).
bool is_build_output(const fs::path& p) {
    const auto ext = p.extension().string();
    const auto name = p.filename().string();
    return ext == ".deb" || ext == ".changes" || ext == ".buildinfo" || name == "manifest.json" ||
           name == "build.log" || name == "reproduce.sh" || name == "distcc.log" || name == ".ccache-stats.log";
}

Status clear_output(const fs::path& out) {
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) return failure("cannot create the output directory: " + ec.message(), out.string());
    // The manifest first: from here on the directory does not claim a complete set.
    fs::remove(out / "manifest.json", ec);
    for (const auto& e : fs::directory_iterator(out, ec))
        if (e.is_regular_file() && is_build_output(e.path())) fs::remove(e.path(), ec);
    if (ec) return failure("cannot clean the output directory: " + ec.message(), out.string());
    return ok_status();
}

std::string chroot_prologue(const BuildRun& run) {
    std::string binds;
    for (const auto& b : run.chroot->binds) binds += " --bind " + shell_quote(b.string());
    return "# Runs itself in a throw-away copy of the chroot (as root), unless already inside.\n"
           "if [ -z \"${KFLAVOUR_IN_CHROOT:-}\" ]; then\n"
           "    exec " + shell_quote(run.kflavour) + " chroot run " + shell_quote(run.chroot->name) + binds +
           " -- env KFLAVOUR_IN_CHROOT=1 bash \"$(readlink -f \"$0\")\"\n"
           "fi\n";
}

// Feeds log chunks to the log file and turns stage markers into status lines.
class LogFollower {
public:
    LogFollower(std::ofstream& log, const StageSink& on_stage) : log_(log), on_stage_(on_stage) {}

    // A stage that starts now without a marker (unpacking the chroot).
    void begin(std::string stage) {
        stage_ = std::move(stage);
        started_ = Clock::now();
    }

    void operator()(std::string_view chunk) {
        log_ << chunk;
        log_.flush();
        pending_ += chunk;
        size_t nl;
        while ((nl = pending_.find('\n')) != std::string::npos) {
            line(std::string_view(pending_).substr(0, nl));
            pending_.erase(0, nl + 1);
        }
    }
    // Ends the current stage (at the end of the run).
    void finish() {
        if (!stage_.empty()) end_stage();
    }
    const std::vector<std::pair<std::string, double>>& stages() const { return stages_; }
    const std::string& current() const { return stage_; }

private:
    void line(std::string_view l) {
        auto s = stage_marker(l);
        if (s.empty()) return;
        if (!stage_.empty()) end_stage();
        stage_ = std::string(s);
        started_ = Clock::now();
    }
    void end_stage() {
        const double secs = since(started_);
        stages_.emplace_back(stage_, secs);
        if (on_stage_) on_stage_(stage_, secs);
        stage_.clear();
    }

    std::ofstream& log_;
    const StageSink& on_stage_;
    std::string pending_;
    std::string stage_;
    Clock::time_point started_;
    std::vector<std::pair<std::string, double>> stages_;
};

Result<BuildOutcome> collect(const BuildRun& run) {
    BuildOutcome outcome;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(run.out))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        const auto ext = f.extension().string();
        if (ext == ".changes" || ext == ".buildinfo") outcome.other_files.push_back(f.filename().string());
        if (ext != ".deb") continue;
        BuiltPackage p;
        p.file = f.filename().string();
        parse_deb_file_name(p.file, p);
        p.size = fs::file_size(f);
        KF_TRY(p.sha256, sha256_of(f));
        outcome.packages.push_back(std::move(p));
    }
    if (outcome.packages.empty()) return failure("the build made no packages", run.out.string());
    return outcome;
}

// distcc logs a few lines per compile, each with the whole command line: tens
// of MB for a distribution kernel. Only its errors and warnings are kept
// (in the file too, as the evidence the warning points at).
std::string keep_distcc_problems(const fs::path& log) {
    std::ifstream in(log, std::ios::binary);
    std::string line, kept;
    while (std::getline(in, line))
        if (line.find("ERROR") != std::string::npos || line.find("Warning") != std::string::npos ||
            line.find("CRITICAL") != std::string::npos)
            kept += line + "\n";
    if (in.bad() || !in.eof()) return kept;
    in.close();
    (void)write_file_atomically(log, kept, 0644);
    return kept;
}

// What ccache and distcc logged during the build (a log never written: no
// compile went through them). The ccache counters are in the manifest.
void read_compile_logs(const BuildPlan& plan, BuildOutcome& o) {
    std::error_code ec;
    if (!plan.ccache_stats_log.empty()) {
        auto text = read_text_file(plan.ccache_stats_log);
        o.ccache = ccache_counts(text.ok() ? text.value() : std::string());
        fs::remove(plan.ccache_stats_log, ec);
    }
    if (!plan.distcc_log.empty()) o.distcc = distcc_fallbacks(keep_distcc_problems(plan.distcc_log));
}

std::string manifest_json(const BuildRun& run, const BuildOutcome& o) {
    nlohmann::ordered_json j;
    for (const auto& [k, v] : run.manifest_fields) j[k] = v;
    j["chroot"] = run.chroot ? nlohmann::ordered_json(run.chroot->name) : nlohmann::ordered_json(nullptr);
    j["releases"] = run.plan.releases;
    j["knobs"] = run.plan.knobs;
    j["seconds"] = std::round(o.seconds * 10) / 10;
    auto& stages = j["stages"] = nlohmann::ordered_json::object();
    for (const auto& [name, secs] : o.stages) stages[name] = std::round(secs * 10) / 10;
    auto& pkgs = j["packages"] = nlohmann::ordered_json::array();
    for (const auto& p : o.packages)
        pkgs.push_back({{"file", p.file}, {"package", p.package}, {"version", p.version},
                        {"architecture", p.architecture}, {"size", p.size}, {"sha256", p.sha256}});
    j["other_files"] = o.other_files;
    if (o.ccache)
        j["ccache"] = {{"hits", o.ccache->hits}, {"misses", o.ccache->misses},
                       {"hit_rate", std::round(o.ccache->hit_rate() * 1000) / 1000}};
    if (o.distcc)
        j["distcc"] = {{"hosts", run.plan.env.count("DISTCC_HOSTS") ? run.plan.env.at("DISTCC_HOSTS") : ""},
                       {"local_fallbacks", o.distcc->local_compiles}, {"host_errors", o.distcc->host_errors},
                       {"log", "distcc.log"}};
    j["log"] = "build.log";
    j["reproduce"] = "reproduce.sh";
    return j.dump(2) + "\n";
}

}  // namespace

std::string native_suite() {
    std::ifstream in("/etc/os-release");
    std::string line;
    while (std::getline(in, line))
        if (line.starts_with("VERSION_CODENAME=")) {
            auto v = line.substr(17);
            if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'')) v = v.substr(1, v.size() - 2);
            if (!v.empty()) return v;
        }
    return "bookworm";
}

bool parse_deb_file_name(const std::string& file, BuiltPackage& into) {
    if (!file.ends_with(".deb")) return false;
    auto parts = std::string_view(file).substr(0, file.size() - 4);
    auto a = parts.find('_');
    auto b = parts.rfind('_');
    if (a == std::string_view::npos || a == b) return false;
    into.package = std::string(parts.substr(0, a));
    into.version = std::string(parts.substr(a + 1, b - a - 1));
    into.architecture = std::string(parts.substr(b + 1));
    return true;
}

std::vector<fs::path> tree_binds(const fs::path& tree) {
    std::set<fs::path> binds = {tree};
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(tree, ec)) {
        if (!e.is_symlink()) continue;
        auto target = fs::canonical(e.path(), ec);
        if (ec) continue;
        auto dir = fs::is_directory(target) ? target.parent_path() : target.parent_path();
        if (dir != tree && !dir.empty() && dir != "/") binds.insert(dir);
    }
    // A bind inside another one is already visible.
    std::vector<fs::path> out;
    for (const auto& b : binds) {
        bool nested = false;
        for (const auto& o : binds) {
            if (o == b) continue;
            auto rel = b.lexically_relative(o);
            if (!rel.empty() && *rel.begin() != "..") nested = true;
        }
        if (!nested) out.push_back(b);
    }
    return out;
}

std::string reproduce_script(const BuildRun& run) {
    std::string header = "# kflavour build: " + run.title + "\n";
    header += "# Written before the build started; running it repeats the same build";
    header += run.chroot ? " (as root: it enters chroot " + run.chroot->name + ").\n" : ".\n";
    for (const auto& note : run.header_notes) header += "# " + note + "\n";
    return render_script(run.plan, header, run.chroot ? chroot_prologue(run) : std::string());
}

namespace {

// build.log's head: the title, the knobs, the environment.
Status start_log(std::ofstream& log, const BuildRun& run, const fs::path& log_path) {
    log.open(log_path, std::ios::binary | std::ios::trunc);
    if (!log) return failure("cannot write", log_path.string());
    log << "kflavour build: " << run.title << "\n";
    if (!run.plan.knobs.empty()) log << "knobs: " << join(run.plan.knobs, " ") << "\n";
    for (const auto& [k, v] : run.plan.env) log << "env: " << k << "=" << v << "\n";
    log.flush();
    return ok_status();
}

// reproduce.sh, in the chroot or here.
Result<ProcessOutput> run_script(ProcessRunner& runner, const Os& os, const BuildRun& run, const fs::path& script,
                                 const ProcessRunner::OutputSink& sink) {
    if (run.chroot) {
        ChrootRun cr{run.chroot->tarball, run.chroot->binds, {"bash", script.string()}, {{"KFLAVOUR_IN_CHROOT", "1"}}};
        return run_in_chroot(runner, os, cr, sink);
    }
    Command c;
    c.argv = {tool_path("bash"), script.string()};
    c.own_process_group = true;
    InterruptGuard guard;
    auto r = runner.run_streaming(c, sink);
    if (r.ok() && InterruptGuard::interrupted()) return InterruptGuard::error();
    return r;
}

// Ctrl-C: nothing half-made stays behind, and nothing looks complete.
Error interrupted_build(Error e, const BuildRun& run, const std::string& stage, const fs::path& log_path) {
    std::error_code ec;
    fs::remove_all(run.plan.work, ec);
    for (const auto& f : fs::directory_iterator(run.out, ec))
        if (f.path().extension() == ".deb") fs::remove(f.path(), ec);
    e.message = "build interrupted" + (stage.empty() ? "" : " in stage " + stage) + "; log: " + log_path.string();
    return e;
}

Error failed_build(int exit_code, const BuildRun& run, const std::string& stage, const fs::path& log_path,
                   const fs::path& script) {
    std::ifstream in(log_path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Error e = failure("build failed" + (stage.empty() ? "" : " in stage " + stage) + " (exit " +
                      std::to_string(exit_code) + "); " + tool_failure_evidence(text, 30) + "log: " + log_path.string());
    e.hint = "the full log is " + log_path.string() + "; the build's scratch files stay in " + run.plan.work.string() +
             "; re-run with " + script.string();
    return e;
}

}  // namespace

Result<BuildOutcome> run_build(ProcessRunner& runner, const Os& os, const BuildRun& run, const StageSink& on_stage) {
    const auto start = Clock::now();
    KF_TRY_STATUS(clear_output(run.out));
    const fs::path script = run.out / "reproduce.sh";
    KF_TRY_STATUS(write_file_atomically(script, reproduce_script(run), 0755));
    const fs::path log_path = run.out / "build.log";
    std::ofstream log;
    KF_TRY_STATUS(start_log(log, run, log_path));

    LogFollower follow(log, on_stage);
    if (run.chroot) follow.begin("chroot");
    Result<ProcessOutput> ran = run_script(runner, os, run, script, [&](std::string_view chunk) { follow(chunk); });
    const std::string failed_stage = follow.current();
    follow.finish();
    if (!ran.ok()) {
        if (int(ran.error().code) > 128) return interrupted_build(ran.error(), run, failed_stage, log_path);
        return ran.error();
    }
    log.close();
    if (ran.value().exit_code != 0) return failed_build(ran.value().exit_code, run, failed_stage, log_path, script);
    KF_TRY(auto outcome, collect(run));
    read_compile_logs(run.plan, outcome);
    outcome.stages = follow.stages();
    outcome.seconds = since(start);
    outcome.manifest = manifest_json(run, outcome);
    KF_TRY_STATUS(write_file_atomically(run.out / "manifest.json", outcome.manifest, 0644));
    return outcome;
}

}  // namespace kf::sys
