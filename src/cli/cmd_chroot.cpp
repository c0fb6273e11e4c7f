// `kflavour chroot create|list|update|shell|remove`: clean build chroots.
#include "cli/app.hpp"
#include "chroot/chroot.hpp"
#include "chroot/chroot_preview.hpp"
#include "chroot/chroot_repack.hpp"
#include "config/kbuild.hpp"
#include "base/process.hpp"
#include "base/text.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ostream>
#include <sstream>

namespace kf::cli {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> opts(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return {};
    std::vector<std::string> out;
    for (const auto& v : vm[name].as<std::vector<std::string>>()) {
        // "--include a,b" and "--include a --include b" both work.
        std::stringstream ss(v);
        std::string item;
        while (std::getline(ss, item, ','))
            if (!item.empty()) out.push_back(item);
    }
    return out;
}


std::string human_size(uintmax_t b) {
    char buf[32];
    if (b >= (1u << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", double(b) / double(1u << 30));
    else std::snprintf(buf, sizeof buf, "%.0f MiB", double(b) / double(1u << 20));
    return buf;
}

std::string human_age(double s) {
    char buf[32];
    if (s < 3600) std::snprintf(buf, sizeof buf, "%.0fm", s / 60);
    else if (s < 86400 * 2) std::snprintf(buf, sizeof buf, "%.0fh", s / 3600);
    else std::snprintf(buf, sizeof buf, "%.0fd", s / 86400);
    return buf;
}

Status run_create(Context& ctx, const po::variables_map& vm) {
    sys::ChrootSpec spec;
    spec.suite = vm["suite"].as<std::string>();
    spec.arch = string_option(vm, "arch");
    spec.native_arch = ctx.os.native_arch();
    spec.hosts = opts(vm, "host");
    spec.qemu = vm["qemu"].as<bool>();
    spec.mirror = string_option(vm, "mirror");
    spec.ports_mirror = string_option(vm, "ports-mirror");
    spec.includes = opts(vm, "include");
    spec.variant = vm["variant"].as<std::string>();
    spec.check_signature = !vm["no-check-signature"].as<bool>();
    spec.keyring = string_option(vm, "keyring");
    spec.name = string_option(vm, "name");
    if (spec.name.empty()) spec.name = sys::default_name(spec);
    KF_TRY_STATUS(sys::check_name(spec.name));
    const fs::path cache = sys::chroot_cache_dir(ctx.os);
    KF_TRY(const std::string tmpl, sys::sources_template(ctx.os, spec.suite));
    if (ctx.global.dry_run) {
        const auto preview = sys::preview_create(spec, cache, tmpl);
        if (preview.keyring_problem) ctx.warn(preview.keyring_problem->message + " (mmdebstrap would fail)");
        ctx.out << preview.text;
        return ok_status();
    }
    if (!spec.check_signature) ctx.warn("--no-check-signature: the archive's packages are not verified");
    if (vm["refresh"].as<bool>() || !sys::chroot_cached(cache, spec.name))
        ctx.info("chroot " + spec.name + ": creating with mmdebstrap (" + spec.suite + ", " + join(spec.arches(), ",") + ")");
    sys::SystemRunner runner;
    auto sink = [&](std::string_view chunk) { ctx.verbose_output(chunk); };
    KF_TRY(auto res, sys::create_chroot(runner, spec, cache, tmpl, vm["refresh"].as<bool>(), sink));
    if (ctx.global.json) {
        ctx.out << nlohmann::ordered_json{{"name", res.name}, {"tarball", res.tarball.string()}, {"reused", res.reused},
                                          {"seconds", res.seconds}}.dump(2) << "\n";
    } else if (res.reused) {
        ctx.info("chroot " + res.name + " exists: " + res.tarball.string() + " (--refresh to re-create)");
    } else {
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.1f", res.seconds);
        ctx.info("chroot " + res.name + " created in " + secs + " s: " + res.tarball.string());
    }
    return ok_status();
}

Status run_list(Context& ctx, const po::variables_map&) {
    const fs::path cache = sys::chroot_cache_dir(ctx.os);
    KF_TRY(auto all, sys::list_chroots(cache));
    if (ctx.global.json) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& c : all)
            rows.push_back({{"name", c.name}, {"suite", c.suite}, {"arches", c.arches}, {"includes", c.includes},
                            {"size", c.size}, {"age_seconds", c.age_seconds}, {"tarball", c.tarball.string()}});
        ctx.out << nlohmann::ordered_json{{"cache", cache.string()}, {"chroots", rows}}.dump(2) << "\n";
        return ok_status();
    }
    if (all.empty()) {
        ctx.info("no chroots in " + cache.string() + " (kflavour chroot create SUITE)");
        return ok_status();
    }
    char line[512];
    std::snprintf(line, sizeof line, "%-32s %-10s %-20s %9s %5s", "NAME", "SUITE", "ARCHES", "SIZE", "AGE");
    ctx.out << line << "\n";
    for (const auto& c : all) {
        std::string arches;
        for (const auto& a : c.arches) arches += (arches.empty() ? "" : ",") + a;
        std::snprintf(line, sizeof line, "%-32s %-10s %-20s %9s %5s", c.name.c_str(), c.suite.c_str(), arches.c_str(),
                      human_size(c.size).c_str(), human_age(c.age_seconds).c_str());
        ctx.out << line << "\n";
    }
    return ok_status();
}

Status run_remove(Context& ctx, const po::variables_map& vm) {
    const auto name = vm["name"].as<std::string>();
    const fs::path cache = sys::chroot_cache_dir(ctx.os);
    if (ctx.global.dry_run) {
        KF_TRY(auto info, sys::find_chroot(cache, name));
        ctx.out << "would remove " << info.tarball.string() << "\n";
        return ok_status();
    }
    KF_TRY_STATUS(sys::remove_chroot(cache, name));
    ctx.info("removed chroot " + name);
    return ok_status();
}

Status run_update(Context& ctx, const po::variables_map& vm) {
    const auto name = vm["name"].as<std::string>();
    sys::SystemRunner runner;
    auto sink = [&](std::string_view chunk) { ctx.verbose_output(chunk); };
    ctx.info("chroot " + name + ": apt-get dist-upgrade inside");
    KF_TRY_STATUS(sys::update_chroot(runner, ctx.os, sys::chroot_cache_dir(ctx.os), name, sink));
    ctx.info("chroot " + name + " updated");
    return ok_status();
}

Status run_shell(Context& ctx, const po::variables_map& vm) {
    KF_TRY(auto info, sys::find_chroot(sys::chroot_cache_dir(ctx.os), vm["name"].as<std::string>()));
    ctx.info("chroot " + info.name + ": a throw-away copy; changes are discarded on exit");
    sys::SystemRunner runner;
    KF_TRY(int code, sys::chroot_shell(runner, ctx.os, info.tarball));
    if (code != 0) {
        Error e = failure("the shell exited " + std::to_string(code));
        e.code = Exit(code);
        return e;
    }
    return ok_status();
}

Status run_run(Context& ctx, const po::variables_map& vm) {
    KF_TRY(auto info, sys::find_chroot(sys::chroot_cache_dir(ctx.os), vm["name"].as<std::string>()));
    if (!vm.count("command")) return bad_input("chroot run needs a command: kflavour chroot run NAME -- CMD...");
    sys::ChrootRun run{info.tarball, {}, vm["command"].as<std::vector<std::string>>(), {}};
    if (vm.count("bind"))
        for (const auto& b : vm["bind"].as<std::vector<std::string>>()) run.binds.push_back(fs::absolute(b));
    if (ctx.global.dry_run) {
        ctx.out << "# extract " << info.tarball.string() << " to a scratch dir ROOT, then:\n"
                << sys::chroot_exec_command(run, "ROOT").to_shell() << "\n";
        return ok_status();
    }
    sys::SystemRunner runner;
    auto sink = [&](std::string_view chunk) { ctx.out << chunk << std::flush; };
    KF_TRY(auto out, sys::run_in_chroot(runner, ctx.os, run, sink));
    if (out.exit_code != 0) {
        Error e = failure("the command exited " + std::to_string(out.exit_code) + " in chroot " + info.name);
        e.code = Exit::failure;
        return e;
    }
    return ok_status();
}

void name_arg(po::options_description& d, po::positional_options_description& p) {
    d.add_options()("name", po::value<std::string>()->required()->value_name("NAME"), "the chroot (see chroot list)");
    p.add("name", 1);
}

}  // namespace

