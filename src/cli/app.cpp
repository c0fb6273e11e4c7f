#include "cli/app.hpp"
#include "base/text.hpp"

#include "config/resolve_plan.hpp"
#include "archive/suites.hpp"
#include "base/process.hpp"
#include "new/new_inputs.hpp"

#include <cstdlib>
#include <filesystem>
#include <new>
#include <exception>
#include <iostream>
#include <unistd.h>

#ifndef KFLAVOUR_VERSION
#define KFLAVOUR_VERSION "0.0.0"
#endif

namespace kf::cli {
namespace {

void add_global_options(po::options_description& d, GlobalOptions& g) {
    d.add_options()
        ("directory,C", po::value<std::string>()->value_name("DIR")->notifier([&g](const std::string& s) { g.tree = s; }),
         "the tree to work in (default: .)")
        ("verbose,v", po::bool_switch()->notifier([&g](bool on) { if (on) g.verbosity = std::max(g.verbosity, 1); }),
         "say more")
        ("quiet,q", po::bool_switch()->notifier([&g](bool on) { if (on) g.verbosity = -1; }),
         "say only errors")
        ("dry-run", po::bool_switch()->notifier([&g](bool on) { g.dry_run = g.dry_run || on; }),
         "print what would be written (a unified diff) or run; change nothing")
        ("json", po::bool_switch()->notifier([&g](bool on) { g.json = g.json || on; }),
         "machine-readable result on stdout")
        ("no-color", po::bool_switch()->notifier([&g](bool on) { if (on) g.color = false; }),
         "no colour in output");
}

void print_usage(std::ostream& out) {
    out << "usage: kflavour [global options] <command> [options]\n\n"
           "Turn a Debian/Ubuntu vendor kernel tree into a custom kernel flavour.\n\nCommands:\n";
    for (const auto& c : command_table()) {
        std::string name = c.name;
        name.resize(std::max<size_t>(name.size() + 2, 12), ' ');
        out << "  " << name << c.summary << "\n";
    }
    GlobalOptions scratch;
    po::options_description global("Global options");
    add_global_options(global, scratch);
    global.add_options()("help,h", "show help (also: kflavour <command> --help)")("version", "show the version");
    out << "\n" << global << "\nExit status: 0 ok, 1 a check failed, 2 bad usage or input, 3 operational failure.\n";
}

void print_command_help(std::ostream& out, const std::string& path, const Command& c,
                        const po::options_description* opts) {
    out << "usage: kflavour " << path << (c.usage.empty() ? "" : " " + c.usage) << "\n\n" << c.summary << "\n";
    if (!c.subcommands.empty()) {
        out << "\nSubcommands:\n";
        for (const auto& s : c.subcommands) {
            std::string name = s.name;
            name.resize(std::max<size_t>(name.size() + 2, 10), ' ');
            out << "  " << name << s.summary << "\n";
        }
    }
    if (opts) out << "\n" << *opts;
    GlobalOptions scratch;
    po::options_description global("Global options");
    add_global_options(global, scratch);
    out << "\n" << global;
}

// Options several commands share, checked once for all: a suite goes into
// chroot paths, a host arch into package names and argv.
Status check_common_options(const po::variables_map& vm) {
    if (vm.count("suite") && !vm["suite"].empty()) KF_TRY_STATUS(check_suite_name(vm["suite"].as<std::string>()));
    if (vm.count("host") && !vm["host"].empty()) {
        if (const auto* one = boost::any_cast<std::string>(&vm["host"].value()))
            KF_TRY_STATUS(check_debian_arch(*one, "--host"));
        else if (const auto* many = boost::any_cast<std::vector<std::string>>(&vm["host"].value()))
            for (const auto& h : *many) KF_TRY_STATUS(check_debian_arch(h, "--host"));
    }
    return ok_status();
}

bool takes_value(const std::string& arg) { return arg == "-C" || arg == "--directory"; }

// Runs `cmd` with the arguments after its name. `path` is "config export" etc.
Status dispatch(Context& ctx, const Command& cmd, const std::string& path, std::vector<std::string> args) {
    if (!cmd.subcommands.empty() && !cmd.run) {
        // Skip global options to find the subcommand name.
        size_t i = 0;
        while (i < args.size() && args[i].size() > 1 && args[i][0] == '-') {
            if (args[i] == "--help" || args[i] == "-h") {
                print_command_help(ctx.out, path, cmd, nullptr);
                return ok_status();
            }
            i += takes_value(args[i]) ? 2 : 1;
        }
        if (i >= args.size()) {
            print_command_help(ctx.err, path, cmd, nullptr);
            return bad_input(quote_input(path) + " needs a subcommand");
        }
        for (const auto& sub : cmd.subcommands) {
            if (sub.name == args[i]) {
                std::vector<std::string> rest(args.begin(), args.begin() + long(i));
                rest.insert(rest.end(), args.begin() + long(i) + 1, args.end());
                return dispatch(ctx, sub, path + " " + sub.name, rest);
            }
        }
        return bad_input("unknown subcommand " + quote_input(args[i]) + " of " + quote_input(path) + " (see kflavour " +
                         path + " --help)");
    }

    po::options_description own("Options");
    po::positional_options_description positional;
    if (cmd.options) cmd.options(own, positional);
    own.add_options()("help,h", "show this help");
    po::options_description global("Global options");
    add_global_options(global, ctx.global);
    po::options_description all;
    all.add(own).add(global);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        if (vm.count("help")) {
            print_command_help(ctx.out, path, cmd, &own);
            return ok_status();
        }
        po::notify(vm);
    } catch (const po::error& e) {
        return bad_input(path + ": " + e.what() + " (see kflavour " + path + " --help)");
    }
    KF_TRY_STATUS(check_common_options(vm));
    return cmd.run(ctx, vm);
}

}  // namespace

