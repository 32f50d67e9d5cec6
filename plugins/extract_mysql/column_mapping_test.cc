#include "column_mapping.h"

#include <gtest/gtest.h>

namespace sluice::mysql {
namespace {

namespace ds = sluice::dataset;

SourceColumn Source(SourceKind kind, std::string type_name, unsigned display_size = 0,
                    unsigned scale = 0, bool is_signed = true) {
  return SourceColumn{"c", kind, std::move(type_name), display_size, scale, is_signed};
}

ColumnPlan MustPlan(const SourceColumn& source) {
  std::string error;
  std::optional<ColumnPlan> plan = PlanColumn(source, std::nullopt, &error);
  EXPECT_TRUE(plan) << error;
  return plan.value_or(ColumnPlan{});
}

TEST(MysqlDecimalPrecisionTest, RemovesSignAndPointFromTheDisplaySize) {
  // Display sizes as MariaDB 10.11 reports them (measured with the connector).
  EXPECT_EQ(DecimalPrecision(12, 2, true), 10);   // DECIMAL(10,2)
  EXPECT_EQ(DecimalPrecision(11, 2, false), 10);  // DECIMAL(10,2) UNSIGNED
  EXPECT_EQ(DecimalPrecision(6, 0, true), 5);     // DECIMAL(5,0)
  EXPECT_EQ(DecimalPrecision(20, 4, true), 18);   // DECIMAL(18,4)
  EXPECT_EQ(DecimalPrecision(3, 1, true), 1);     // DECIMAL(1,1)
  EXPECT_EQ(DecimalPrecision(32, 4, true), 30);   // DECIMAL(30,4)
}

TEST(MysqlPlanColumnTest, IntegersAreInt64ReadUnsignedWhenTheServerSaysSo) {
  const ColumnPlan plain = MustPlan(Source(SourceKind::kInteger, "INT", 11));
  EXPECT_EQ(plain.column.type, ds::Type::kInt64);
  EXPECT_EQ(plain.read, ReadAs::kInt64);
  const ColumnPlan big = MustPlan(Source(SourceKind::kInteger, "BIGINT UNSIGNED", 20, 0, false));
  EXPECT_EQ(big.column.type, ds::Type::kInt64);
  EXPECT_EQ(big.read, ReadAs::kUInt64);
}

TEST(MysqlPlanColumnTest, BooleanIsTinyIntOneAndStaysInt64) {
  const ColumnPlan plan = MustPlan(Source(SourceKind::kInteger, "TINYINT", 1));
  EXPECT_EQ(plan.column.type, ds::Type::kInt64);
}

TEST(MysqlPlanColumnTest, DecimalUpTo18DigitsKeepsPrecisionAndScale) {
  const ColumnPlan plan = MustPlan(Source(SourceKind::kDecimal, "DECIMAL", 20, 4));
  EXPECT_EQ(ds::TypeName(plan.column), "decimal(18,4)");
  EXPECT_EQ(plan.read, ReadAs::kDecimal);
}

TEST(MysqlPlanColumnTest, DecimalBeyond18DigitsIsAnErrorSuggestingCastOrColumns) {
  std::string error;
  SourceColumn source = Source(SourceKind::kDecimal, "DECIMAL", 21, 2);  // DECIMAL(19,2)
  source.name = "saldo";
  EXPECT_FALSE(PlanColumn(source, std::nullopt, &error));
  EXPECT_NE(error.find("'saldo'"), std::string::npos) << error;
  EXPECT_NE(error.find("DECIMAL(19,2)"), std::string::npos) << error;
  EXPECT_NE(error.find("CAST(saldo AS DECIMAL(18,2))"), std::string::npos) << error;
  EXPECT_NE(error.find("`columns`"), std::string::npos) << error;
}

TEST(MysqlPlanColumnTest, TemporalFloatTextAndNullTypes) {
  EXPECT_EQ(MustPlan(Source(SourceKind::kFloat, "DOUBLE")).column.type, ds::Type::kFloat64);
  EXPECT_EQ(MustPlan(Source(SourceKind::kDate, "DATE")).column.type, ds::Type::kDate);
  EXPECT_EQ(MustPlan(Source(SourceKind::kDateTime, "DATETIME", 26, 6)).column.type,
            ds::Type::kTimestamp);
  EXPECT_EQ(MustPlan(Source(SourceKind::kText, "ENUM")).column.type, ds::Type::kString);
  const ColumnPlan null = MustPlan(Source(SourceKind::kNull, "NULL"));
  EXPECT_EQ(null.column.type, ds::Type::kString);
  EXPECT_EQ(null.read, ReadAs::kAlwaysNull);
}

TEST(MysqlPlanColumnTest, BitOneIsBoolAndWiderBitsAreNumbers) {
  const ColumnPlan flag = MustPlan(Source(SourceKind::kBit, "BIT", 1, 0, false));
  EXPECT_EQ(flag.column.type, ds::Type::kBool);
  EXPECT_EQ(flag.read, ReadAs::kBool);
  const ColumnPlan bits = MustPlan(Source(SourceKind::kBit, "BIT", 8, 0, false));
  EXPECT_EQ(bits.column.type, ds::Type::kInt64);
  EXPECT_EQ(bits.read, ReadAs::kUInt64);
}

TEST(MysqlPlanColumnTest, UnsupportedTypesNameTheColumnAndAConversion) {
  std::string error;
  EXPECT_FALSE(PlanColumn(Source(SourceKind::kOther, "TIME"), std::nullopt, &error));
  EXPECT_NE(error.find("column 'c' is TIME"), std::string::npos) << error;
  EXPECT_NE(error.find("CAST(c AS CHAR)"), std::string::npos) << error;
  EXPECT_FALSE(PlanColumn(Source(SourceKind::kOther, "BLOB"), std::nullopt, &error));
  EXPECT_NE(error.find("HEX(c)"), std::string::npos) << error;
}

TEST(MysqlPlanColumnTest, DeclaredTypeWinsAndIsParsedFromText) {
  std::string error;
  const auto plan = PlanColumn(Source(SourceKind::kDecimal, "DECIMAL", 32, 4),
                               ds::Column{"c", ds::Type::kDecimal, 18, 4}, &error);
  ASSERT_TRUE(plan) << error;
  EXPECT_EQ(ds::TypeName(plan->column), "decimal(18,4)");
  EXPECT_EQ(plan->read, ReadAs::kParse);
  const auto time = PlanColumn(Source(SourceKind::kOther, "TIME"),
                               ds::Column{"c", ds::Type::kString}, &error);
  ASSERT_TRUE(time) << error;
  EXPECT_EQ(time->column.type, ds::Type::kString);
}

TEST(MysqlZeroDateTest, RecognisesTheZeroDateOnly) {
  EXPECT_TRUE(IsZeroDate("0000-00-00"));
  EXPECT_TRUE(IsZeroDate("0000-00-00 00:00:00"));
  EXPECT_FALSE(IsZeroDate("0001-01-01"));
  EXPECT_FALSE(IsZeroDate("1970-01-01"));
}

}  // namespace
}  // namespace sluice::mysql
