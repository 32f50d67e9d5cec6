#include "sluice/percent_decode.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sluice::sdk {
namespace {

TEST(PercentDecodeTest, DecodesEscapesInEitherCaseAndKeepsTheRest) {
  std::string out;
  ASSERT_TRUE(PercentDecode("%2Frun%2fpostgresql", &out));
  EXPECT_EQ(out, "/run/postgresql");
  ASSERT_TRUE(PercentDecode("etl%40corp", &out));
  EXPECT_EQ(out, "etl@corp");
  ASSERT_TRUE(PercentDecode("plain", &out));
  EXPECT_EQ(out, "plain");
  ASSERT_TRUE(PercentDecode("a%00b", &out));
  EXPECT_EQ(out, std::string("a\0b", 3));  // kept: the caller decides
}

TEST(PercentDecodeTest, RefusesAnEscapeWithoutTwoHexDigits) {
  std::string out;
  EXPECT_FALSE(PercentDecode("%", &out));
  EXPECT_FALSE(PercentDecode("x%4", &out));
  EXPECT_FALSE(PercentDecode("%zz", &out));
  EXPECT_FALSE(PercentDecode("%4g", &out));
}

}  // namespace
}  // namespace sluice::sdk
