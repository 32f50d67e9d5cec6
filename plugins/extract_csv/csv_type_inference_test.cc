#include "csv_type_inference.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::csv {
namespace {

namespace ds = sluice::dataset;

std::string Inferred(const std::vector<std::string>& values) {
  ColumnTypeGuess guess;
  for (const std::string& v : values) guess.Observe(v);
  return ds::TypeName(guess.Result("c"));
}

TEST(ColumnTypeGuessTest, TheNarrowestTypeThatFitsEveryValueWins) {
  EXPECT_EQ(Inferred({"1", "-2", "+3", "0"}), "int64");
  EXPECT_EQ(Inferred({"1", "2.5", "-0.125"}), "decimal(18,3)");
  EXPECT_EQ(Inferred({"12.30", "7"}), "decimal(18,2)");
  EXPECT_EQ(Inferred({"1e3", "2.5"}), "float64");
  EXPECT_EQ(Inferred({"2024-02-29", "1970-01-01"}), "date");
  EXPECT_EQ(Inferred({"2024-02-29", "2024-03-01 10:00:00"}), "timestamp");
  EXPECT_EQ(Inferred({"2024-03-01T10:00:00Z"}), "timestamp");
  EXPECT_EQ(Inferred({"true", "FALSE", "1"}), "bool");
  EXPECT_EQ(Inferred({"1", "abc"}), "string");
}

TEST(ColumnTypeGuessTest, OneMisfitWidensTheWholeColumn) {
  EXPECT_EQ(Inferred({"1", "2", "3", "4.5"}), "decimal(18,1)");
  EXPECT_EQ(Inferred({"2024-01-01", "2024-13-01"}), "string");  // month 13 is no date
  EXPECT_EQ(Inferred({"true", "yes"}), "string");
}

TEST(ColumnTypeGuessTest, LeadingZerosKeepCodesAsStrings) {
  EXPECT_EQ(Inferred({"007", "12"}), "string");
  EXPECT_EQ(Inferred({"01.5"}), "string");
  EXPECT_EQ(Inferred({"0.5", "0"}), "decimal(18,1)");
}

TEST(ColumnTypeGuessTest, NumbersBeyondDecimalsBecomeFloat64) {
  EXPECT_EQ(Inferred({"99999999999999999999"}), "float64");           // past int64
  EXPECT_EQ(Inferred({"1234567890.5", "0.123456789"}), "float64");   // 10 + 9 digits > 18
  EXPECT_EQ(Inferred({"123456789.5", "0.123456789"}), "decimal(18,9)");  // 9 + 9 = 18
}

TEST(ColumnTypeGuessTest, WordsAreNotFloats) {
  EXPECT_EQ(Inferred({"nan"}), "string");
  EXPECT_EQ(Inferred({"inf", "1.5"}), "string");
}

TEST(ColumnTypeGuessTest, AColumnWithNoValuesIsAString) { EXPECT_EQ(Inferred({}), "string"); }

}  // namespace
}  // namespace sluice::csv
