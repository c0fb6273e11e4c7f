// Round-trip properties of every writer over generated inputs (issue 19):
// what kflavour writes, it reads back as written. Inputs come from a fixed
// seed, so a failure repeats; each test prints the seed of a failing case.
#include "base/fs.hpp"
#include "base/text.hpp"
#include "tree/annotations.hpp"
#include "tree/changelog.hpp"
#include "config/kconfig.hpp"
#include "tree/pyliteral.hpp"
#include "config/resolve_plan.hpp"
#include "tree/rules_mk.hpp"
#include "tree/vars.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace kf {
namespace {

constexpr int kCases = 400;

class Gen {
public:
    explicit Gen(unsigned seed) : rng_(seed) {}
    size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
    char pick(std::string_view chars) { return chars[below(chars.size())]; }
    std::string word(std::string_view chars, size_t min, size_t max) {
        std::string s;
        for (size_t n = min + below(max - min + 1); n > 0; --n) s += pick(chars);
        return s;
    }
    // Printable ASCII plus quotes and backslashes, the troublesome ones.
    std::string text(size_t max, std::string_view not_these = "") {
        std::string s;
        for (size_t n = below(max + 1); n > 0; --n) {
            char c = char(0x20 + below(0x5f));
            if (not_these.find(c) == std::string_view::npos) s += c;
        }
        return s;
    }
    // A Kconfig value kflavour accepts.
    std::string kconfig_value() {
        switch (below(5)) {
        case 0: return std::string(1, pick("ymn"));
        case 1: return (below(2) ? "-" : "") + word("0123456789", 1, 8);
        case 2: return "0x" + word("0123456789abcdefABCDEF", 1, 8);
        default: {
            std::string s = "\"";
            for (size_t n = below(20); n > 0; --n) {
                char c = char(0x20 + below(0x5f));
                if (c == '<' || c == '>') continue;  // annotations can't hold them (check_annotation_text)
                if (c == '"' || c == '\\') s += '\\';
                s += c;
            }
            return s + "\"";
        }
        }
    }
    std::string symbol() { return "CONFIG_" + word("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", 1, 20); }

private:
    std::mt19937 rng_;
};

const char* const kLower = "abcdefghijklmnopqrstuvwxyz0123456789";

TEST(RoundTrip, PythonStringLiterals) {
    Gen g(1);
    for (int i = 0; i < kCases * 5; ++i) {
        std::string s;
        for (size_t n = g.below(30); n > 0; --n) s += char(g.below(256));  // any byte, UTF-8 or not
        std::string repr = py_repr(s);
        size_t pos = 0;
        auto back = parse_py_string(repr, pos);
        ASSERT_TRUE(back.ok()) << "case " << i << ": " << repr;
        EXPECT_EQ(*back, s) << "case " << i;
        EXPECT_EQ(pos, repr.size());
    }
}

TEST(RoundTrip, AnnotationsPoliciesAndNotes) {
    const std::string header = "# Menu: HEADER\n# FORMAT: 4\n# ARCH: amd64 arm64 s390x\n"
                               "# FLAVOUR: amd64-generic arm64-generic s390x-generic\n\n";
    auto no_includes = [](const std::filesystem::path&) -> Result<std::string> { return bad_input("none"); };
    Gen g(2);
    for (int i = 0; i < kCases; ++i) {
        auto a = Annotations::parse(header, "/t/debian.master/config/annotations", no_includes);
        ASSERT_TRUE(a.ok());
        for (size_t n = 1 + g.below(12); n > 0; --n) {
            const std::string name = g.symbol();
            // The property: what the boundary checks accept reads back as written.
            for (const char* key : {"amd64", "arm64", "s390x", "arm64-generic"}) {
                const std::string value = g.kconfig_value();
                if (g.below(2) && check_annotation_text(value, name).ok()) a->set_policy(name, key, value);
            }
            const std::string note = g.text(40, "<>");
            if (g.below(2) && check_annotation_text(note, name).ok()) a->set_note(name, note);
        }
        const std::string written = a->write();
        auto back = Annotations::parse(written, "/t/debian.master/config/annotations", no_includes);
        ASSERT_TRUE(back.ok()) << "case " << i << ": " << back.error().describe() << "\n" << written;
        EXPECT_EQ(back->write(), written) << "case " << i;
        // The same settings (write() sorts the symbols, so compare sorted lines).
        auto sorted_lines = [](const std::string& text) {
            std::vector<std::string_view> lines = split_lines(text);
            std::sort(lines.begin(), lines.end());
            return std::vector<std::string>(lines.begin(), lines.end());
        };
        for (const char* arch : {"amd64", "arm64", "s390x"})
            EXPECT_EQ(sorted_lines(back->export_config(arch, "generic")), sorted_lines(a->export_config(arch, "generic")))
                << "case " << i;
        for (const auto& sym : a->symbols()) {
            const Annotation* b = back->find(sym.name);
            if (sym.policy.empty()) continue;  // a note alone is not written (as Ubuntu's tool)
            ASSERT_NE(b, nullptr) << sym.name;
            EXPECT_EQ(b->note, sym.note) << "case " << i << " " << sym.name;
        }
    }
}

TEST(RoundTrip, VarsValues) {
    Gen g(3);
    for (int i = 0; i < kCases; ++i) {
        std::string text = g.below(2) ? "arch=\"amd64 arm64\"\nsupported=\"Generic\"\n" : "# c\narch='amd64'\n";
        auto vars = VarsFile::parse(text, "vars");
        ASSERT_TRUE(vars.ok());
        const std::string key = g.word("abcdefghij_", 1, 10), value = g.text(40);
        vars->set(key, value);
        auto back = VarsFile::parse(vars->text(), "vars");
        ASSERT_TRUE(back.ok()) << "case " << i << ": " << back.error().describe() << "\n" << vars->text();
        EXPECT_EQ(back->get(key), value) << "case " << i << "\n" << vars->text();
        EXPECT_EQ(back->text(), vars->text());
    }
}

TEST(RoundTrip, RulesMkFlavourLists) {
    Gen g(4);
    for (int i = 0; i < kCases; ++i) {
        std::vector<std::string> flavours;
        std::string text = "human_arch\t= ARMv8\nflavours\t=";
        for (size_t n = 1 + g.below(4); n > 0; --n) {
            flavours.push_back(g.word("abcdefghijklmnop", 3, 10));
            text += (g.below(3) == 0 ? " \\\n\t" : " ") + flavours.back();
        }
        if (g.below(4) == 0) {
            text += " \\";  // a list ending in '\' at the end of the file
            if (g.below(2)) text += "\n";
        } else {
            text += "\n";
            if (g.below(2)) text += "build_image\t= Image.gz\n";
        }
        auto mk = RulesMk::parse(text, "arm64.mk");
        ASSERT_TRUE(mk.ok()) << text;
        EXPECT_EQ(mk->text(), text);
        EXPECT_EQ(mk->flavours(), flavours) << text;
        const std::string added = "z" + g.word(kLower, 2, 8);
        mk->add_flavour(added);
        flavours.push_back(added);
        auto back = RulesMk::parse(mk->text(), "arm64.mk");
        ASSERT_TRUE(back.ok());
        EXPECT_EQ(back->flavours(), flavours) << "case " << i << ":\n" << text << "\n->\n" << mk->text();
    }
}

TEST(RoundTrip, ChangelogEntries) {
    Gen g(5);
    for (int i = 0; i < kCases; ++i) {
        ChangelogEntry e{g.word(kLower, 1, 12),
                         g.word("0123456789", 1, 3) + "." + g.word("0123456789", 1, 3) + "-" +
                             g.word("0123456789abc.+~", 1, 8),
                         g.word(kLower, 1, 10), "medium", {g.text(200)}, {g.text(20, "<>"), "a@b.c"},
                         "Mon, 01 Jan 2024 00:00:00 +0000"};
        const std::string text = render_entry(e);
        auto back = parse_changelog_top(text, "changelog");
        ASSERT_TRUE(back.ok()) << "case " << i << ": " << back.error().describe() << "\n" << text;
        EXPECT_EQ(back->top.source, e.source);
        EXPECT_EQ(back->top.version, e.version);
        EXPECT_EQ(back->top.distribution, e.distribution);
        EXPECT_EQ(back->top.options, "urgency=medium");
    }
}

TEST(RoundTrip, DotConfigs) {
    Gen g(6);
    for (int i = 0; i < kCases; ++i) {
        std::vector<ConfigSetting> settings;
        for (size_t n = 1 + g.below(30); n > 0; --n) {
            ConfigSetting s{g.symbol(), g.kconfig_value()};
            bool dup = false;
            for (const auto& t : settings) dup = dup || t.name == s.name;
            if (!dup) settings.push_back(s);
        }
        const std::string text = write_dot_config(settings);
        auto back = parse_config_file(text, ".config");
        ASSERT_TRUE(back.ok()) << "case " << i << ": " << back.error().describe();
        ASSERT_EQ(back->settings.size(), settings.size());
        for (size_t k = 0; k < settings.size(); ++k) {
            EXPECT_EQ(back->settings[k].name, settings[k].name);
            EXPECT_EQ(back->settings[k].value, settings[k].value);
        }
        auto fragment = parse_fragment(text, "fragment");
        ASSERT_TRUE(fragment.ok()) << fragment.error().describe();
        EXPECT_EQ(fragment->size(), settings.size());
    }
}

}  // namespace
}  // namespace kf

// Every annotations input the fuzzer once broke the round trip with (kept in
// tests/data/fuzz-regressions): it is bad input, or it reads back to itself.
TEST(RoundTrip, FuzzRegressionAnnotations) {
    const std::filesystem::path dir = std::filesystem::path(KF_TEST_DATA) / "fuzz-regressions";
    auto no_includes = [](const std::filesystem::path&) -> kf::Result<std::string> { return kf::bad_input("no includes"); };
    int checked = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (!e.path().filename().string().starts_with("annotations-")) continue;
        auto text = kf::read_text_file(e.path());
        ASSERT_TRUE(text.ok()) << e.path();
        auto a = kf::Annotations::parse(*text, "/t/debian.master/config/annotations", no_includes);
        ++checked;
        if (!a.ok()) continue;
        const std::string once = a->write();
        auto again = kf::Annotations::parse(once, "/t/debian.master/config/annotations", no_includes);
        ASSERT_TRUE(again.ok()) << e.path() << ": " << again.error().message;
        EXPECT_EQ(again->write(), once) << e.path();
    }
    EXPECT_GE(checked, 3);
}
