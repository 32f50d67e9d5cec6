#include "postgres_types.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <vector>

namespace sluice::postgres {
namespace {

namespace ds = sluice::dataset;
namespace fs = std::filesystem;

// Type modifiers as PostgreSQL computes them: ((precision << 16) | (scale & 0x7ff)) + 4.
constexpr int NumericModifier(int precision, int scale) {
  return ((precision << 16) | (scale & 0x7ff)) + 4;
}

ColumnPlan Plan(uint32_t type_oid, int type_modifier = -1,
                std::optional<ds::Column> declared = std::nullopt) {
  std::string error;
  std::optional<ColumnPlan> plan = PlanColumn("c", type_oid, type_modifier, declared, &error);
  EXPECT_TRUE(plan.has_value()) << error;
  return plan.value_or(ColumnPlan{});
}

std::string PlanError(uint32_t type_oid, int type_modifier = -1) {
  std::string error;
  EXPECT_FALSE(PlanColumn("valor", type_oid, type_modifier, std::nullopt, &error).has_value());
  return error;
}

// Writes `texts` through AppendValue into a one-column dataset and reads it back.
class AppendValueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-pgtypes-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Opens the finished dataset in reader_, or returns false with the first error.
  bool Write(const ColumnPlan& plan, const std::vector<std::string>& texts, std::string* error) {
    chunk_.reset();
    reader_.reset();
    const std::string path = (dir_ / "values.sds").string();
    ds::Writer writer(path, {plan.column});
    for (const std::string& text : texts) {
      if (!AppendValue(writer, 0, plan, text, error)) return false;
      writer.EndRow();
    }
    writer.Finish();
    reader_.emplace(path);
    return true;
  }

  // The column read back. REQUIRES: every text fits.
  ds::ColumnView Column(const ColumnPlan& plan, const std::vector<std::string>& texts) {
    std::string error;
    EXPECT_TRUE(Write(plan, texts, &error)) << error;
    chunk_.emplace(reader_->chunk(0));
    return chunk_->column(0);
  }

  std::string ErrorOf(const ColumnPlan& plan, const std::string& text) {
    std::string error;
    EXPECT_FALSE(Write(plan, {text}, &error)) << text;
    return error;
  }

