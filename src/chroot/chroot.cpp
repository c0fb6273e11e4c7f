#include "chroot/chroot.hpp"

#include "base/arch.hpp"
#include "base/data_dirs.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"
#include "config/kbuild.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <signal.h>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace kf::sys {

namespace {

bool ubuntu_archive_arch(const std::string& a) { return a == "amd64" || a == "i386"; }

// Removes stale partial files of `name` whose creator is gone.
void remove_stale_partials(const fs::path& cache, const std::string& name) {
    std::error_code ec;
    const std::string prefix = "." + name + ".partial-";
    for (const auto& e : fs::directory_iterator(cache, ec)) {
        std::string f = e.path().filename().string();
        if (f.rfind(prefix, 0) != 0) continue;
        std::string pid = f.substr(prefix.size());
        pid = pid.substr(0, pid.find('.'));
        pid_t p = pid_t(std::atol(pid.c_str()));
        if (p > 0 && ::kill(p, 0) == 0) continue;  // still being written
        fs::remove(e.path(), ec);
    }
}

}  // namespace

std::vector<std::string> ChrootSpec::arches() const {
    std::vector<std::string> out{own_arch()};
    for (const auto& h : hosts)
        if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
    return out;
}

std::vector<std::string> ChrootSpec::all_includes() const {
    std::vector<std::string> out;
    for (const auto& h : hosts)
        if (h != own_arch()) out.push_back("crossbuild-essential-" + h);
    for (const auto& i : includes)
        if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    return out;
}

std::string default_name(const ChrootSpec& spec) {
    auto arches = spec.arches();
    std::string name = spec.suite + "-" + arches[0];
    for (size_t i = 1; i < arches.size(); ++i) name += "+" + arches[i];
    if (!spec.includes.empty()) {
        auto inc = spec.includes;
        std::sort(inc.begin(), inc.end());
        inc.erase(std::unique(inc.begin(), inc.end()), inc.end());
        name += "-" + short_hash(join(inc, ","));
    }
    if (spec.variant != "buildd") name += "-" + spec.variant;
    return name;
}

Status check_name(const std::string& name) {
    bool ok = !name.empty() && std::isalnum(static_cast<unsigned char>(name[0]));
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '+' && c != '_' && c != '-') ok = false;
    if (!ok) return bad_input("bad chroot name " + quote_input(name) + ": use letters, digits and . + _ -");
    return ok_status();
}

std::string default_mirror(Distro d, const std::string& arch) {
    if (d == Distro::debian) return "http://deb.debian.org/debian";
    return ubuntu_archive_arch(arch) ? "http://archive.ubuntu.com/ubuntu" : "http://ports.ubuntu.com/ubuntu-ports";
}

std::string default_keyring(Distro d) {
    return d == Distro::ubuntu ? "/usr/share/keyrings/ubuntu-archive-keyring.gpg"
                               : "/usr/share/keyrings/debian-archive-keyring.gpg";
}

std::string keyring_of(const ChrootSpec& spec) {
    return spec.keyring.empty() ? default_keyring(distro_of(spec.suite)) : spec.keyring;
}

Status check_keyring(const ChrootSpec& spec) {
    if (!spec.check_signature) return ok_status();
    const Distro d = distro_of(spec.suite);
    // Debian suites check against apt's own trusted keys unless --keyring is given.
    if (d == Distro::debian && spec.keyring.empty()) return ok_status();
    const std::string file = keyring_of(spec);
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) return ok_status();
    Error e = failure("the keyring for " + spec.suite + "'s archive does not exist: " + file);
    e.hint = d == Distro::ubuntu
                 ? "Debian ships Ubuntu's archive keyring from trixie on, in the package ubuntu-keyring "
                   "(apt-get download ubuntu-keyring from a trixie source, then dpkg-deb -x it), or pass --keyring FILE"
                 : "pass an existing file with --keyring FILE";
    return e;
}

