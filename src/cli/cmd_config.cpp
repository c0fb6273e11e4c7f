#include "cli/app.hpp"

namespace kf::cli {

Command config_command() {
    return Command{"config", "export, import, check and compare flavour configs", "<subcommand> [options]",
                   nullptr, nullptr, {}};
}

}  // namespace kf::cli
