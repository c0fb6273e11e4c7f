// `kflavour deps fix|check`: the Build-Depends a cross build needs.
#include "cli/app.hpp"
#include "base/data_dirs.hpp"
#include "deps/control_file.hpp"
#include "deps/deps_fix.hpp"
#include "base/edit_set.hpp"
#include "tree/tree.hpp"
#include "deps/apt_lists.hpp"
#include "deps/build_depends.hpp"
#include "chroot/chroot.hpp"
#include "config/kbuild.hpp"
#include "base/process.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace kf::cli {
namespace fs = std::filesystem;

namespace {

std::optional<std::string> option(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
}

Result<sys::ArchiveLists> load_metadata(const sys::Os& os, const po::variables_map& vm, const std::string& build_arch) {
    if (vm.count("apt-lists")) {
        KF_TRY(auto src, sys::AptListsSource::load(vm["apt-lists"].as<std::string>(), build_arch));
        return sys::ArchiveLists{std::nullopt, std::move(src), "", ""};
    }
    Error neither = with_hint(bad_input("say whose archive metadata to use: --suite S, --chroot NAME or --apt-lists DIR"),
                              "kflavour chroot list shows the cached chroots");
    KF_TRY(auto info, sys::named_chroot(sys::chroot_cache_dir(os), option(vm, "chroot"), option(vm, "suite"),
                                        os.native_arch(), neither));
    sys::SystemRunner runner;
    return sys::chroot_lists(runner, info, build_arch);
}

std::string action_word(DepAction a) {
    switch (a) {
    case DepAction::native: return "add :native";
    case DepAction::twin: return "add a :native twin";
    case DepAction::unknown: return "unknown";
    default: return "keep";
    }
}

Status run_fix(Context& ctx, const po::variables_map& vm) {
    KF_TRY(fs::path file, sys::control_file(ctx.global.tree));
    KF_TRY(std::string text, read_text_file(file));
    KF_TRY(auto fields, sys::parse_build_depends(text, file.string()));
    KF_TRY(auto twins_text, sys::read_data_file(ctx.os, "templates/native-twins"));
    auto twins = parse_native_twins(twins_text);
    KF_TRY(sys::ArchiveLists meta, load_metadata(ctx.os, vm, string_option(vm, "build-arch")));
    auto plan = plan_deps_fix(text, fields, meta.source, twins);

    const bool write = vm["write"].as<bool>() && !ctx.global.dry_run;
    EditSet edits;
    edits.put(file, text, plan.text);
    if (ctx.global.json) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& d : plan.decisions)
            rows.push_back({{"package", d.package}, {"field", d.field}, {"line", d.line},
                            {"action", action_word(d.action)}, {"reason", d.reason}});
        ctx.out << nlohmann::ordered_json{{"file", file.string()}, {"metadata", meta.source.describe()},
                                          {"changed", plan.changed}, {"written", write && plan.changed},
                                          {"decisions", rows}, {"diff", edits.unified_diff(ctx.global.tree)}}
                       .dump(2)
                << "\n";
    } else {
        for (const auto& d : plan.decisions) {
            std::string where = file.filename().string() + ":" + std::to_string(d.line) + ": " + d.package + ": ";
            if (d.action == DepAction::unknown)
                ctx.warn(where + d.reason + "; left as is");
            else if (d.action == DepAction::native || d.action == DepAction::twin)
                ctx.verbose(where + action_word(d.action) + " (" + d.reason + ")");
            else
                ctx.verbose(where + "keep (" + d.reason + ")");
        }
        if (!write) ctx.out << edits.unified_diff(ctx.global.tree);
    }
    if (write) {
        KF_TRY_STATUS(edits.apply());
        if (!ctx.global.json) ctx.info(edits.empty() ? "nothing to fix in " + file.string() : "updated " + file.string());
    }
    return ok_status();
}

void metadata_options(po::options_description& d) {
    d.add_options()
        ("suite", po::value<std::string>()->value_name("S"), "use the cached chroot of suite S")
        ("chroot", po::value<std::string>()->value_name("NAME"), "use the cached chroot NAME")
        ("apt-lists", po::value<std::string>()->value_name("DIR"),
         "use the apt lists in DIR (e.g. /var/lib/apt/lists) instead of a chroot's");
}

}  // namespace

Status run_deps_check(Context& ctx, const po::variables_map& vm);  // cmd_deps_check.cpp

Command deps_command() {
    Command fix{"fix", "add the :native markings a cross build needs to the Build-Depends",
                "[--write] [--suite S | --chroot NAME | --apt-lists DIR]",
                [](po::options_description& d, po::positional_options_description&) {
                    d.add_options()("write", po::bool_switch(), "write the file (default: print a diff)")
                        ("build-arch", po::value<std::string>()->value_name("A"),
                         "the build machine's arch, whose lists answer (default: the chroot's own)");
                    metadata_options(d);
                },
                run_fix, {}};
    Command check{"check", "can the build dependencies be satisfied for a cross build to --host?",
                  "--host A [--suite S | --chroot NAME]",
                  [](po::options_description& d, po::positional_options_description&) {
                      d.add_options()("host", po::value<std::string>()->value_name("A")->required(),
                                      "the arch the build is for");
                      metadata_options(d);
                  },
                  run_deps_check, {}};
    return Command{"deps", "Build-Depends for cross builds: fix the :native markings, check satisfiability", "fix|check",
                   nullptr, nullptr, {fix, check}};
}

}  // namespace kf::cli