  fs::path dir_;
  std::optional<ds::Reader> reader_;
  std::optional<ds::ChunkView> chunk_;
};

TEST(NumericModifierTest, PrecisionAndScaleComeFromTheModifier) {
  EXPECT_EQ(NumericPrecisionScale(NumericModifier(12, 2)), (std::pair{12, 2}));
  EXPECT_EQ(NumericPrecisionScale(NumericModifier(18, 4)), (std::pair{18, 4}));
  EXPECT_EQ(NumericPrecisionScale(NumericModifier(5, 0)), (std::pair{5, 0}));
  EXPECT_EQ(NumericPrecisionScale(-1), std::nullopt);  // numeric without precision
}

TEST(NumericModifierTest, NegativeScaleAndScaleAbovePrecisionWidenTheDecimal) {
  // numeric(3,-2) holds 99900 at most: five digits, none after the point.
  EXPECT_EQ(NumericPrecisionScale(NumericModifier(3, -2)), (std::pair{5, 0}));
  // numeric(3,5) holds 0.00999 at most: five digits, all after the point.
  EXPECT_EQ(NumericPrecisionScale(NumericModifier(3, 5)), (std::pair{5, 5}));
}

TEST(PlanColumnTest, BuiltInTypesMapToTheirDatasetTypes) {
  EXPECT_EQ(Plan(oid::kInt2).column.type, ds::Type::kInt64);
  EXPECT_EQ(Plan(oid::kInt4).column.type, ds::Type::kInt64);
  EXPECT_EQ(Plan(oid::kInt8).column.type, ds::Type::kInt64);
  EXPECT_EQ(Plan(oid::kFloat4).column.type, ds::Type::kFloat64);
  EXPECT_EQ(Plan(oid::kFloat8).column.type, ds::Type::kFloat64);
  EXPECT_EQ(Plan(oid::kBool).column.type, ds::Type::kBool);
  EXPECT_EQ(Plan(oid::kDate).column.type, ds::Type::kDate);
  EXPECT_EQ(Plan(oid::kTimestamp).column.type, ds::Type::kTimestamp);
  EXPECT_EQ(Plan(oid::kTimestamptz).source, SourceKind::kTimestampUtc);
  for (uint32_t text_oid : {oid::kText, oid::kVarchar, oid::kName, oid::kUuid, oid::kBpchar}) {
    EXPECT_EQ(Plan(text_oid).column.type, ds::Type::kString) << text_oid;
  }
  const ColumnPlan money = Plan(oid::kNumeric, NumericModifier(12, 2));
  EXPECT_EQ(ds::TypeName(money.column), "decimal(12,2)");
  EXPECT_EQ(money.source_type, "numeric(12,2)");
}

TEST(PlanColumnTest, NumericWithoutPrecisionOrAbove18DigitsAsksForACastOrADeclaration) {
  for (const std::string& error : {PlanError(oid::kNumeric), PlanError(oid::kNumeric,
                                                                        NumericModifier(20, 2))}) {
    EXPECT_NE(error.find("column 'valor'"), std::string::npos) << error;
    EXPECT_NE(error.find("valor::numeric(18,2)"), std::string::npos) << error;
    EXPECT_NE(error.find("`columns`"), std::string::npos) << error;
  }
  EXPECT_NE(PlanError(oid::kNumeric, NumericModifier(20, 2)).find("numeric(20,2)"),
            std::string::npos);
}

TEST(PlanColumnTest, UnmappedTypeNamesTheColumnTypeAndFix) {
  const std::string error = PlanError(oid::kJsonb);
  EXPECT_NE(error.find("column 'valor' has type jsonb"), std::string::npos) << error;
  EXPECT_NE(error.find("valor::text"), std::string::npos) << error;
}

TEST(PlanColumnTest, DeclaredTypeOverridesAnyServerType) {
  ds::Column declared{"ignored", ds::Type::kDecimal, 18, 2};
  const ColumnPlan plan = Plan(oid::kNumeric, -1, declared);
  EXPECT_EQ(plan.column.name, "c");
  EXPECT_EQ(ds::TypeName(plan.column), "decimal(18,2)");
  EXPECT_EQ(Plan(oid::kJsonb, -1, ds::Column{"c", ds::Type::kString}).column.type, ds::Type::kString);
}

TEST_F(AppendValueTest, NumericTextBecomesTheExactUnscaledDecimal) {
  const ColumnPlan plan = Plan(oid::kNumeric, NumericModifier(18, 4));
  const ds::ColumnView column =
      Column(plan, {"99999999999999.9999", "-99999999999999.9999", "0.0001", "-0.5000", "0"});
  EXPECT_EQ(column.DecimalAt(0), 999999999999999999);
  EXPECT_EQ(column.DecimalAt(1), -999999999999999999);
  EXPECT_EQ(column.DecimalAt(2), 1);
  EXPECT_EQ(column.DecimalAt(3), -5000);
  EXPECT_EQ(column.DecimalAt(4), 0);
}

TEST_F(AppendValueTest, NumericThatWouldNeedRoundingOrIsNotANumberIsRefused) {
  const ColumnPlan plan = Plan(oid::kNumeric, -1, ds::Column{"c", ds::Type::kDecimal, 10, 2});
  EXPECT_NE(ErrorOf(plan, "1.005").find("more than 2 digits after the point"), std::string::npos);
  EXPECT_NE(ErrorOf(plan, "NaN").find("not a decimal"), std::string::npos);
  EXPECT_NE(ErrorOf(plan, "123456789.00").find("before the point"), std::string::npos);
}

TEST_F(AppendValueTest, BooleansArriveAsTAndF) {
  const ds::ColumnView column = Column(Plan(oid::kBool), {"t", "f"});
  EXPECT_TRUE(column.BoolAt(0));
  EXPECT_FALSE(column.BoolAt(1));
}

TEST_F(AppendValueTest, TimestamptzInAUtcSessionKeepsItsMicroseconds) {
  // python3: datetime(2024,3,10,12,34,56,789012,tzinfo=timezone.utc).timestamp() * 1e6
  const ds::ColumnView column =
      Column(Plan(oid::kTimestamptz),
             {"2024-03-10 12:34:56.789012+00", "1969-12-31 23:59:59.999999+00"});
  EXPECT_EQ(column.TimestampAt(0), 1710074096789012);
  EXPECT_EQ(column.TimestampAt(1), -1);
}

TEST_F(AppendValueTest, DatesOutsideTheDatasetRangeSayWhatToDo) {
  EXPECT_NE(ErrorOf(Plan(oid::kDate), "infinity").find("no infinity"), std::string::npos);
  EXPECT_NE(ErrorOf(Plan(oid::kDate), "0044-03-15 BC").find("no BC"), std::string::npos);
  EXPECT_NE(ErrorOf(Plan(oid::kTimestamptz), "0044-03-15 12:00:00+00 BC").find("no BC"),
            std::string::npos);
}

TEST_F(AppendValueTest, CharPaddingIsRemovedButOtherStringsAreKeptVerbatim) {
  const ds::ColumnView padded = Column(Plan(oid::kBpchar, 4 + 5), {"CC   ", "  x  "});
  EXPECT_EQ(padded.StringAt(0), "CC");
  EXPECT_EQ(padded.StringAt(1), "  x");
  const ds::ColumnView text = Column(Plan(oid::kText), {"  x \t"});
  EXPECT_EQ(text.StringAt(0), "  x \t");
}

TEST_F(AppendValueTest, FloatSpecialValuesAndShortestTextReadBack) {
  const ds::ColumnView column = Column(Plan(oid::kFloat8), {"NaN", "-Infinity", "0.1", "1e+300"});
  EXPECT_TRUE(std::isnan(column.Float64At(0)));
  EXPECT_EQ(column.Float64At(1), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(column.Float64At(2), 0.1);
  EXPECT_EQ(column.Float64At(3), 1e300);
}

TEST_F(AppendValueTest, InvalidUtf8IsRefusedOnlyWhenTheServerCannotGuaranteeIt) {
  ColumnPlan plan = Plan(oid::kText);
  plan.verify_utf8 = true;
  EXPECT_NE(ErrorOf(plan, "caf\xE9").find("SQL_ASCII"), std::string::npos);
  EXPECT_EQ(Column(plan, {"caf\xC3\xA9"}).StringAt(0), "caf\xC3\xA9");
}

TEST(Utf8Test, OverlongSurrogateAndTruncatedSequencesAreInvalid) {
  EXPECT_TRUE(IsValidUtf8("S\xC3\xA3o \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));      // cut short
}

}  // namespace
}  // namespace sluice::postgres
