// Type rules and exact arithmetic: decimals stay exact, int64 overflow fails naming the row,
// float64 appears only when an operand is float64, comparisons across types are exact.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include "transform_test_support.h"

namespace sluice::transform {
namespace {

using testing::kNull;
using testing::Texts;
using testing::TestTable;
using Texts_t = std::vector<std::optional<std::string>>;

std::string ErrorOf(TestTable& table, const std::string& expression) {
  try {
    table.Eval(expression);
  } catch (const ExprError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ExprTypesTest, DecimalAdditionKeepsTheLargerScaleExactly) {
  TestTable t;
  t.Decimal("a", 10, 2, {"12.34", "-0.01", kNull}).Decimal("b", 6, 3, {"0.005", "0.001", "1.000"});
  // 12.34 + 0.005 = 12.345; -0.01 + 0.001 = -0.009; null + 1 = null
  EXPECT_EQ(Texts(t.Eval("a + b")), (Texts_t{"12.345", "-0.009", kNull}));
  // integer digits max(8, 3) + scale 3 + 1 carry digit
  EXPECT_EQ(t.TypeOf("a + b"), ExprType::Decimal(12, 3));
  EXPECT_EQ(Texts(t.Eval("a - b")), (Texts_t{"12.335", "-0.011", kNull}));
}

TEST(ExprTypesTest, MoneyTimesQuantityStaysDecimal) {
  TestTable t;
  t.Int64("qtd", {3, 7}).Decimal("preco", 10, 2, {"19.99", "0.10"});
  EXPECT_EQ(t.TypeOf("qtd * preco").kind, Kind::kDecimal);
  EXPECT_EQ(t.TypeOf("qtd * preco").scale, 2);
  EXPECT_EQ(Texts(t.Eval("qtd * preco")), (Texts_t{"59.97", "0.70"}));  // 3 x 19.99, 7 x 0.10
  EXPECT_EQ(Texts(t.Eval("preco * preco")), (Texts_t{"399.6001", "0.0100"}));
  EXPECT_EQ(t.TypeOf("preco * preco"), ExprType::Decimal(18, 4));
}

TEST(ExprTypesTest, DecimalDivisionHasFourMoreDigitsAndRoundsHalfToEven) {
  TestTable t;
  t.Decimal("a", 5, 1, {"1.0", "3.0", "5.0", "-1.0", "-3.0", "10.0", "1.0"})
      .Decimal("b", 7, 1, {"40000.0", "40000.0", "40000.0", "40000.0", "40000.0", "3.0", "0.0"});
  EXPECT_EQ(t.TypeOf("a / b").scale, 5);  // max(1, 1) + 4
  // 1/40000 = 0.000025 -> 0.00002 (tie, 2 is even); 3/40000 = 0.000075 -> 0.00008 (tie, 7 odd);
  // 5/40000 = 0.000125 -> 0.00012; negatives mirror; 10/3 = 3.333333... -> 3.33333; x/0 is null.
  EXPECT_EQ(Texts(t.Eval("a / b")),
            (Texts_t{"0.00002", "0.00008", "0.00012", "-0.00002", "-0.00008", "3.33333", kNull}));
}

// An independent oracle for decimal division: long division digit by digit, then the
// half-even rule applied to the remainder.
std::string OracleDivide(int64_t a_tenths, int64_t b_hundredths) {
  // a/10 / (b/100) at scale max(1,2)+4 = 6: result = a * 10^7 / b / 10^6... computed as
  // quotient digits of |a| * 10 / |b| then six fraction digits.
  const bool negative = (a_tenths < 0) != (b_hundredths < 0) && a_tenths != 0;
  uint64_t numerator = static_cast<uint64_t>(std::llabs(a_tenths)) * 10;
  const uint64_t denominator = static_cast<uint64_t>(std::llabs(b_hundredths));
  uint64_t whole = numerator / denominator, remainder = numerator % denominator;
  std::string digits;
  for (int i = 0; i < 6; ++i) {
    remainder *= 10;
    digits.push_back(static_cast<char>('0' + remainder / denominator));
    remainder %= denominator;
  }
  // Round: compare the rest with one half; ties go to the even last digit.
  uint64_t scaled = whole * 1000000 + std::stoull(digits);
  if (remainder * 2 > denominator || (remainder * 2 == denominator && scaled % 2 == 1)) ++scaled;
  if (scaled == 0) return "0.000000";
  std::string text = std::to_string(scaled / 1000000) + ".";
  const std::string fraction = std::to_string(scaled % 1000000);
  text += std::string(6 - fraction.size(), '0') + fraction;
  return (negative ? "-" : "") + text;
}

TEST(ExprTypesTest, DecimalDivisionMatchesALongDivisionOracle) {
  std::vector<std::optional<std::string>> as, bs, expected;
  for (int64_t a = -40; a <= 40; a += 3) {
    for (int64_t b : {1, 3, 7, 8, 16, 64, 125, -3, -128, 2048, 9999}) {
      as.push_back(dataset::FormatDecimal(a, 1));
      bs.push_back(dataset::FormatDecimal(b, 2));
      expected.push_back(OracleDivide(a, b));
    }
  }
  TestTable t;
  t.Decimal("a", 4, 1, as).Decimal("b", 6, 2, bs);
  EXPECT_EQ(Texts(t.Eval("a / b")), expected);
}

TEST(ExprTypesTest, Int64ArithmeticStaysInt64AndDividesTowardZero) {
  TestTable t;
  t.Int64("a", {7, -7, 6}).Int64("b", {2, 2, 0});
  EXPECT_EQ(t.TypeOf("a / b"), ExprType::Int64());
  EXPECT_EQ(Texts(t.Eval("a / b")), (Texts_t{"3", "-3", kNull}));  // x / 0 is null
  EXPECT_EQ(Texts(t.Eval("a * b - 1")), (Texts_t{"13", "-15", "-1"}));
}

TEST(ExprTypesTest, Int64OverflowFailsNamingTheRowAndOperands) {
  TestTable t;
  t.Int64("x", {1, std::numeric_limits<int64_t>::max()});
  const std::string error = ErrorOf(t, "x + 1");
  EXPECT_NE(error.find("row 2: int64 overflow: 9223372036854775807 + 1"), std::string::npos) << error;
  EXPECT_NE(ErrorOf(t, "x * 2").find("row 2"), std::string::npos);
  EXPECT_NE(ErrorOf(t, "-(x - x - 9223372036854775807 - 1)").find("row 1"), std::string::npos);
}

TEST(ExprTypesTest, DecimalOverflowBeyondEighteenDigitsFailsNamingTheRow) {
  TestTable t;
  t.Decimal("d", 18, 0, {"1", "999999999999999999"});
  const std::string error = ErrorOf(t, "d * 10");
  EXPECT_NE(error.find("row 2: decimal overflow: 999999999999999999 * 10"), std::string::npos) << error;
}

TEST(ExprTypesTest, ProductScaleAboveEighteenIsATypeError) {
  TestTable t;
  t.Decimal("d", 18, 10, {"0.5"});
  EXPECT_NE(ErrorOf(t, "d * d").find("20 digits after the point"), std::string::npos);
}

TEST(ExprTypesTest, FloatOperandMakesFloatAndOnlyThen) {
  TestTable t;
  t.Decimal("d", 10, 2, {"1.50"}).Float64("f", {0.25}).Int64("i", {2});
  EXPECT_EQ(t.TypeOf("d + f"), ExprType::Float64());
  EXPECT_EQ(t.TypeOf("i * f"), ExprType::Float64());
  EXPECT_EQ(t.TypeOf("d + i").kind, Kind::kDecimal);
  EXPECT_EQ(Texts(t.Eval("d + f")), (Texts_t{"1.75"}));
}

TEST(ExprTypesTest, ComparisonsAcrossNumericTypesAreExact) {
  TestTable t;
  t.Decimal("d", 10, 1, {"0.1", "2.5", "-1.0"})
      .Float64("f", {0.1, 2.5, -1.0})
      .Int64("big", {9007199254740993, 3, -1})
      .Float64("g", {9007199254740992.0, 2.5, -1.0});
  // 0.1 as a double is 0.1000000000000000055..., above the decimal 0.1.
  EXPECT_EQ(Texts(t.Eval("d < f")), (Texts_t{"true", "false", "false"}));
  EXPECT_EQ(Texts(t.Eval("d = f")), (Texts_t{"false", "true", "true"}));
  EXPECT_EQ(Texts(t.Eval("f > d")), (Texts_t{"true", "false", "false"}));
  // 2^53 + 1 is not equal to 2^53, although both become the same double.
  EXPECT_EQ(Texts(t.Eval("big = g")), (Texts_t{"false", "false", "true"}));
  EXPECT_EQ(Texts(t.Eval("big > g")), (Texts_t{"true", "true", "false"}));
  EXPECT_EQ(Texts(t.Eval("d = 2.50")), (Texts_t{"false", "true", "false"}));
  EXPECT_EQ(Texts(t.Eval("big >= 3")), (Texts_t{"true", "true", "false"}));
}

TEST(ExprTypesTest, StringsCompareBytewise) {
  TestTable t;
  t.String("s", {"a", "B", "é", "ab"});
  // 'B' (0x42) < 'a' (0x61) < 'ab' < 'é' (0xC3 0xA9)
  EXPECT_EQ(Texts(t.Eval("s > 'a'")), (Texts_t{"false", "false", "true", "true"}));
}

TEST(ExprTypesTest, DatesCompareWithDatesAndNotWithStrings) {
  TestTable t;
  t.Date("d", {"2024-01-31", "2024-02-01"});
  EXPECT_EQ(Texts(t.Eval("d >= date('2024-02-01')")), (Texts_t{"false", "true"}));
  EXPECT_NE(ErrorOf(t, "d >= '2024-02-01'").find("write a date as date('2024-01-31')"),
            std::string::npos);
}

TEST(ExprTypesTest, ConcatFormatsNonStringsAndNullWins) {
  TestTable t;
  t.Int64("id", {42, kNull}).Decimal("v", 6, 2, {"1.50", "2.00"});
  EXPECT_EQ(Texts(t.Eval("'id-' || id || '/' || v || '/' || true || '/' || date('2024-01-02')")),
            (Texts_t{"id-42/1.50/true/2024-01-02", kNull}));
}

TEST(ExprTypesTest, CastsRoundHalfToEvenAndConvertText) {
  TestTable t;
  t.Decimal("d", 5, 3, {"1.235", "1.225", "-1.235"}).Float64("f", {2.5, 3.5, -2.5});
  EXPECT_EQ(Texts(t.Eval("cast(d as decimal(4,2))")), (Texts_t{"1.24", "1.22", "-1.24"}));
  EXPECT_EQ(Texts(t.Eval("cast(f as int64)")), (Texts_t{"2", "4", "-2"}));
  EXPECT_EQ(Texts(t.Eval("cast(d as string)")), (Texts_t{"1.235", "1.225", "-1.235"}));
  EXPECT_EQ(Texts(t.Eval("cast(timestamp('2024-03-01 10:00:00') as date)")),
            (Texts_t{"2024-03-01", "2024-03-01", "2024-03-01"}));
}

TEST(ExprTypesTest, BadCastNamesTheRowAndTheValue) {
  TestTable t;
  t.String("s", {"10", "12,5", "7"});
  const std::string error = ErrorOf(t, "cast(s as int64)");
  EXPECT_NE(error.find("row 2: cannot cast to int64: '12,5' is not a whole number"), std::string::npos)
      << error;
  TestTable d;
  d.Decimal("big", 8, 2, {"123456.78"});
  EXPECT_NE(ErrorOf(d, "cast(big as decimal(5,2))").find("'123456.78' has more than 3 digits"),
            std::string::npos);
}

TEST(ExprTypesTest, RowsTheOtherSideDecidesRaiseNoErrors) {
  TestTable t;
  t.Int64("n", {0, 5}).String("s", {"abc", "9"});
  // Row 1 has n = 0: `and` is false without the cast, which would fail on 'abc'.
  EXPECT_EQ(Texts(t.Eval("n <> 0 and cast(s as int64) > 1")), (Texts_t{"false", "true"}));
  EXPECT_EQ(Texts(t.Eval("n = 0 or cast(s as int64) > 1")), (Texts_t{"true", "true"}));
  EXPECT_EQ(Texts(t.Eval("coalesce(n, cast(s as int64))")), (Texts_t{"0", "5"}));
}

TEST(ExprTypesTest, UnknownColumnListsCloseNames) {
  TestTable t;
  t.Decimal("valor", 10, 2, {"1.00"}).Int64("valores_id", {1});
  const std::string error = ErrorOf(t, "valr > 0");
  EXPECT_NE(error.find("unknown column 'valr'; did you mean 'valor'"), std::string::npos) << error;
}

TEST(ExprTypesTest, ArithmeticOnTextIsATypeErrorWithAHint) {
  TestTable t;
  t.String("nome", {"a"});
  EXPECT_NE(ErrorOf(t, "nome + 1").find("'+' needs numbers, but this is string; join text with ||"),
            std::string::npos);
  EXPECT_NE(ErrorOf(t, "nome and true").find("`and` needs true/false values"), std::string::npos);
}

TEST(ExprTypesTest, BareNullTakesItsContextsType) {
  TestTable t;
  t.Int64("i", {1});
  EXPECT_EQ(t.TypeOf("i + null"), ExprType::Int64());
  EXPECT_EQ(Texts(t.Eval("i + null")), (Texts_t{kNull}));
  EXPECT_EQ(t.TypeOf("cast(null as date)"), ExprType::Date());
  EXPECT_EQ(t.TypeOf("coalesce(null, 1.5)"), ExprType::Decimal(2, 1));
}

}  // namespace
}  // namespace sluice::transform
