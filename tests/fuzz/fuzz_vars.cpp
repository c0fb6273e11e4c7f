// vars.F / debian.env: parse keeps every byte (text() == input), and a
// value set() on a key reads back with get().
#include "tree/vars.hpp"
#include "base/fs.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // As every real read: read_text_file refuses NUL and CR before parsing.
    if (!kf::check_text(fuzz_text(data, size), "input").ok()) return 0;
    const std::string_view text = fuzz_text(data, size);
    auto vars = kf::VarsFile::parse(text, "vars");
    if (!vars.ok()) return 0;
    FUZZ_REQUIRE(vars->text() == text);
    // A value like the ones kflavour writes: printable, one line.
    std::string value;
    for (char c : text.substr(0, 64))
        if (c >= 0x20 && c < 0x7f) value += c;
    vars->set("supported", value);
    auto back = kf::VarsFile::parse(vars->text(), "vars");
    FUZZ_REQUIRE(back.ok());
    FUZZ_REQUIRE(back->get("supported") == value);
    return 0;
}
