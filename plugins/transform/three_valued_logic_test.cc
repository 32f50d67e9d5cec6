// SQL's three-valued logic, checked against truth tables written out here.
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

const std::optional<bool> T = true, F = false, N = std::nullopt;

// The nine combinations of two truth values, row by row.
TestTable& Pairs(TestTable& t) {
  return t.Bool("a", {T, T, T, F, F, F, N, N, N}).Bool("b", {T, F, N, T, F, N, T, F, N});
}

TEST(ThreeValuedLogicTest, AndTruthTable) {
  TestTable t;
  //                 a: T       T        T      F        F        F        N      N        N
  //                 b: T       F        N      T        F        N        T      F        N
  const Texts_t and_ = {"true", "false", kNull, "false", "false", "false", kNull, "false", kNull};
  EXPECT_EQ(Texts(Pairs(t).Eval("a and b")), and_);
}

TEST(ThreeValuedLogicTest, OrTruthTable) {
  TestTable t;
  const Texts_t or_ = {"true", "true", "true", "true", "false", kNull, "true", kNull, kNull};
  EXPECT_EQ(Texts(Pairs(t).Eval("a or b")), or_);
}

TEST(ThreeValuedLogicTest, NotTruthTable) {
  TestTable t;
  t.Bool("a", {T, F, N});
  EXPECT_EQ(Texts(t.Eval("not a")), (Texts_t{"false", "true", kNull}));
  EXPECT_EQ(Texts(t.Eval("not not a")), (Texts_t{"true", "false", kNull}));
}

TEST(ThreeValuedLogicTest, IsNullIsNeverNull) {
  TestTable t;
  t.Bool("a", {T, F, N});
  EXPECT_EQ(Texts(t.Eval("a is null")), (Texts_t{"false", "false", "true"}));
  EXPECT_EQ(Texts(t.Eval("a is not null")), (Texts_t{"true", "true", "false"}));
}

TEST(ThreeValuedLogicTest, ComparisonWithNullIsNull) {
  TestTable t;
  t.Int64("x", {1, kNull, 3}).Int64("y", {1, 2, kNull});
  for (const char* op : {"=", "!=", "<>", "<", "<=", ">", ">="}) {
    const Texts_t result = Texts(t.Eval(std::string("x ") + op + " y"));
    EXPECT_TRUE(result[0].has_value()) << op;
    EXPECT_EQ(result[1], kNull) << op;
    EXPECT_EQ(result[2], kNull) << op;
  }
  EXPECT_EQ(Texts(t.Eval("x = null")), (Texts_t{kNull, kNull, kNull}));
}

TEST(ThreeValuedLogicTest, InIsTrueOnAMatchElseNullIfANullTookPart) {
  TestTable t;
  t.Int64("x", {1, 2, kNull, 2});
  // 1 in (1, null) = true; 2 in (1, null) = null; null in (1, null) = null; 2 in (1, 3) = false
  EXPECT_EQ(Texts(t.Eval("x in (1, null)")), (Texts_t{"true", kNull, kNull, kNull}));
  EXPECT_EQ(Texts(t.Eval("x in (1, 3)")), (Texts_t{"true", "false", kNull, "false"}));
  EXPECT_EQ(Texts(t.Eval("x not in (1, null)")), (Texts_t{"false", kNull, kNull, kNull}));
  EXPECT_EQ(Texts(t.Eval("x not in (1, 3)")), (Texts_t{"false", "true", kNull, "true"}));
}

TEST(ThreeValuedLogicTest, BetweenWithANullBoundIsNullUnlessTheOtherBoundFails) {
  TestTable t;
  t.Int64("x", {5, 5, 50}).Int64("hi", {kNull, 10, kNull});
  // 5 between 1 and null: (true and null) = null; 50 between 100 and null: (false and null) = false
  EXPECT_EQ(Texts(t.Eval("x between 1 and hi")), (Texts_t{kNull, "true", kNull}));
  EXPECT_EQ(Texts(t.Eval("x between 100 and hi")), (Texts_t{"false", "false", "false"}));
}

TEST(ThreeValuedLogicTest, ArithmeticAndFunctionsPropagateNull) {
  TestTable t;
  t.Int64("x", {kNull}).String("s", {kNull});
  EXPECT_EQ(Texts(t.Eval("x + 1")), (Texts_t{kNull}));
  EXPECT_EQ(Texts(t.Eval("upper(s)")), (Texts_t{kNull}));
  EXPECT_EQ(Texts(t.Eval("length(s) > 0")), (Texts_t{kNull}));
  EXPECT_EQ(Texts(t.Eval("coalesce(x, 7)")), (Texts_t{"7"}));
}

}  // namespace
}  // namespace sluice::transform
