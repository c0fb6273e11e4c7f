// Annotations FORMAT 4: parse, and for what parses, write() reads back to
// the same model (write(parse(write(x))) == write(x)).
#include "base/text.hpp"
#include "tree/annotations.hpp"

#include <algorithm>
#include "base/fs.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // As every real read: read_text_file refuses NUL and CR before parsing.
    if (!kf::check_text(fuzz_text(data, size), "input").ok()) return 0;
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
    // The same settings for the first flavour of each arch (write() sorts
    // the symbols, so compare sorted lines; all flavours would cost more
    // than the parse).
    auto sorted_lines = [](std::string text) {
        std::vector<std::string_view> lines = kf::split_lines(text);
        std::sort(lines.begin(), lines.end());
        return std::vector<std::string>(lines.begin(), lines.end());
    };
    for (const auto& arch : a->arches()) {
        const auto flavours = a->flavours_of(arch);
        if (!flavours.empty())
            FUZZ_REQUIRE(sorted_lines(again->export_config(arch, flavours[0])) ==
                         sorted_lines(a->export_config(arch, flavours[0])));
    }
    return 0;
}
