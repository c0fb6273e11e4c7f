// The command table and what every command gets from the dispatcher.
#pragma once

#include "base/error.hpp"
#include "base/os.hpp"
#include "base/report.hpp"

#include <boost/program_options.hpp>

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf::sys {
struct SettingSources;
}

namespace kf::cli {

namespace po = boost::program_options;

// The global options (kflavour --help); accepted before and after the command name.
struct GlobalOptions {
    std::filesystem::path tree = ".";  // -C
    int verbosity = 0;                 // -v: +1, -q: -1
    bool dry_run = false;
    bool json = false;
    bool color = true;
};

struct Context {
    GlobalOptions global;
    std::ostream& out;
    std::ostream& err;
    const sys::Os& os;  // environment, uid, clock, native arch: steered by tests

    void info(std::string_view line) const;     // unless -q
    void verbose(std::string_view line) const;  // only with -v
    void warn(std::string_view line) const;     // "kflavour: warning: …"
    // info, warn and verbose, for the use cases of the stages.
    Reporter reporter() const;
    // A tool's raw output as it comes (apt, mmdebstrap, qemu): only with -v.
    void verbose_output(std::string_view chunk) const;
};

using OptionsFn = std::function<void(po::options_description&, po::positional_options_description&)>;
using RunFn = std::function<Status(Context&, const po::variables_map&)>;

// One row of the command table: dispatch and help come from the same row,
// so they cannot drift apart.
struct Command {
    std::string name;
    std::string summary;  // one line for `kflavour --help`
    std::string usage;    // arguments after the command name
    OptionsFn options;    // null for a command that only has subcommands
    RunFn run;
    std::vector<Command> subcommands;
};

const std::vector<Command>& command_table();

// The value of a string option, or "" when it was not given.
std::string string_option(const po::variables_map& vm, const char* name);
// The values of a repeatable string option, none when it was not given.
std::vector<std::string> strings_option(const po::variables_map& vm, const char* name);
// --def, --fragment and --set, as `new` and `config resolve` take them.
sys::SettingSources setting_sources(const po::variables_map& vm);

// The whole program: parse, dispatch, and the one catch that prints
// "kflavour: error: …". Returns the exit code.
int run(int argc, char** argv, std::ostream& out, std::ostream& err, const sys::Os& os = sys::system_os());

// Commands (one file each).
Command new_command();
Command list_command();
Command config_command();
Command fork_command();
Command graft_command();
Command chroot_command();
Command deps_command();
Command build_command();
Command verify_command();
Command boot_command();
Command publish_command();
Command distcc_command();

}  // namespace kf::cli
