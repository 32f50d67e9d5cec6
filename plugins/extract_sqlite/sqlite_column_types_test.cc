#include "sqlite_column_types.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <utility>
#include <vector>

#include "sqlite_value_reader.h"

namespace sluice::sqlite {
namespace {

namespace ds = sluice::dataset;

std::string Mapped(const std::string& declared) {
  ds::Column column{"c"};
  std::string error;
  if (!TypeFromDeclaration(declared, &column, &error)) return "error: " + error;
  return ds::TypeName(column);
}

TEST(SqliteColumnTypesTest, DeclaredTypesMapAsDocumented) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"INTEGER", "int64"},          {"INT", "int64"},
      {"bigint", "int64"},           {"UNSIGNED BIG INT", "int64"},
      {"TINYINT(1)", "int64"},       {"INT8", "int64"},
      {"DECIMAL(10,2)", "decimal(10,2)"}, {"numeric(18, 4)", "decimal(18,4)"},
      {"DECIMAL(7)", "decimal(7,0)"}, {"REAL", "float64"},
      {"DOUBLE PRECISION", "float64"}, {"FLOAT", "float64"},
      {"DATE", "date"},              {"DATETIME", "timestamp"},
      {"timestamp", "timestamp"},    {"BOOLEAN", "bool"},
      {"BOOL", "bool"},              {"VARCHAR(255)", "string"},
      {"CHAR(2)", "string"},         {"TEXT", "string"},
      {"CLOB", "string"},            {"NVARCHAR(20)", "string"},
      {"JSON", "string"},            {"UUID", "string"}};
  for (const auto& [declared, expected] : cases) EXPECT_EQ(Mapped(declared), expected) << declared;
}

TEST(SqliteColumnTypesTest, DecimalWithoutPrecisionOrAboveEighteenDigitsAsksForAType) {
  for (const std::string declared : {"NUMERIC", "DECIMAL", "DECIMAL(30,2)", "DECIMAL(4,6)"}) {
    const std::string result = Mapped(declared);
    EXPECT_EQ(result.rfind("error: ", 0), 0u) << declared << " -> " << result;
    EXPECT_NE(result.find("`columns`"), std::string::npos) << result;
  }
}

TEST(SqliteColumnTypesTest, BlobIsRefusedWithAFix) {
  const std::string result = Mapped("BLOB");
  EXPECT_NE(result.find("hex(c)"), std::string::npos) << result;
}

TEST(SqliteColumnTypesTest, StorageClassesMapToTypes) {
  ds::Column column{"c"};
  std::string error;
  ASSERT_TRUE(TypeFromStorageClass(SQLITE_INTEGER, &column, &error));
  EXPECT_EQ(column.type, ds::Type::kInt64);
  ASSERT_TRUE(TypeFromStorageClass(SQLITE_FLOAT, &column, &error));
  EXPECT_EQ(column.type, ds::Type::kFloat64);
  ASSERT_TRUE(TypeFromStorageClass(SQLITE_TEXT, &column, &error));
  EXPECT_EQ(column.type, ds::Type::kString);
  EXPECT_FALSE(TypeFromStorageClass(SQLITE_BLOB, &column, &error));
  EXPECT_NE(error.find("BLOB"), std::string::npos);
}

TEST(SqliteColumnTypesTest, ExponentsAreWrittenOutAsPlainDigits) {
  // Expected: python3 -c "from decimal import Decimal; print(format(Decimal(t), 'f'))"
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1.0e+15", "1000000000000000"}, {"1.5e+20", "150000000000000000000"},
      {"1.0e-05", "0.000010"},          {"-2.5e-03", "-0.0025"},
      {"1.23456e+02", "123.456"},       {"7e0", "7"}};
  for (const auto& [text, expected] : cases) {
    std::string out;
    ASSERT_TRUE(ExpandExponent(text, &out)) << text;
    EXPECT_EQ(out, expected) << text;
  }
  std::string out;
  EXPECT_FALSE(ExpandExponent("12.5", &out));
  EXPECT_FALSE(ExpandExponent("Inf", &out));
  EXPECT_FALSE(ExpandExponent("1e+x", &out));
}

}  // namespace
}  // namespace sluice::sqlite