void Context::info(std::string_view line) const {
    // Status lines of long work show as they happen; with --json, stdout is
    // the one JSON document, so they go to stderr.
    if (global.verbosity >= 0) (global.json ? err : out) << line << "\n" << std::flush;
}
void Context::verbose(std::string_view line) const {
    if (global.verbosity > 0) err << line << "\n";
}
void Context::verbose_output(std::string_view chunk) const {
    if (global.verbosity > 0) err << chunk << std::flush;
}
void Context::warn(std::string_view line) const { err << "kflavour: warning: " << line << "\n"; }
Reporter Context::reporter() const {
    return {[this](std::string_view line) { info(line); }, [this](std::string_view line) { warn(line); },
            [this](std::string_view line) { verbose(line); }};
}

std::string string_option(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

std::vector<std::string> strings_option(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? vm[name].as<std::vector<std::string>>() : std::vector<std::string>();
}

sys::SettingSources setting_sources(const po::variables_map& vm) {
    sys::SettingSources sources;
    if (vm.count("def")) sources.def = vm["def"].as<std::string>();
    for (const auto& file : strings_option(vm, "fragment")) sources.fragments.emplace_back(file);
    sources.sets = strings_option(vm, "set");
    return sources;
}

const std::vector<Command>& command_table() {
    static const std::vector<Command> table = {
        new_command(),
        list_command(),
        config_command(),
        fork_command(),
        graft_command(),
        deps_command(),
        chroot_command(),
        build_command(),
        verify_command(),
        boot_command(),
        publish_command(),
        distcc_command(),
    };
    return table;
}

int run(int argc, char** argv, std::ostream& out, std::ostream& err, const sys::Os& os) {
    sys::close_inherited_fds_on_exec();
    Context ctx{GlobalOptions{}, out, err, os};
    if (os.env("NO_COLOR") || !::isatty(STDOUT_FILENO)) ctx.global.color = false;
    try {
        std::vector<std::string> args(argv + 1, argv + argc);
        // Global options before the command name.
        size_t i = 0;
        while (i < args.size() && args[i].size() > 1 && args[i][0] == '-') {
            if (args[i] == "--help" || args[i] == "-h") {
                print_usage(out);
                return 0;
            }
            if (args[i] == "--version") {
                out << "kflavour " << KFLAVOUR_VERSION << "\n";
                return 0;
            }
            i += takes_value(args[i]) ? 2 : 1;
        }
        if (i > args.size()) i = args.size();
        std::vector<std::string> before(args.begin(), args.begin() + long(i));
        if (i == args.size()) {
            print_usage(err);
            err << "kflavour: error: no command given\n";
            return int(Exit::bad_input);
        }
        const std::string name = args[i];
        const Command* cmd = nullptr;
        for (const auto& c : command_table())
            if (c.name == name) cmd = &c;
        if (!cmd) {
            err << "kflavour: error: unknown command '" << name << "' (see kflavour --help)\n";
            return int(Exit::bad_input);
        }
        // Global options given before the name are parsed with the command's.
        std::vector<std::string> rest = before;
        rest.insert(rest.end(), args.begin() + long(i) + 1, args.end());
        Status st = dispatch(ctx, *cmd, name, rest);
        if (!st.ok()) {
            const Error& e = st.error();
            err << "kflavour: error: " << e.describe() << "\n";
            if (!e.hint.empty()) err << "kflavour: hint: " << e.hint << "\n";
            return int(e.code);
        }
        return 0;
    } catch (const std::filesystem::filesystem_error& e) {
        // A filesystem call without an error_code: still PATH: reason.
        err << "kflavour: error: " << (e.path1().empty() ? "" : e.path1().string() + ": ") << e.code().message()
            << "\n";
        return int(Exit::failure);
    } catch (const std::bad_alloc&) {
        err << "kflavour: error: out of memory\n";
        return int(Exit::failure);
    } catch (const std::exception& e) {
        err << "kflavour: error: " << quote_input(e.what(), 200) << "\n";
        return int(Exit::failure);
    }
}

}  // namespace kf::cli