std::string ubuntu_sources(const ChrootSpec& spec, const std::string& tmpl) {
    // The template holds one stanza with @URI@ @SUITE@ @ARCHES@ @KEYRING@;
    // it is written once for the archive arches and once for the ports arches.
    std::vector<std::string> archive, ports;
    for (const auto& a : spec.arches()) (ubuntu_archive_arch(a) ? archive : ports).push_back(a);
    auto stanza = [&](const std::vector<std::string>& arches, const std::string& uri) {
        std::string s = replace_all(tmpl, "@URI@", uri);
        s = replace_all(s, "@SUITE@", spec.suite);
        s = replace_all(s, "@ARCHES@", join(arches, " "));
        s = replace_all(s, "@KEYRING@", keyring_of(spec));
        return s;
    };
    std::string out;
    if (!archive.empty())
        out += stanza(archive, spec.mirror.empty() ? default_mirror(Distro::ubuntu, "amd64") : spec.mirror);
    if (!ports.empty()) {
        if (!out.empty() && !out.ends_with("\n\n")) out += "\n";
        out += stanza(ports, spec.ports_mirror.empty() ? default_mirror(Distro::ubuntu, "arm64") : spec.ports_mirror);
    }
    return out;
}

// The complete tarball takes its final name only now: an interrupted
// create or update never leaves a NAME.tar that looks complete.
Status publish_tarball(const ChrootPaths& paths) {
    std::error_code ec;
    fs::permissions(paths.partial, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                       fs::perms::others_read, ec);
    fs::rename(paths.partial, paths.tarball, ec);
    if (ec) {
        fs::remove(paths.partial, ec);
        return failure("cannot rename the chroot into place: " + ec.message(), paths.tarball.string());
    }
    return ok_status();
}

ChrootPaths chroot_paths(const fs::path& cache, const std::string& name) {
    return {cache / (name + ".tar"), cache / (name + ".json"), cache / (name + ".sources"),
            cache / ("." + name + ".partial-" + std::to_string(::getpid()) + ".tar")};
}

bool chroot_cached(const fs::path& cache, const std::string& name) {
    return path_exists(chroot_paths(cache, name).tarball);
}

Command mmdebstrap_command(const ChrootSpec& spec, const fs::path& target, const fs::path& sources_file) {
    Command c;
    c.argv = {tool_path("mmdebstrap"), "--variant=" + spec.variant};
    auto arches = spec.arches();
    c.argv.push_back("--architectures=" + join(arches, ","));
    auto inc = spec.all_includes();
    if (!inc.empty()) c.argv.push_back("--include=" + join(inc, ","));
    // Keep apt's lists: deps fix/check read them offline.
    c.argv.push_back("--skip=cleanup/apt/lists");
    Distro d = distro_of(spec.suite);
    if (spec.check_signature) {
        if (d == Distro::ubuntu || !spec.keyring.empty()) c.argv.push_back("--keyring=" + keyring_of(spec));
    } else {
        c.argv.push_back("--aptopt=Acquire::AllowInsecureRepositories \"true\"");
        c.argv.push_back("--aptopt=APT::Get::AllowUnauthenticated \"true\"");
        c.argv.push_back("--aptopt=Acquire::Check-Valid-Until \"false\"");
    }
    c.argv.push_back(spec.suite);
    c.argv.push_back(target.string());
    if (!sources_file.empty())
        c.argv.push_back(sources_file.string());
    else if (!spec.mirror.empty())
        c.argv.push_back(spec.mirror);
    c.own_process_group = true;
    return c;
}

Command arch_test_command(const std::string& arch) { return Command{{tool_path("arch-test"), arch}, {}, {}}; }

std::string binfmt_hint(const std::string& arch) {
    const ArchRow* row = arch_row(arch);
    const std::string q = row ? std::string(row->qemu) : arch;
    return "install qemu-user-static and binfmt-support, then as root: "
           "mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable qemu-" + q +
           " (check with: arch-test " + arch + ")";
}

