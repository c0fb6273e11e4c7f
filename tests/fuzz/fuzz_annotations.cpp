// Annotations FORMAT 4: parse, and for what parses, write() reads back to
// the same model (write(parse(write(x))) == write(x)).
#include "core/annotations.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz_text(data, size);
    auto no_includes = [](const std::filesystem::path&) -> kf::Result<std::string> {
        return kf::bad_input("no includes while fuzzing");
    };
    auto a = kf::Annotations::parse(text, "/fuzz/debian.master/config/annotations", no_includes);
    if (!a.ok()) return 0;
    const std::string once = a->write();
    auto again = kf::Annotations::parse(once, "/fuzz/debian.master/config/annotations", no_includes);
    FUZZ_REQUIRE(again.ok());
    FUZZ_REQUIRE(again->write() == once);
    for (const auto& arch : a->arches()) {
        for (const auto& flavour : a->flavours_of(arch)) FUZZ_REQUIRE(again->export_config(arch, flavour) == a->export_config(arch, flavour));
    }
    return 0;
}
