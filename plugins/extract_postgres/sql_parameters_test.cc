#include "sql_parameters.h"

#include <gtest/gtest.h>

namespace sluice::postgres {
namespace {

TEST(SqlParametersTest, HighestNumberCountsEvenWhenOthersAreSkippedOrRepeated) {
  EXPECT_EQ(HighestParameter("SELECT 1"), 0);
  EXPECT_EQ(HighestParameter("SELECT * FROM t WHERE a >= $1 AND a < $2"), 2);
  EXPECT_EQ(HighestParameter("SELECT $2, $1, $2"), 2);
  EXPECT_EQ(HighestParameter("SELECT $3"), 3);  // the server then needs three values
  EXPECT_EQ(HighestParameter("SELECT $12::int"), 12);
  EXPECT_EQ(HighestParameter("SELECT ($1)"), 1);
}

TEST(SqlParametersTest, DollarsInsideStringsCommentsAndIdentifiersAreNotParameters) {
  EXPECT_EQ(HighestParameter("SELECT '$1', 'it''s $2' WHERE x = $1"), 1);
  EXPECT_EQ(HighestParameter("SELECT E'\\' $5 ' AS x, $1"), 1);
  EXPECT_EQ(HighestParameter("SELECT \"col$9\", \"a\"\"$8\" FROM t WHERE a = $1"), 1);
  EXPECT_EQ(HighestParameter("SELECT 1 -- $4\n, $2"), 2);
  EXPECT_EQ(HighestParameter("SELECT /* $7 /* nested $6 */ still $5 */ $1"), 1);
  EXPECT_EQ(HighestParameter("SELECT $$ $3 $$, $tag$ $4 $$ $tag$, $1"), 1);
  EXPECT_EQ(HighestParameter("SELECT a$1 FROM t"), 0);
}

TEST(SqlParametersTest, UnclosedQuotesStopTheScanWithoutReadingPastTheEnd) {
  EXPECT_EQ(HighestParameter("SELECT $1, 'open $2"), 1);
  EXPECT_EQ(HighestParameter("SELECT $1 /* open $2"), 1);
  EXPECT_EQ(HighestParameter("SELECT $1, $q$ open $2"), 1);
  EXPECT_EQ(HighestParameter("SELECT $"), 0);
}

}  // namespace
}  // namespace sluice::postgres