std::string chroot_metadata(const ChrootSpec& spec, const Command& mmdebstrap) {
    nlohmann::ordered_json j{{"name", spec.name.empty() ? default_name(spec) : spec.name},
                             {"suite", spec.suite},
                             {"arches", spec.arches()},
                             {"qemu", spec.qemu},
                             {"includes", spec.all_includes()},
                             {"variant", spec.variant},
                             {"mirror", spec.mirror},
                             {"ports_mirror", spec.ports_mirror},
                             {"check_signature", spec.check_signature},
                             {"mmdebstrap", mmdebstrap.argv}};
    return j.dump(2) + "\n";
}

namespace {
Result<ChrootInfo> read_info(const fs::path& cache, const std::string& name) {
    auto p = chroot_paths(cache, name);
    ChrootInfo info;
    info.name = name;
    info.tarball = p.tarball;
    std::error_code ec;
    info.size = fs::file_size(p.tarball, ec);
    if (ec) return bad_input("no chroot " + quote_input(name) + " in " + cache.string());
    auto mtime = fs::last_write_time(p.tarball, ec);
    if (!ec)
        info.age_seconds = std::chrono::duration<double>(fs::file_time_type::clock::now() - mtime).count();
    if (auto text = read_made_file(p.metadata); text.ok()) {
        try {
            auto j = nlohmann::json::parse(*text);
            info.suite = j.value("suite", "");
            info.arches = j.value("arches", std::vector<std::string>{});
            info.includes = j.value("includes", std::vector<std::string>{});
            info.mirror = j.value("mirror", "");
        } catch (const std::exception&) {
        }
    }
    return info;
}
}  // namespace

Result<std::vector<ChrootInfo>> list_chroots(const fs::path& cache) {
    std::vector<ChrootInfo> out;
    std::error_code ec;
    if (!fs::is_directory(cache, ec)) return out;
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(cache, ec)) {
        std::string f = e.path().filename().string();
        if (f.empty() || f[0] == '.' || !f.ends_with(".tar")) continue;
        names.push_back(f.substr(0, f.size() - 4));
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
        auto info = read_info(cache, n);
        if (info.ok()) out.push_back(std::move(*info));
    }
    return out;
}

Result<ChrootInfo> find_chroot(const fs::path& cache, const std::string& name) {
    KF_TRY_STATUS(check_name(name));
    auto info = read_info(cache, name);
    if (!info.ok()) info.error().hint = "see 'kflavour chroot list', or create it with 'kflavour chroot create'";
    return info;
}

Result<ChrootInfo> find_chroot_for_suite(const fs::path& cache, const std::string& suite,
                                         const std::string& native_arch) {
    ChrootSpec spec;
    spec.suite = suite;
    spec.native_arch = native_arch;
    if (auto exact = read_info(cache, default_name(spec)); exact.ok()) return exact;
    KF_TRY(auto all, list_chroots(cache));
    for (auto& c : all)
        if (c.suite == suite) return c;
    Error e = bad_input("no cached chroot for suite " + quote_input(suite) + " in " + cache.string());
    e.hint = "kflavour chroot create " + suite + " (or pass --chroot NAME)";
    return e;
}

Result<ChrootInfo> named_chroot(const fs::path& cache, const std::optional<std::string>& name,
                                const std::optional<std::string>& suite, const std::string& native_arch,
                                Error if_neither) {
    if (name) return find_chroot(cache, *name);
    if (suite) return find_chroot_for_suite(cache, *suite, native_arch);
    return if_neither;
}

