// `kflavour publish DIR|FILE.changes --repo PATH`: add a verified set to a
// signed apt repository, with meta packages that follow the newest kernel of
// the flavour; `--client-config DIR --url URL` writes what a machine needs to
// use the repository.
#include "cli/app.hpp"
#include "new/new_inputs.hpp"
#include "cli/verify_inputs.hpp"
#include "verify/verify_set.hpp"
#include "publish/index_plan.hpp"
#include "publish/client_config.hpp"
#include "publish/publish_run.hpp"

#include "base/text.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;

namespace {

struct PublishOptions {
    fs::path repo;
    std::string suite, component, key, url, name;
    bool unsigned_repo = false, force = false;
    std::optional<int> keep;
    std::optional<std::string> cmdline;
    fs::path client_dir;
};

Result<PublishOptions> read_options(const po::variables_map& vm) {
    PublishOptions o;
    if (!vm.count("repo")) return bad_input("publish: say where the repository is: --repo PATH");
    o.repo = fs::absolute(string_option(vm, "repo")).lexically_normal();
    KF_TRY_STATUS(publish::check_repo_path(o.repo));
    o.suite = string_option(vm, "suite");
    o.component = vm.count("component") ? string_option(vm, "component") : "main";
    KF_TRY_STATUS(publish::check_archive_name("--component", o.component));
    o.key = string_option(vm, "key");
    o.unsigned_repo = vm["unsigned"].as<bool>();
    if (o.unsigned_repo && !o.key.empty()) return bad_input("--key and --unsigned exclude each other");
    o.force = vm["force"].as<bool>();
    if (vm.count("keep")) {
        o.keep = vm["keep"].as<int>();
        if (*o.keep < 1) return bad_input("--keep " + std::to_string(*o.keep) + ": keep at least 1 version of each flavour");
    }
    if (vm.count("cmdline")) {
        o.cmdline = string_option(vm, "cmdline");
        KF_TRY_STATUS(publish::check_cmdline(*o.cmdline));
    }
    o.client_dir = string_option(vm, "client-config");
    o.url = string_option(vm, "url");
    o.name = vm.count("name") ? string_option(vm, "name") : "kflavour";
    KF_TRY_STATUS(publish::check_archive_name("--name", o.name));
    if (!o.client_dir.empty() && o.url.empty()) return bad_input("--client-config needs --url URL (where clients reach the repository)");
    if (o.url.find_first_of(" \t\n\"'") != std::string::npos) return bad_input("--url " + quote_input(o.url) + ": no blanks or quotes");
    if (!vm.count("set") && o.client_dir.empty())
        return bad_input("publish: say which set: a directory of .debs or a .changes file (or --client-config DIR)");
    return o;
}

// The set's packages as publish takes them. linux-libc-dev is userspace's
// kernel headers, not part of a flavour: published, it would replace the
// release's own on every machine (Ubuntu ships it from the main kernel only).
std::vector<publish::SetInputFile> set_inputs(Context& ctx, const VerifyReport& report) {
    std::vector<publish::SetInputFile> out;
    for (const auto& p : report.packages) {
        if (p.name == "linux-libc-dev") {
            ctx.verbose("not published: " + p.file.filename().string() + " (the release's own linux-libc-dev stays)");
            continue;
        }
        out.push_back({p.file, {p.name, p.version, p.architecture, p.source, p.maintainer}});
    }
    return out;
}

Status check_verified(Context& ctx, const VerifyReport& report, bool force) {
    if (report.ok()) return ok_status();
    ctx.err << format_report(report);
    const std::string what = "the set fails verify (" + std::to_string(report.findings.size()) + " problem" +
                             (report.findings.size() == 1 ? "" : "s") + ")";
    if (force) {
        ctx.warn(what + "; publishing it anyway (--force)");
        return ok_status();
    }
    Error e = with_hint(failure("publish: " + what + "; nothing was published", report.set),
                        "fix the set, or publish it anyway with --force");
    e.code = Exit::check_failed;
    return e;
}

// The set verified against the release it is for: a failing set is not
// published unless --force.
Result<VerifyReport> verify_for_publish(Context& ctx, const po::variables_map& vm, const fs::path& set,
                                        const std::string& suite, bool force) {
    sys::VerifyTarget target = verify_target_from(ctx, vm);
    target.suite = suite;
    KF_TRY(auto report, sys::verify_set(set, target, [&ctx](const std::string& line) { ctx.verbose(line); }));
    KF_TRY_STATUS(check_verified(ctx, report, force));
    return report;
}

Status publish_set(Context& ctx, const po::variables_map& vm, const PublishOptions& o) {
    const fs::path set = vm["set"].as<std::string>();
    const publish::SetManifest manifest = publish::read_set_manifest(set);
    publish::PublishRequest req;
    req.repo = o.repo;
    req.suite = !o.suite.empty() ? o.suite : manifest.suite;
    if (req.suite.empty())
        return bad_input("publish: say which suite of the repository the set goes to: --suite S (the set has no manifest.json)");
    req.component = o.component;
    req.keep = o.keep;
    req.cmdline = o.cmdline;
    req.flavours = manifest.flavours;
    sys::SystemRunner runner;
    if (!o.unsigned_repo) {
        KF_TRY(req.signing_key, publish::signing_fingerprint(runner, o.key));
    }

    KF_TRY(const auto report,
           verify_for_publish(ctx, vm, set, !manifest.suite.empty() ? manifest.suite : req.suite, o.force));
    req.files = set_inputs(ctx, report);

    req.default_cmdline = [&ctx](const std::string& flavour) -> std::optional<std::string> {
        auto def = sys::load_flavour_def(ctx.os, flavour);  // no definition of that name: no default
        return def.ok() ? def->cmdline : std::nullopt;
    };
    if (ctx.global.dry_run) {
        std::vector<publish::SetPackage> packages;
        for (const auto& f : req.files) packages.push_back(f.package);
        KF_TRY(auto kernel, publish::kernel_of_set(packages, req.flavours));
        ctx.out << "would publish " << kernel.release << " " << kernel.version << " (" << kernel.arch << ", flavour "
                << kernel.flavour << ") into " << o.repo.string() << " suite " << req.suite << "\n";
        return ok_status();
    }
    auto report_line = [&ctx](const std::string& line) { ctx.info(line); };
    KF_TRY(const auto outcome, publish::run_publish(req, runner, report_line));
    const auto& k = outcome.kernel;
    if (ctx.global.json) {
        ctx.out << nlohmann::ordered_json{{"repo", o.repo.string()}, {"suite", req.suite}, {"flavour", k.flavour},
                                          {"arch", k.arch}, {"version", k.version}, {"release", k.release},
                                          {"changed", outcome.changed}, {"generation", outcome.generation},
                                          {"dropped_versions", outcome.dropped_versions}, {"signed", !req.signing_key.empty()}}
                       .dump(2)
                << "\n";
    } else if (!outcome.changed) {
        ctx.info("nothing to do: " + o.repo.string() + " already has " + k.release + " " + k.version + " in " + req.suite);
    } else {
        ctx.info("published " + k.release + " " + k.version + " (" + k.arch + ") into " + o.repo.string() + " suite " +
                 req.suite + ", " + o.component + " (generation " + std::to_string(outcome.generation) + ")");
        ctx.info("  meta packages: linux-" + k.flavour + ", linux-image-" + k.flavour +
                 (k.header_packages.empty() ? std::string() : ", linux-headers-" + k.flavour) + " " + k.version);
        for (const auto& v : outcome.dropped_versions) ctx.info("  dropped (--keep): " + v);
    }
    if (req.signing_key.empty()) ctx.warn("the repository is not signed (--unsigned): clients must trust it blindly");
    return ok_status();
}

Status write_client_config(Context& ctx, const PublishOptions& o) {
    sys::SystemRunner runner;
    KF_TRY(const auto config, publish::write_client_config(runner, {o.repo, o.suite, o.component, o.url, o.name,
                                                                     o.client_dir}));
    if (config.keyring.empty())
        ctx.warn("the repository is not signed: " + config.sources.string() + " says Trusted: yes");
    ctx.info("client config: " + config.sources.string() + " -> /etc/apt/sources.list.d/" +
             (config.keyring.empty() ? std::string() : ", " + config.keyring_file.string() + " -> " + config.keyring));
    return ok_status();
}

Status run_publish_command(Context& ctx, const po::variables_map& vm) {
    KF_TRY(const auto options, read_options(vm));
    if (vm.count("set")) KF_TRY_STATUS(publish_set(ctx, vm, options));
    if (!options.client_dir.empty()) KF_TRY_STATUS(write_client_config(ctx, options));
    return ok_status();
}

}  // namespace

