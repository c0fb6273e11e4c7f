// rules.d/ARCH.mk: parse keeps every byte, and add_flavour() gives a file
// whose flavours are the old ones plus the new one.
#include "tree/rules_mk.hpp"
#include "base/fs.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // As every real read: read_text_file refuses NUL and CR before parsing.
    if (!kf::check_text(fuzz_text(data, size), "input").ok()) return 0;
    const std::string_view text = fuzz_text(data, size);
    auto mk = kf::RulesMk::parse(text, "arm64.mk");
    if (!mk.ok()) return 0;
    FUZZ_REQUIRE(mk->text() == text);
    std::vector<std::string> want = mk->flavours();
    if (!mk->has_flavour("fuzzflavour")) want.push_back("fuzzflavour");
    mk->add_flavour("fuzzflavour");
    auto back = kf::RulesMk::parse(mk->text(), "arm64.mk");
    FUZZ_REQUIRE(back.ok());
    FUZZ_REQUIRE(back->flavours() == want);
    return 0;
}