namespace {

// A foreign arch needs --qemu.
Status check_foreign(const ChrootSpec& spec) {
    const std::string& own = spec.own_arch();
    if (own == spec.native_arch || spec.qemu) return ok_status();
    Error e = bad_input("--arch " + own + " is foreign on this " + spec.native_arch + " machine");
    e.hint = "add --qemu to run it through qemu-user, or use --host " + own + " for a cross-build chroot";
    return e;
}

// ... and a machine that runs its binaries (binfmt_misc + qemu-user).
Status check_binfmt(ProcessRunner& runner, const ChrootSpec& spec) {
    const std::string& own = spec.own_arch();
    if (!spec.qemu || own == spec.native_arch) return ok_status();
    KF_TRY(auto at, runner.run(arch_test_command(own)));
    if (at.exit_code == 0) return ok_status();
    Error e = failure("this machine cannot run " + own + " binaries (arch-test " + own + ": " +
                      std::string(trim(at.output)) + ")");
    e.hint = binfmt_hint(own);
    return e;
}

// mmdebstrap into paths.partial; its seconds. Any failure removes the partial.
Result<double> run_mmdebstrap(ProcessRunner& runner, const Command& cmd, const ChrootPaths& paths,
                              const fs::path& cache, const std::string& name, const ProcessRunner::OutputSink& log) {
    std::error_code ec;
    auto start = std::chrono::steady_clock::now();
    ProcessOutput out;
    {
        InterruptGuard guard;
        auto r = runner.run_streaming(cmd, log);
        if (!r.ok()) {
            fs::remove(paths.partial, ec);
            return r.error();
        }
        out = std::move(*r);
        if (InterruptGuard::interrupted()) {
            fs::remove(paths.partial, ec);
            return InterruptGuard::error("mmdebstrap stopped, no chroot written");
        }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (out.exit_code != 0) {
        fs::remove(paths.partial, ec);
        // The whole output stays next to the chroots: the cause may be far
        // above a usage screen.
        const fs::path log_file = cache / (name + ".log");
        std::ofstream(log_file, std::ios::trunc) << out.output;
        Error e = failure("mmdebstrap failed (exit " + std::to_string(out.exit_code) + "); " +
                          tool_failure_evidence(out.output, 15) + "full output: " + log_file.string());
        e.hint = "command: " + cmd.to_shell();
        return e;
    }
    if (!fs::exists(paths.partial, ec)) return failure("mmdebstrap wrote no tarball", paths.partial.string());
    return seconds;
}

}  // namespace

Result<CreateResult> create_chroot(ProcessRunner& runner, const ChrootSpec& spec_in, const fs::path& cache,
                                   const std::string& sources_template, bool refresh,
                                   const ProcessRunner::OutputSink& log) {
    ChrootSpec spec = spec_in;
    if (spec.name.empty()) spec.name = default_name(spec);
    KF_TRY_STATUS(check_name(spec.name));
    auto paths = chroot_paths(cache, spec.name);
    CreateResult res{spec.name, paths.tarball, false, 0};
    std::error_code ec;
    KF_TRY_STATUS(check_foreign(spec));
    if (fs::exists(paths.tarball, ec) && !refresh) {
        res.reused = true;
        return res;
    }
    KF_TRY_STATUS(check_binfmt(runner, spec));
    KF_TRY_STATUS(check_keyring(spec));
    fs::create_directories(cache, ec);
    if (ec) return failure("cannot create the chroot cache: " + ec.message(), cache.string());
    remove_stale_partials(cache, spec.name);

    fs::path sources;
    if (distro_of(spec.suite) == Distro::ubuntu) {
        sources = paths.sources;
        KF_TRY_STATUS(write_file_atomically(sources, ubuntu_sources(spec, sources_template)));
    }
    Command cmd = mmdebstrap_command(spec, paths.partial, sources);
    KF_TRY(res.seconds, run_mmdebstrap(runner, cmd, paths, cache, spec.name, log));
    // Metadata first, then the tarball: a NAME.tar only exists complete.
    KF_TRY_STATUS(write_file_atomically(paths.metadata, chroot_metadata(spec, cmd)));
    KF_TRY_STATUS(publish_tarball(paths));
    return res;
}

Status remove_chroot(const fs::path& cache, const std::string& name) {
    KF_TRY(auto info, find_chroot(cache, name));
    auto p = chroot_paths(cache, name);
    std::error_code ec;
    fs::remove(p.tarball, ec);
    if (ec) return failure("cannot remove: " + ec.message(), p.tarball.string());
    fs::remove(p.metadata, ec);
    fs::remove(p.sources, ec);
    remove_stale_partials(cache, name);
    return ok_status();
}

Result<std::string> sources_template(const Os& os, const std::string& suite) {
    if (distro_of(suite) != Distro::ubuntu) return std::string();
    return read_data_file(os, "templates/ubuntu.sources");
}

}  // namespace kf::sys
