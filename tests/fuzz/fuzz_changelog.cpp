// debian/changelog: parse the top entry; an entry rendered from what was
// parsed parses back to the same source, version and distribution.
#include "tree/changelog.hpp"
#include "base/fs.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // As every real read: read_text_file refuses NUL and CR before parsing.
    if (!kf::check_text(fuzz_text(data, size), "input").ok()) return 0;
    auto top = kf::parse_changelog_top(fuzz_text(data, size), "changelog");
    if (!top.ok()) return 0;
    kf::ChangelogEntry e{top->top.source, top->top.version, top->top.distribution, "medium",
                         {"fuzz"}, {"Fuzz", "fuzz@example.invalid"}, "Thu, 01 Jan 1970 00:00:00 +0000"};
    auto back = kf::parse_changelog_top(kf::render_entry(e), "rendered");
    FUZZ_REQUIRE(back.ok());
    FUZZ_REQUIRE(back->top.source == e.source);
    FUZZ_REQUIRE(back->top.version == e.version);
    FUZZ_REQUIRE(back->top.distribution == e.distribution);
    return 0;
}
