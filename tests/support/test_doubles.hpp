// The doubles of base's seams the unit tests use: a ProcessRunner that
// records every command and answers with a canned result, and an Os whose
// environment, uid, clock, native arch and executable a test sets.
#pragma once

#include "base/os.hpp"
#include "base/process.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace kf::test {

class RecordingRunner : public sys::ProcessRunner {
public:
    std::vector<sys::Command> commands;
    std::function<sys::ProcessOutput(const sys::Command&)> respond = [](const sys::Command&) {
        return sys::ProcessOutput{};
    };
    Result<sys::ProcessOutput> run(const sys::Command& cmd) override {
        commands.push_back(cmd);
        return respond(cmd);
    }
};

class FakeOs : public sys::Os {
public:
    std::map<std::string, std::string, std::less<>> environment;
    bool root = true;
    std::time_t clock = 1700000000;  // 2023-11-14 22:13:20 UTC
    int utc_offset = 0;
    std::string arch = "amd64";
    std::filesystem::path self = "/usr/bin/kflavour";
    unsigned cpus = 2;

    std::optional<std::string> env(std::string_view name) const override {
        auto it = environment.find(name);
        return it == environment.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    bool is_root() const override { return root; }
    std::time_t now() const override { return clock; }
    int utc_offset_minutes(std::time_t) const override { return utc_offset; }
    std::string native_arch() const override { return arch; }
    std::filesystem::path executable() const override { return self; }
    unsigned cpu_count() const override { return cpus; }
};

}  // namespace kf::test
