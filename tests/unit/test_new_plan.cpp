#include "tree/annotations.hpp"
#include "tree/new_plan.hpp"
#include "archive/dpkg.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace kf;
namespace fs = std::filesystem;

namespace {

const fs::path fixture = fs::path(KF_TEST_DATA) / "ubuntu-focal-5.4.0-200";

PlanServices services() {
    return PlanServices{sys::check_version, sys::compare_versions,
                        [] { return Result<Maintainer>(Maintainer{"Jane Doe", "jane@example.com"}); },
                        "Tue, 14 Nov 2023 22:13:20 +0000"};
}

Tree fixture_tree(const fs::path& root = fixture) {
    auto tree = detect_tree(root);
    EXPECT_TRUE(tree.ok());
    return *tree;
}

NewRequest tickless(std::vector<std::string> arches = {"arm64"}) {
    NewRequest r;
    r.name = "tickless";
    r.arches = std::move(arches);
    r.supported = "Tickless";
    r.settings = {{"CONFIG_NO_HZ_FULL", "y"}, {"CONFIG_HZ", "100"}, {"CONFIG_NO_HZ_IDLE", "n"}};
    r.notes = {{"CONFIG_NO_HZ_FULL", "full dynticks"}};
    return r;
}

const std::string& after(const NewPlan& plan, const fs::path& path) {
    const std::string* text = plan.edits.after(path);
    static const std::string none = "<not edited>";
    return text ? *text : none;
}

Annotations annotations_after(const NewPlan& plan, const Tree& tree) {
    auto a = Annotations::parse(after(plan, tree.annotations_file()), tree.annotations_file(),
                                [](const fs::path& p) { return read_file(p); });
    EXPECT_TRUE(a.ok()) << a.error().describe();
    return std::move(a.value());
}

// A writable copy of the fixture, removed at the end of the test.
struct TreeCopy {
    fs::path root = fs::temp_directory_path() / ("kf-plan-" + std::to_string(::getpid()));
    TreeCopy() {
        fs::remove_all(root);
        fs::copy(fixture, root, fs::copy_options::recursive);
        for (auto& e : fs::recursive_directory_iterator(root))
            fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
        fs::permissions(root, fs::perms::owner_write, fs::perm_options::add);
    }
    ~TreeCopy() { fs::remove_all(root); }
};

}  // namespace

TEST(NewPlan, TicklessOnArm64TouchesTheFourFiles) {
    Tree tree = fixture_tree();
    auto plan = plan_new_flavour(tree, tickless(), services());
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    EXPECT_FALSE(plan->nothing_to_do);
    EXPECT_EQ(plan->arches, std::vector<std::string>{"arm64"});
    EXPECT_EQ(plan->edits.edits().size(), 4u);
    EXPECT_EQ(plan->version, "5.4.0-200.220+tickless1");

    const std::string& vars = after(*plan, tree.vars_file("tickless"));
    EXPECT_EQ(vars.substr(0, vars.find('\n')), "arch=\"arm64\"");
    EXPECT_NE(vars.find("\nsupported=\"Tickless\"\n"), std::string::npos);
    EXPECT_NE(vars.find("\ntarget=\"Geared toward desktop and server systems.\"\n"), std::string::npos);

    const std::string& mk = after(*plan, tree.rules_file("arm64"));
    EXPECT_NE(mk.find("flavours\t= generic tickless\n"), std::string::npos);
    EXPECT_NE(mk.find("build_image_generic\t= Image.gz\nbuild_image_tickless\t= Image.gz\n"), std::string::npos);
    EXPECT_NE(mk.find("kernel_file_tickless\t= arch/$(build_arch)/boot/Image.gz\n"), std::string::npos);

    Annotations a = annotations_after(*plan, tree);
    EXPECT_TRUE(a.has_flavour("arm64", "tickless"));
    EXPECT_EQ(a.lookup("CONFIG_NO_HZ_FULL", "arm64", "tickless"), "y");
    EXPECT_EQ(a.lookup("CONFIG_HZ", "arm64", "tickless"), "100");
    EXPECT_EQ(a.lookup("CONFIG_HZ", "arm64", "generic"), "250");
    EXPECT_EQ(a.lookup("CONFIG_HZ", "amd64", "generic"), "250");

    const std::string& log = after(*plan, tree.changelog_file());
    EXPECT_EQ(log.substr(0, log.find('\n')), "linux (5.4.0-200.220+tickless1) focal; urgency=medium");
    EXPECT_NE(log.find("  * Add the tickless flavour for arm64, based on generic: CONFIG_NO_HZ_FULL=y,"),
              std::string::npos);
    EXPECT_NE(log.find("\n -- Jane Doe <jane@example.com>  Tue, 14 Nov 2023 22:13:20 +0000\n\nlinux (5.4.0-200.220) focal;"),
              std::string::npos);
}

