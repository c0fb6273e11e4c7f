#include "cli/app.hpp"

namespace kf::cli {

Command list_command() {
    return Command{"list", "(not yet implemented)", "", nullptr,
                   [](Context&, const po::variables_map&) -> Status { return failure("not implemented"); }, {}};
}

}  // namespace kf::cli
