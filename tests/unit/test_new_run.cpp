// The new stage's use cases through the seams: gencontrol runs through the
// runner it is given, in a scratch copy, and only its result reaches the
// tree; EditSet::apply_creating_dirs takes back the directories it made.
#include "base/edit_set.hpp"
#include "base/fs.hpp"
#include "new/debian_new.hpp"
#include "tree/tree.hpp"

#include "temp_dir.hpp"
#include "test_doubles.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace kf {
namespace {
namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path bookworm = fs::path(KF_TEST_DATA) / "debian-bookworm-6.1.187-1";

// Every regular file under `root`, relative path -> bytes.
std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = read_file(e.path()).value();
    return files;
}

struct DebianNew : ::testing::Test {
    test::TempDir dir{"kf-new-run"};
    fs::path root = dir.path / "linux";
    test::FakeOs os;
    test::RecordingRunner runner;
    DebianNewRequest request;

    void SetUp() override {
        fs::copy(bookworm, root, fs::copy_options::recursive);
        os.environment = {{"DEBFULLNAME", "Test Packager"}, {"DEBEMAIL", "test@example.org"}};
        request.flavour.name = "tickless";
        request.flavour.base.clear();
        request.flavour.arches = {"arm64"};
    }
    // gencontrol as the tree's debian/rules would run it: its three files in the scratch copy.
    void gencontrol_writes(const std::string& control) {
        runner.respond = [control](const sys::Command& cmd) {
            for (const char* f : {"control", "rules.gen", "control.md5sum"})
                std::ofstream(cmd.cwd / "debian" / f) << (std::string(f) == "control" ? control : f);
            return sys::ProcessOutput{};
        };
    }
};

TEST_F(DebianNew, GencontrolRunsThroughTheGivenRunnerInAScratchCopy) {
    gencontrol_writes("Source: linux\n\nPackage: linux-image-6.1.0-53-tickless\n");
    auto tree = detect_tree(root);
    ASSERT_TRUE(tree.ok()) << tree.error().message;
    auto plan = sys::new_debian_flavour(runner, os, *tree, request, false);
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    ASSERT_EQ(runner.commands.size(), 1u);
    EXPECT_EQ(runner.commands[0].argv, (std::vector<std::string>{"debian/rules", "debian/control-real"}));
    EXPECT_NE(runner.commands[0].cwd, root);  // the scratch copy, never the tree
    EXPECT_FALSE(fs::exists(runner.commands[0].cwd));  // removed afterwards
    EXPECT_EQ(read_file(root / "debian" / "control").value(),
              "Source: linux\n\nPackage: linux-image-6.1.0-53-tickless\n");
    EXPECT_TRUE(fs::exists(root / "debian" / "config" / "arm64" / "config.tickless"));
}

TEST_F(DebianNew, DryRunAndAFailingGencontrolLeaveTheTreeByteIdentical) {
    const auto before = snapshot(root);
    auto tree = detect_tree(root).value();
    gencontrol_writes("Source: linux\n");
    auto dry = sys::new_debian_flavour(runner, os, tree, request, true);
    ASSERT_TRUE(dry.ok()) << dry.error().message;
    EXPECT_NE(dry->edits.after(root / "debian" / "control"), nullptr);
    EXPECT_EQ(snapshot(root), before);

    runner.respond = [](const sys::Command&) { return sys::ProcessOutput{2, "make: *** [debian/rules] Error 2\n"}; };
    auto failed = sys::new_debian_flavour(runner, os, tree, request, false);
    ASSERT_FALSE(failed.ok());
    EXPECT_THAT(failed.error().message, HasSubstr("wrote no debian/control"));
    EXPECT_EQ(snapshot(root), before);
}

// A rename that fails after the directories were made.
struct FailingRename : FsCalls {
    int rename(const fs::path&, const fs::path&) override { return EACCES; }
};

TEST(EditSetCreatingDirs, MakesMissingDirsAndTakesThemBackWhenTheApplyFails) {
    test::TempDir dir{"kf-edit-dirs"};
    EditSet edits;
    edits.put(dir.path / "kflavour" / "tickless" / "arm64.config", std::nullopt, "CONFIG_NO_HZ_FULL=y\n");
    edits.put(dir.path / "kflavour" / "tickless.flavour", std::nullopt, "Flavour: tickless\n");
    FailingRename failing;
    EXPECT_FALSE(edits.apply_creating_dirs(failing).ok());
    EXPECT_FALSE(fs::exists(dir.path / "kflavour"));

    ASSERT_TRUE(edits.apply_creating_dirs().ok());
    EXPECT_EQ(read_file(dir.path / "kflavour" / "tickless" / "arm64.config").value(), "CONFIG_NO_HZ_FULL=y\n");
}

}  // namespace
}  // namespace kf
