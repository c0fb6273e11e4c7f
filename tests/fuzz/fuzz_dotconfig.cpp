// .config files and fragments: what parses is written back (as kflavour
// writes .configs) and reads back to the same settings.
#include "config/kconfig.hpp"
#include "config/resolve_plan.hpp"
#include "base/fs.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // As every real read: read_text_file refuses NUL and CR before parsing.
    if (!kf::check_text(fuzz_text(data, size), "input").ok()) return 0;
    const std::string_view text = fuzz_text(data, size);
    (void)kf::parse_dot_config(text);
    if (auto fragment = kf::parse_fragment(text, "fragment"); fragment.ok()) {
        auto back = kf::parse_fragment(kf::write_dot_config(*fragment), "written");
        FUZZ_REQUIRE(back.ok());
        FUZZ_REQUIRE(back->size() == fragment->size());
        for (size_t i = 0; i < back->size(); ++i)
            FUZZ_REQUIRE((*back)[i].name == (*fragment)[i].name && (*back)[i].value == (*fragment)[i].value);
    }
    auto config = kf::parse_config_file(text, ".config");
    if (!config.ok()) return 0;
    auto back = kf::parse_config_file(kf::write_dot_config(config->settings), "written");
    FUZZ_REQUIRE(back.ok());
    FUZZ_REQUIRE(back->settings.size() == config->settings.size());
    for (size_t i = 0; i < back->settings.size(); ++i)
        FUZZ_REQUIRE(back->settings[i].name == config->settings[i].name &&
                     back->settings[i].value == config->settings[i].value);
    return 0;
}
