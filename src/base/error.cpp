#include "base/error.hpp"

namespace kf {

std::string Error::describe() const {
    std::string out;
    if (!file.empty()) {
        out += file;
        if (line > 0) out += ":" + std::to_string(line);
        out += ": ";
    }
    out += message;
    return out;
}

Error bad_input(std::string message, std::string file, int line) {
    return Error{Exit::bad_input, std::move(message), std::move(file), line, {}};
}

Error failure(std::string message, std::string file, int line) {
    return Error{Exit::failure, std::move(message), std::move(file), line, {}};
}

}  // namespace kf
