// Exact division with banker's rounding, checked against cases worked by hand.
#include <gtest/gtest.h>

#include "decimal_math.h"

namespace sluice::aggregate {
namespace {

TEST(DivideRoundHalfEvenTest, TiesGoToTheEvenNeighbour) {
  EXPECT_EQ(DivideRoundHalfEven(5, 2), 2);    // 2.5
  EXPECT_EQ(DivideRoundHalfEven(7, 2), 4);    // 3.5
  EXPECT_EQ(DivideRoundHalfEven(-5, 2), -2);  // -2.5
  EXPECT_EQ(DivideRoundHalfEven(-7, 2), -4);  // -3.5
  EXPECT_EQ(DivideRoundHalfEven(100, 8), 12);  // 12.5
  EXPECT_EQ(DivideRoundHalfEven(300, 8), 38);  // 37.5
}

TEST(DivideRoundHalfEvenTest, NonTiesRoundToNearest) {
  EXPECT_EQ(DivideRoundHalfEven(1, 3), 0);     // 0.33
  EXPECT_EQ(DivideRoundHalfEven(2, 3), 1);     // 0.67
  EXPECT_EQ(DivideRoundHalfEven(-2, 3), -1);   // -0.67
  EXPECT_EQ(DivideRoundHalfEven(-1, 3), 0);    // -0.33
  EXPECT_EQ(DivideRoundHalfEven(100, 3), 33);  // 0.01 / 3 at two more digits: 0.0033
  EXPECT_EQ(DivideRoundHalfEven(51, 100), 1);
  EXPECT_EQ(DivideRoundHalfEven(-49, 100), 0);
  EXPECT_EQ(DivideRoundHalfEven(12, 4), 3);  // exact
}

TEST(DivideRoundHalfEvenTest, WorksBeyondSixtyFourBits) {
  const Int128 big = Int128{1} << 100;
  EXPECT_EQ(DivideRoundHalfEven(big + 1, 2), big / 2);  // x.5 with an even quotient
  EXPECT_EQ(DivideRoundHalfEven(big + 3, 2), big / 2 + 2);
}

TEST(DecimalLimitsTest, EighteenDigitsFitNineteenDoNot) {
  EXPECT_TRUE(FitsDecimal18(999'999'999'999'999'999));
  EXPECT_TRUE(FitsDecimal18(-999'999'999'999'999'999));
  EXPECT_FALSE(FitsDecimal18(Int128{1'000'000'000'000'000'000}));
  EXPECT_FALSE(FitsDecimal18(-Int128{1'000'000'000'000'000'000}));
}

TEST(Int128TextTest, PrintsSignAndDigits) {
  EXPECT_EQ(Int128Text(0), "0");
  EXPECT_EQ(Int128Text(-42), "-42");
  EXPECT_EQ(Int128Text(Int128{1} << 64), "18446744073709551616");
  const Int128 min = -(((Int128{1} << 126) - 1) * 2) - 2;
  EXPECT_EQ(Int128Text(min), "-170141183460469231731687303715884105728");
}

}  // namespace
}  // namespace sluice::aggregate
