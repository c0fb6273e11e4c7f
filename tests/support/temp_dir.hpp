// A fresh directory under $TMPDIR for one test, removed with everything in it.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace kf::test {

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& prefix = "kf-test") {
        std::string t = (std::filesystem::temp_directory_path() / (prefix + ".XXXXXX")).string();
        path = ::mkdtemp(t.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

}  // namespace kf::test
