// How a use case speaks to the user without knowing the terminal: progress
// lines and warnings. cli makes one from its Context (-q, --json, colour);
// tests collect the lines.
#pragma once

#include <functional>
#include <string_view>

namespace kf {

struct Reporter {
    std::function<void(std::string_view line)> info;  // progress (silenced by -q)
    std::function<void(std::string_view line)> warn;  // "kflavour: warning: …"
    std::function<void(std::string_view line)> detail;  // only with -v


    void progress(std::string_view line) const {
        if (info) info(line);
    }
    void warning(std::string_view line) const {
        if (warn) warn(line);
    }
    void verbose(std::string_view line) const {
        if (detail) detail(line);
    }
};

}  // namespace kf
