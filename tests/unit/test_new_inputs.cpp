// new/new_inputs' requested settings, as `new` and `config resolve` gather
// them: the definition, --fragment files and --set lines, later winning.
#include "new/new_inputs.hpp"

#include "base/fs.hpp"
#include "temp_dir.hpp"
#include "test_doubles.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kf::sys {
namespace {
namespace fs = std::filesystem;

struct Inputs {
    test::TempDir dir{"kf-new-inputs"};
    test::FakeOs os;
    Inputs() { os.environment = {{"KFLAVOUR_FLAVOURS_DIR", std::string(KF_SOURCE_DIR) + "/flavours"}}; }
};

std::string value_of(const std::vector<ConfigSetting>& settings, const std::string& name) {
    std::string last = "(absent)";
    for (const auto& s : settings)
        if (s.name == name) last = s.value;
    return last;
}

TEST(RequestedSettings, DefinitionThenFragmentsThenSetLaterWins) {
    Inputs in;
    const fs::path fragment = in.dir.path / "extra.config";
    ASSERT_TRUE(write_file_atomically(fragment, "CONFIG_HZ=250\nCONFIG_KF_FRAGMENT=y\n").ok());
    SettingSources sources;
    sources.def = "tickless";
    sources.fragments = {fragment};
    sources.sets = {"CONFIG_KF_FRAGMENT=m"};
    auto r = load_requested_settings(in.os, sources);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(r->def);
    EXPECT_EQ(r->def->flavour, "tickless");
    EXPECT_EQ(r->settings.size(), r->def->settings.size() + 3);
    EXPECT_EQ(value_of(r->def->settings, "CONFIG_HZ"), "100");
    EXPECT_EQ(value_of(r->settings, "CONFIG_HZ"), "250");           // the fragment over the definition
    EXPECT_EQ(value_of(r->settings, "CONFIG_KF_FRAGMENT"), "m");    // --set over the fragment
    EXPECT_EQ(r->settings.back().name, "CONFIG_KF_FRAGMENT");
}

TEST(RequestedSettings, TheDefaultDefinitionOnlyWithoutExplicitInput) {
    Inputs in;
    SettingSources by_name;
    by_name.default_def = "tickless";
    auto found = load_requested_settings(in.os, by_name);
    ASSERT_TRUE(found.ok()) << found.error().message;
    ASSERT_TRUE(found->def);
    EXPECT_EQ(value_of(found->settings, "CONFIG_NO_HZ_FULL"), "y");

    SettingSources none;
    none.default_def = "no-such-flavour";  // no definition of that name: nothing requested
    auto missing = load_requested_settings(in.os, none);
    ASSERT_TRUE(missing.ok()) << missing.error().message;
    EXPECT_FALSE(missing->def);
    EXPECT_TRUE(missing->settings.empty());

    SettingSources explicit_set = by_name;
    explicit_set.sets = {"CONFIG_HZ=300"};
    auto only_set = load_requested_settings(in.os, explicit_set);
    ASSERT_TRUE(only_set.ok());
    EXPECT_FALSE(only_set->def);
    ASSERT_EQ(only_set->settings.size(), 1u);

    SettingSources unknown;
    unknown.def = "no-such-flavour";  // asked for by --def: an error
    auto bad = load_requested_settings(in.os, unknown);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, Exit::bad_input);
}

}  // namespace
}  // namespace kf::sys
