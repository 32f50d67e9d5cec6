#include "sql_text.h"

#include <gtest/gtest.h>

namespace sluice::mysql {
namespace {

TEST(MysqlQuoteTableNameTest, QuotesEachPartWithBackticks) {
  std::string error;
  EXPECT_EQ(QuoteTableName("movimento", &error).value_or(error), "`movimento`");
  EXPECT_EQ(QuoteTableName("sicoop.movimento", &error).value_or(error), "`sicoop`.`movimento`");
  EXPECT_EQ(QuoteTableName("$tmp_2024", &error).value_or(error), "`$tmp_2024`");
  EXPECT_EQ(QuoteTableName("ação", &error).value_or(error), "`ação`");
}

TEST(MysqlQuoteTableNameTest, RefusesAnythingThatCouldCarrySql) {
  for (const char* bad : {"t; DROP TABLE t", "t`", "`t`", "a b", "t'", "t\"", "a.b.c", ".t",
                          "t.", "", "t--", "t/*x*/", "t\n"}) {
    std::string error;
    EXPECT_FALSE(QuoteTableName(bad, &error)) << bad;
    EXPECT_NE(error.find("query"), std::string::npos) << error;  // points to the alternative
  }
}

TEST(MysqlCountPlaceholdersTest, CountsBareQuestionMarks) {
  EXPECT_EQ(CountPlaceholders("SELECT * FROM t WHERE a >= ? AND a < ?"), 2);
  EXPECT_EQ(CountPlaceholders("SELECT 1"), 0);
  EXPECT_EQ(CountPlaceholders("SELECT ?+?"), 2);
}

TEST(MysqlCountPlaceholdersTest, IgnoresQuestionMarksInStringsIdentifiersAndComments) {
  EXPECT_EQ(CountPlaceholders("SELECT '?', \"?\", `a?` FROM t WHERE x = ?"), 1);
  EXPECT_EQ(CountPlaceholders("SELECT 'it''s ?', 'a\\'?' , ?"), 1);
  EXPECT_EQ(CountPlaceholders("SELECT ? -- why?\n, ? # really?\n /* ? */"), 2);
  EXPECT_EQ(CountPlaceholders("SELECT 1--?"), 1);  // "--" without a space is minus minus
}

}  // namespace
}  // namespace sluice::mysql