TEST(NewPlan, NotesFromTheDefinitionElseTodoWhereThereWasOne) {
    Tree tree = fixture_tree();
    auto plan = plan_new_flavour(tree, tickless(), services());
    ASSERT_TRUE(plan.ok());
    Annotations a = annotations_after(*plan, tree);
    ASSERT_TRUE(a.find("CONFIG_NO_HZ_FULL")->note.has_value());
    EXPECT_EQ(*a.find("CONFIG_NO_HZ_FULL")->note, "'full dynticks'");
    // NO_HZ_IDLE had 'LP:1413968' and no note in the definition: Ubuntu's bare TODO marker.
    const std::string& text = after(*plan, tree.annotations_file());
    EXPECT_NE(text.find("CONFIG_NO_HZ_IDLE                               note<TODO: update note>\n"), std::string::npos);
    // HZ had no note and gets none.
    EXPECT_FALSE(a.find("CONFIG_HZ")->note.has_value());
}

TEST(NewPlan, UnchangedValueKeepsItsNote) {
    Tree tree = fixture_tree();
    NewRequest r = tickless();
    r.settings = {{"CONFIG_NO_HZ_IDLE", "y"}};  // as generic already has it
    auto plan = plan_new_flavour(tree, r, services());
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(*annotations_after(*plan, tree).find("CONFIG_NO_HZ_IDLE")->note, "'LP:1413968'");
    EXPECT_TRUE(plan->changes.empty());
    EXPECT_NE(after(*plan, tree.changelog_file()).find("with the same config"), std::string::npos);
}

TEST(NewPlan, DefaultArchesAreTheBases) {
    Tree tree = fixture_tree();
    auto plan = plan_new_flavour(tree, tickless({}), services());
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    EXPECT_EQ(plan->arches, (std::vector<std::string>{"amd64", "armhf", "arm64", "ppc64el", "s390x"}));
    EXPECT_EQ(plan->edits.edits().size(), 1u + 5u + 2u);
    const std::string& vars = after(*plan, tree.vars_file("tickless"));
    EXPECT_EQ(vars.substr(0, vars.find('\n')), "arch=\"amd64 armhf arm64 ppc64el s390x\"");
    EXPECT_NE(after(*plan, tree.rules_file("amd64")).find("flavours\t= generic lowlatency tickless\n"),
              std::string::npos);
}

TEST(NewPlan, RejectsBadNames) {
    for (const char* name : {"Tick", "a_b", "-x", "../x", "", ".x", "a b", "a/b"}) {
        EXPECT_FALSE(check_flavour_name(name).ok()) << name;
        NewRequest r = tickless();
        r.name = name;
        auto plan = plan_new_flavour(fixture_tree(), r, services());
        ASSERT_FALSE(plan.ok()) << name;
        EXPECT_EQ(plan.error().code, Exit::bad_input);
    }
    for (const char* name : {"tickless", "rt", "x86-64", "a.b+c", "0day"}) EXPECT_TRUE(check_flavour_name(name).ok()) << name;
}

TEST(NewPlan, UnknownArchNamesTheBaseVarsFile) {
    Tree tree = fixture_tree();
    auto plan = plan_new_flavour(tree, tickless({"arm64", "mips"}), services());
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().code, Exit::bad_input);
    EXPECT_EQ(plan.error().file, tree.vars_file("generic").string());
    EXPECT_NE(plan.error().message.find("'mips'"), std::string::npos);
}

TEST(NewPlan, UnknownBase) {
    Tree tree = fixture_tree();
    NewRequest r = tickless();
    r.base = "server";
    auto plan = plan_new_flavour(tree, r, services());
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().file, tree.vars_file("server").string());
    // lowlatency has a vars file but no arm64 in it.
    r.base = "lowlatency";
    auto other = plan_new_flavour(tree, r, services());
    ASSERT_FALSE(other.ok());
    EXPECT_NE(other.error().message.find("unknown arch 'arm64'"), std::string::npos);
}

