#include "tree/pyliteral.hpp"

#include <gtest/gtest.h>

TEST(PyLiteral, ReprChoosesQuotesLikePython) {
    EXPECT_EQ(kf::py_repr("y"), "'y'");
    EXPECT_EQ(kf::py_repr("\"\""), "'\"\"'");
    EXPECT_EQ(kf::py_repr("it's"), "\"it's\"");
    EXPECT_EQ(kf::py_repr("it's \"x\""), "'it\\'s \"x\"'");
    EXPECT_EQ(kf::py_repr("a\\b\n"), "'a\\\\b\\n'");
}

TEST(PyLiteral, DictRoundTrip) {
    auto d = kf::parse_py_str_dict("{'amd64': '\"a \\\\\"q\\\\\"\"', \"arm64\": 'y', }");
    ASSERT_TRUE(d.ok()) << d.error().message;
    ASSERT_EQ(d->size(), 2u);
    EXPECT_EQ((*d)[0].second, "\"a \\\"q\\\"\"");
    EXPECT_EQ(kf::py_repr((*d)[0].second), "'\"a \\\\\"q\\\\\"\"'");
    EXPECT_EQ((*d)[1].first, "arm64");
}

TEST(PyLiteral, DictErrors) {
    EXPECT_FALSE(kf::parse_py_str_dict("{'a': y}").ok());
    EXPECT_FALSE(kf::parse_py_str_dict("{'a' 'y'}").ok());
    EXPECT_FALSE(kf::parse_py_str_dict("{'a': 'y'").ok());
    EXPECT_FALSE(kf::parse_py_str_dict("['a']").ok());
    EXPECT_TRUE(kf::parse_py_str_dict("{}").ok());
}
