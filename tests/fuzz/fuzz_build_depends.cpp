// debian/control's Build-Depends through libapt-pkg (and kflavour's own
// offsets into it): no crash, no exception, offsets inside the text.
#include "deps/deps_fix.hpp"
#include "deps/build_depends.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(fuzz_text(data, size));
    auto fields = kf::sys::parse_build_depends(text, "control", "arm64");
    if (!fields.ok()) return 0;
    for (const auto& f : *fields)
        for (const auto& r : f.relations) {
            FUZZ_REQUIRE(r.begin <= r.end && r.end <= text.size());
            for (const auto& a : r.atoms) FUZZ_REQUIRE(a.name_begin <= a.name_end && a.name_end <= text.size());
        }
    return 0;
}