Command chroot_command() {
    Command create{"create", "create (or reuse) an mmdebstrap build chroot for SUITE",
                   "SUITE [--arch A] [--host A]... [--qemu] [--mirror URL] [--ports-mirror URL] [--include PKG]... [--name NAME] [--refresh]",
                   [](po::options_description& d, po::positional_options_description& p) {
                       d.add_options()
                           ("suite", po::value<std::string>()->required()->value_name("SUITE"), "bookworm, trixie, focal, noble, …")
                           ("arch", po::value<std::string>()->value_name("A"), "the chroot's own arch (default: this machine's)")
                           ("host", po::value<std::vector<std::string>>()->value_name("A"),
                            "add A as a foreign arch with crossbuild-essential-A (cross builds); repeatable")
                           ("qemu", po::bool_switch(), "--arch is foreign: run it through qemu-user (checked with arch-test)")
                           ("mirror", po::value<std::string>()->value_name("URL"), "the archive (Ubuntu: amd64/i386)")
                           ("ports-mirror", po::value<std::string>()->value_name("URL"), "Ubuntu: the mirror for other arches")
                           ("include", po::value<std::vector<std::string>>()->value_name("PKG"), "more packages; repeatable")
                           ("variant", po::value<std::string>()->default_value("buildd"), "mmdebstrap variant")
                           ("name", po::value<std::string>()->value_name("NAME"), "the chroot's name (default: from suite, arches, includes)")
                           ("refresh", po::bool_switch(), "re-create it even if it exists")
                           ("keyring", po::value<std::string>()->value_name("FILE"),
                            "check the archive with this keyring (default: the distro's in /usr/share/keyrings)")
                           ("no-check-signature", po::bool_switch(), "do not verify the archive (explicit opt-out)");
                       p.add("suite", 1);
                   },
                   run_create, {}};
    Command list{"list", "the cached chroots: name, suite, arches, size, age", "",
                 [](po::options_description&, po::positional_options_description&) {}, run_list, {}};
    Command update{"update", "apt-get dist-upgrade inside NAME; the new tarball replaces the old atomically", "NAME",
                   name_arg, run_update, {}};
    Command shell{"shell", "an interactive shell in a throw-away copy of NAME", "NAME", name_arg, run_shell, {}};
    Command run{"run", "run a command in a throw-away copy of NAME, DIRs bind-mounted",
                "NAME [--bind DIR]... -- CMD [ARG]...",
                [](po::options_description& d, po::positional_options_description& p) {
                    d.add_options()("name", po::value<std::string>()->required()->value_name("NAME"), "the chroot")
                        ("bind", po::value<std::vector<std::string>>()->value_name("DIR"),
                         "bind-mount DIR at the same path inside; repeatable")
                        ("command", po::value<std::vector<std::string>>()->value_name("CMD"), "the command");
                    p.add("name", 1).add("command", -1);
                },
                run_run, {}};
    Command remove{"remove", "delete the chroot NAME", "NAME", name_arg, run_remove, {}};
    return Command{"chroot", "clean build chroots (mmdebstrap) for native, cross and qemu builds",
                   "create|list|update|shell|run|remove", nullptr, nullptr, {create, list, update, shell, run, remove}};
}

}  // namespace kf::cli
