// base/text: what a failed tool's output says, and short hashes.
#include "base/text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ToolErrors, TheErrorLinesOfEachTool) {
    const std::string out = "I: chroot architecture amd64 is equal to the host's architecture\n"
                            "E: keyring \"/usr/share/keyrings/ubuntu-archive-keyring.gpg\" does not exist\n"
                            "Usage:\n    mmdebstrap [OPTION...] [SUITE [TARGET [MIRROR...]]]\n"
                            "dpkg: error processing archive x.deb (--unpack):\n"
                            "drivers/foo.c:12:3: error: 'x' undeclared\n"
                            "make[2]: *** [scripts/Makefile.build:250: drivers/foo.o] Error 1\n"
                            "make: *** [Makefile:1990: drivers] Error 2\n"
                            "dpkg-buildpackage: error: debian/rules binary subprocess returned exit status 2\n"
                            "  CC      kernel/errors.o\n"
                            "kflavour: olddefconfig changed the resolved config\n"
                            "E: keyring \"/usr/share/keyrings/ubuntu-archive-keyring.gpg\" does not exist\n";
    EXPECT_THAT(tool_error_lines(out),
                ElementsAre("E: keyring \"/usr/share/keyrings/ubuntu-archive-keyring.gpg\" does not exist",
                            "dpkg: error processing archive x.deb (--unpack):",
                            "drivers/foo.c:12:3: error: 'x' undeclared",
                            "make[2]: *** [scripts/Makefile.build:250: drivers/foo.o] Error 1",
                            "make: *** [Makefile:1990: drivers] Error 2",
                            "dpkg-buildpackage: error: debian/rules binary subprocess returned exit status 2",
                            "kflavour: olddefconfig changed the resolved config"));
    EXPECT_EQ(tool_error_lines(out, 2).size(), 2u);
    EXPECT_EQ(tool_error_lines(out).size(), 7u);
}

TEST(ToolErrors, EvidenceIsErrorsFirstThenTheTail) {
    std::string out = "E: the cause\n";
    for (int i = 0; i < 50; ++i) out += "usage line " + std::to_string(i) + "\n";
    const std::string ev = tool_failure_evidence(out, 5);
    EXPECT_EQ(ev, "its errors:\n  E: the cause\nlast lines of its output:\n"
                  "  usage line 45\n  usage line 46\n  usage line 47\n  usage line 48\n  usage line 49\n");
    EXPECT_EQ(tool_failure_evidence("just noise\n", 3), "last lines of its output:\n  just noise\n");
}

TEST(ShortHash, EightHexDigitsStableAndDistinct) {
    EXPECT_EQ(short_hash("bc,flex"), short_hash("bc,flex"));
    EXPECT_NE(short_hash("bc,flex"), short_hash("bc,flex,kmod"));
    EXPECT_EQ(short_hash("").size(), 8u);
    EXPECT_EQ(short_hash(""), "811c9dc5");  // FNV-1a's offset basis: the hash of nothing
}

// The chroot's sources template fills @URI@ and friends with it.
TEST(ReplaceAll, EveryOccurrenceAndNotWhatWasPutIn) {
    EXPECT_EQ(replace_all("URIs: @URI@\nSuites: @SUITE@ @SUITE@-updates\n", "@SUITE@", "focal"),
              "URIs: @URI@\nSuites: focal focal-updates\n");
    EXPECT_EQ(replace_all("aa", "a", "aa"), "aaaa");  // the replacement is not searched again
    EXPECT_EQ(replace_all("abc", "", "x"), "abc");
}