TEST(NewPlan, VersionMustCompareGreater) {
    PlanServices s = services();
    s.compare_versions = [](std::string_view, std::string_view) { return -1; };
    auto plan = plan_new_flavour(fixture_tree(), tickless(), s);
    ASSERT_FALSE(plan.ok());
    EXPECT_NE(plan.error().message.find("not greater"), std::string::npos);
    EXPECT_EQ(plan.error().line, 1);
}

TEST(NewPlan, InvalidSuffixIsRejectedByDpkg) {
    NewRequest r = tickless();
    r.version_suffix = "tick less";
    auto plan = plan_new_flavour(fixture_tree(), r, services());
    ASSERT_FALSE(plan.ok());
    EXPECT_NE(plan.error().message.find("invalid Debian version"), std::string::npos);
}

TEST(NewPlan, VersionSuffix) {
    NewRequest r = tickless();
    r.version_suffix = "nohz2";
    auto plan = plan_new_flavour(fixture_tree(), r, services());
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->version, "5.4.0-200.220+nohz2");
}

TEST(NewPlan, NoMaintainerIsAnError) {
    PlanServices s = services();
    s.maintainer = [] { return Result<Maintainer>(bad_input("no maintainer name")); };
    EXPECT_FALSE(plan_new_flavour(fixture_tree(), tickless(), s).ok());
}

TEST(NewPlan, RerunIsANoOpDifferentIsAnErrorForceRegenerates) {
    TreeCopy copy;
    Tree tree = fixture_tree(copy.root);
    auto first = plan_new_flavour(tree, tickless(), services());
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(first->edits.apply().ok());

    auto again = plan_new_flavour(tree, tickless(), services());
    ASSERT_TRUE(again.ok()) << again.error().describe();
    EXPECT_TRUE(again->nothing_to_do);
    EXPECT_TRUE(again->edits.empty());

    NewRequest different = tickless();
    different.settings.push_back({"CONFIG_HZ_100", "y"});
    auto refused = plan_new_flavour(tree, different, services());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Exit::bad_input);
    EXPECT_EQ(refused.error().file, tree.vars_file("tickless").string());

    different.force = true;
    auto forced = plan_new_flavour(tree, different, services());
    ASSERT_TRUE(forced.ok()) << forced.error().describe();
    // Our own top entry is replaced, not stacked.
    EXPECT_EQ(forced->version, "5.4.0-200.220+tickless1");
    const std::string& log = after(*forced, tree.changelog_file());
    EXPECT_NE(log.find("CONFIG_HZ_100=y"), std::string::npos);
    EXPECT_EQ(log.find("+tickless1+"), std::string::npos);
    EXPECT_EQ(log.find("linux (5.4.0-200.220+tickless1)", 1), std::string::npos);
    EXPECT_EQ(after(*forced, tree.rules_file("arm64")), "<not edited>");
    ASSERT_TRUE(forced->edits.apply().ok());

    // A setting dropped by a forced regeneration goes back to the base's value.
    auto back = plan_new_flavour(tree, [] { auto r = tickless(); r.force = true; return r; }(), services());
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(annotations_after(*back, tree).lookup("CONFIG_HZ_100", "arm64", "tickless"), "n");
}

TEST(NewPlan, AnotherArchKeepsTheFlavoursArches) {
    TreeCopy copy;
    Tree tree = fixture_tree(copy.root);
    auto first = plan_new_flavour(tree, tickless(), services());
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(first->edits.apply().ok());
    NewRequest r = tickless({"amd64"});
    r.force = true;
    auto second = plan_new_flavour(tree, r, services());
    ASSERT_TRUE(second.ok()) << second.error().describe();
    const std::string& vars = after(*second, tree.vars_file("tickless"));
    EXPECT_EQ(vars.substr(0, vars.find('\n')), "arch=\"amd64 arm64\"");
}

TEST(NewPlan, NonUbuntuTreesAreNotSupportedYet) {
    Tree tree;
    tree.kind = TreeKind::upstream;
    tree.root = "/somewhere";
    auto plan = plan_new_flavour(tree, tickless(), services());
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().code, Exit::bad_input);
    EXPECT_NE(plan.error().message.find("upstream"), std::string::npos);
}
