// tree/annotations_store: the annotations file of `config` on the real focal
// fixture (tests/data/PROVENANCE): loading, the flavour check, import, diff.
#include "tree/annotations_store.hpp"

#include "base/fs.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace kf {
namespace {
namespace fs = std::filesystem;

const fs::path kFocal = fs::path(KF_TEST_DATA) / "ubuntu-focal-5.4.0-200";

// The tree at `dir` opened as `config` opens it, and its annotations.
Result<LoadedAnnotations> load(const fs::path& dir, bool dry_run) {
    KF_TRY(Tree tree, open_tree(dir, dry_run));
    return load_annotations(std::move(tree));
}

// A writable copy of the focal fixture and a .config beside it to import.
struct ImportCase {
    test::TempDir dir;
    fs::path tree = dir.path / "tree";
    fs::path config = dir.path / "import.config";
    explicit ImportCase(const std::string& config_text) {
        fs::copy(kFocal, tree, fs::copy_options::recursive);
        EXPECT_TRUE(write_file_atomically(config, config_text).ok());
    }
};

TEST(AnnotationsStore, LoadsAnUbuntuTreeAndRefusesADebianOne) {
    auto l = load(kFocal, true);
    ASSERT_TRUE(l.ok()) << l.error().message;
    EXPECT_EQ(l->tree.kind, TreeKind::ubuntu);
    EXPECT_EQ(l->text.substr(0, 14), "# Menu: HEADER");
    auto deb = load(fs::path(KF_TEST_DATA) / "debian-bookworm-6.1.187-1", true);
    ASSERT_FALSE(deb.ok());
    EXPECT_EQ(deb.error().code, Exit::bad_input);
    EXPECT_NE(deb.error().message.find("works on Ubuntu trees"), std::string::npos) << deb.error().message;
}

TEST(AnnotationsStore, AFlavourMustBeInTheHeader) {
    auto l = load(kFocal, true);
    ASSERT_TRUE(l.ok());
    EXPECT_TRUE(require_annotations_flavour(*l, "amd64", "lowlatency").ok());
    auto unknown = require_annotations_flavour(*l, "amd64", "tickless");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().hint, "flavours of amd64: generic lowlatency");
    auto arch = require_annotations_flavour(*l, "riscv64", "generic");
    ASSERT_FALSE(arch.ok());
    EXPECT_NE(arch.error().message.find("amd64 arm64 armhf i386 ppc64el s390x"), std::string::npos)
        << arch.error().message;
}

TEST(AnnotationsStore, DiffListsOnlyTheSymbolsThatDiffer) {
    auto l = load(kFocal, true);
    ASSERT_TRUE(l.ok());
    EXPECT_TRUE(diff_flavours(l->annotations, "amd64", "generic", "generic").empty());
    const auto rows = diff_flavours(l->annotations, "amd64", "generic", "lowlatency");
    ASSERT_FALSE(rows.empty());
    bool preempt = false;
    for (const auto& r : rows) {
        EXPECT_NE(r.left, r.right) << r.symbol;
        EXPECT_EQ(r.left, l->annotations.lookup(r.symbol, "amd64", "generic").value_or("-")) << r.symbol;
        if (r.symbol == "CONFIG_PREEMPT") preempt = (r.left == "n" && r.right == "y");
    }
    EXPECT_TRUE(preempt) << "lowlatency is the preemptible flavour";
}

TEST(AnnotationsStore, ImportWritesOnlyWhenNotADryRun) {
    const ImportCase c("# CONFIG_PREEMPT is not set\nCONFIG_PREEMPT_VOLUNTARY=y\n");
    const fs::path& tree = c.tree;
    const fs::path& config = c.config;
    auto l = load(tree, true);
    ASSERT_TRUE(l.ok());
    const std::string before = l->text;
    auto dry = import_config_file(*l, "amd64", "lowlatency", config, true);
    ASSERT_TRUE(dry.ok()) << dry.error().message;
    EXPECT_FALSE(dry->empty());
    EXPECT_EQ(*read_text_file(l->tree.annotations_file()), before);

    auto fresh = load(tree, false);
    ASSERT_TRUE(fresh.ok());
    auto done = import_config_file(*fresh, "amd64", "lowlatency", config, false);
    ASSERT_TRUE(done.ok()) << done.error().message;
    auto after = load(tree, true);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->annotations.lookup("CONFIG_PREEMPT", "amd64", "lowlatency").value_or("?"), "n");
    EXPECT_EQ(after->annotations.lookup("CONFIG_PREEMPT_VOLUNTARY", "amd64", "lowlatency").value_or("?"), "y");
    EXPECT_EQ(after->annotations.lookup("CONFIG_PREEMPT", "i386", "lowlatency").value_or("?"), "y");
}

TEST(AnnotationsStore, AnImportThatCannotBeWrittenLeavesTheFile) {
    const ImportCase c("CONFIG_CMDLINE=\"a  b\"\n");
    const fs::path& tree = c.tree;
    const fs::path& config = c.config;
    auto l = load(tree, false);
    ASSERT_TRUE(l.ok());
    const std::string before = l->text;
    auto bad = import_config_file(*l, "amd64", "generic", config, false);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, Exit::bad_input);
    EXPECT_NE(bad.error().message.find("collapses runs of blanks"), std::string::npos) << bad.error().message;
    EXPECT_EQ(*read_text_file(l->tree.annotations_file()), before);
    auto unknown = import_config_file(*l, "amd64", "tickless", config, false);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(*read_text_file(l->tree.annotations_file()), before);
}

}  // namespace
}  // namespace kf
