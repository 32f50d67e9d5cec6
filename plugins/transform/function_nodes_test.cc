// The text, number and null functions, with expected values worked out by hand.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "transform_test_support.h"

namespace sluice::transform {
namespace {

using testing::kNull;
using testing::Texts;
using testing::TestTable;
using Texts_t = std::vector<std::optional<std::string>>;

TEST(FunctionNodesTest, UpperAndLowerMapAccentedLatinLetters) {
  TestTable t;
  t.String("s", {"joão da silva", "ÉRICA ÇÃO", "x×y ÷ 1"});
  EXPECT_EQ(Texts(t.Eval("upper(s)")), (Texts_t{"JOÃO DA SILVA", "ÉRICA ÇÃO", "X×Y ÷ 1"}));
  EXPECT_EQ(Texts(t.Eval("lower(s)")), (Texts_t{"joão da silva", "érica ção", "x×y ÷ 1"}));
}

TEST(FunctionNodesTest, TrimRemovesOuterWhitespaceOnly) {
  TestTable t;
  t.String("s", {"  a b \t", "", "   ", "\nx\n"});
  EXPECT_EQ(Texts(t.Eval("trim(s)")), (Texts_t{"a b", "", "", "x"}));
}

TEST(FunctionNodesTest, LengthCountsCharactersNotBytes) {
  TestTable t;
  t.String("s", {"São", "", "ab", "日本"});
  EXPECT_EQ(Texts(t.Eval("length(s)")), (Texts_t{"3", "0", "2", "2"}));
}

TEST(FunctionNodesTest, SubstrIsOneBasedInCharactersWithSqlEdgeRules) {
  TestTable t;
  t.String("s", {"São Paulo", "São Paulo", "abc", "abc", "abc", "abc"})
      .Int64("start", {1, 5, 0, 2, 10, -1})
      .Int64("len", {3, 100, 2, kNull, 1, 3});
  // 'São Paulo'[1..3] = 'São'; from 5 = 'Paulo'; start 0 length 2 covers positions 0 and 1:
  // 'a'; a null length is null; past the end is empty; start -1 length 3 covers -1..1: 'a'.
  EXPECT_EQ(Texts(t.Eval("substr(s, start, len)")), (Texts_t{"São", "Paulo", "a", kNull, "", "a"}));
  EXPECT_EQ(Texts(t.Eval("substr(s, 2)")), (Texts_t{"ão Paulo", "ão Paulo", "bc", "bc", "bc", "bc"}));
}

TEST(FunctionNodesTest, SubstrWithNegativeLengthFailsNamingTheRow) {
  TestTable t;
  t.String("s", {"abc", "abc"}).Int64("len", {1, -2});
  try {
    t.Eval("substr(s, 1, len)");
    FAIL() << "no error";
  } catch (const ExprError& e) {
    EXPECT_EQ(std::string(e.what()), "row 2: substr's length is negative (-2)");
  }
}

TEST(FunctionNodesTest, RoundGoesHalfAwayFromZeroAndNarrowsTheScale) {
  TestTable t;
  t.Decimal("d", 5, 3, {"2.345", "-2.345", "2.344", "99.995"}).Float64("f", {2.5, -2.5, 0.125, 1.0});
  EXPECT_EQ(Texts(t.Eval("round(d, 2)")), (Texts_t{"2.35", "-2.35", "2.34", "100.00"}));
  EXPECT_EQ(t.TypeOf("round(d, 2)"), ExprType::Decimal(5, 2));  // 5 - 3 + 2 + 1
  EXPECT_EQ(Texts(t.Eval("round(d)")), (Texts_t{"2", "-2", "2", "100"}));
  EXPECT_EQ(Texts(t.Eval("round(d, 3)")), (Texts_t{"2.345", "-2.345", "2.344", "99.995"}));
  EXPECT_EQ(Texts(t.Eval("round(f)")), (Texts_t{"3", "-3", "0", "1"}));
}

TEST(FunctionNodesTest, AbsKeepsTheTypeAndFailsOnTheSmallestInt64) {
  TestTable t;
  t.Decimal("d", 6, 2, {"-1.50", "2.00"}).Int64("i", {-3, INT64_MIN});
  EXPECT_EQ(Texts(t.Eval("abs(d)")), (Texts_t{"1.50", "2.00"}));
  EXPECT_EQ(t.TypeOf("abs(d)"), ExprType::Decimal(6, 2));
  EXPECT_THROW(t.Eval("abs(i)"), ExprError);
}

TEST(FunctionNodesTest, CoalesceTakesTheFirstNonNullAndWidensNumbers) {
  TestTable t;
  t.Int64("i", {kNull, 5, kNull}).Decimal("d", 6, 2, {"1.25", "2.50", kNull});
  EXPECT_EQ(Texts(t.Eval("coalesce(i, d, 0)")), (Texts_t{"1.25", "5.00", "0.00"}));
  EXPECT_EQ(t.TypeOf("coalesce(i, d)").scale, 2);
  EXPECT_THROW(t.TypeOf("coalesce(i, 'x')"), ExprError);
}

TEST(FunctionNodesTest, FunctionsRejectArgumentsOfTheWrongType) {
  TestTable t;
  t.Int64("i", {1}).String("s", {"a"});
  EXPECT_THROW(t.TypeOf("upper(i)"), ExprError);
  EXPECT_THROW(t.TypeOf("format_date(s, '%Y')"), ExprError);
  EXPECT_THROW(t.TypeOf("abs(s)"), ExprError);
  EXPECT_THROW(t.TypeOf("substr(s, '1')"), ExprError);
}

}  // namespace
}  // namespace sluice::transform