Command publish_command() {
    return Command{
        "publish", "add a verified set to a signed apt repository (with meta packages), or write its client config",
        "DIR|FILE.changes --repo PATH [--suite S] [--component C] [--key KEYID | --unsigned] [--keep N] "
        "[--cmdline \"…\"] [--force] | --repo PATH --client-config DIR --url URL",
        [](po::options_description& d, po::positional_options_description& pos) {
            d.add_options()("set", po::value<std::string>()->value_name("DIR|FILE.changes"), "the set to publish")
                ("repo", po::value<std::string>()->value_name("PATH"), "the repository (created when new)")
                ("suite", po::value<std::string>()->value_name("S"), "the suite (default: the release the set was built for)")
                ("component", po::value<std::string>()->value_name("C"), "the component (default: main)")
                ("key", po::value<std::string>()->value_name("KEYID"), "sign with this gpg key (default: gpg's first secret key)")
                ("unsigned", po::bool_switch(), "no signature: a throw-away repository clients must trust blindly")
                ("keep", po::value<int>()->value_name("N"), "keep the newest N versions of the flavour (default: all)")
                ("cmdline", po::value<std::string>()->value_name("ARGS"),
                 "publish linux-F-cmdline, adding ARGS to the kernel command line (\"\" removes it)")
                ("force", po::bool_switch(), "publish a set that fails verify")
                ("packages", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
                 "verify against this Packages file of the target release (repeatable)")
                ("chroot", po::value<std::string>()->value_name("NAME"), "verify against this kflavour chroot's apt lists")
                ("client-config", po::value<std::string>()->value_name("DIR"),
                 "write NAME.sources and NAME.gpg for clients into DIR")
                ("url", po::value<std::string>()->value_name("URL"), "where clients reach the repository")
                ("name", po::value<std::string>()->value_name("NAME"), "the client files' name (default: kflavour)");
            pos.add("set", 1);
        },
        run_publish_command, {}};
}

}  // namespace kf::cli
