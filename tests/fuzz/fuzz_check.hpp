// Shared by the libFuzzer targets: a failed property is a crash libFuzzer
// reports (with the input saved), like a sanitizer finding.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_REQUIRE(cond)                                                               \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            std::fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                                \
        }                                                                                \
    } while (0)

inline std::string_view fuzz_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}
