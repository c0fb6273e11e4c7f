// The python dict literals of annotations: parse, then the repr of what was
// parsed parses back to the same items.
#include "tree/pyliteral.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto items = kf::parse_py_str_dict(fuzz_text(data, size));
    if (!items.ok()) return 0;
    std::string repr = "{";
    for (size_t i = 0; i < items->size(); ++i) {
        if (i) repr += ", ";
        repr += kf::py_repr((*items)[i].first) + ": " + kf::py_repr((*items)[i].second);
    }
    repr += "}";
    auto back = kf::parse_py_str_dict(repr);
    FUZZ_REQUIRE(back.ok());
    FUZZ_REQUIRE(*back == *items);
    return 0;
}
