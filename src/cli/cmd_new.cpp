#include "cli/app.hpp"

namespace kf::cli {

Command new_command() {
    return Command{"new", "(not yet implemented)", "", nullptr,
                   [](Context&, const po::variables_map&) -> Status { return failure("not implemented"); }, {}};
}

}  // namespace kf::cli
