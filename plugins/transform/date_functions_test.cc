// format_date and date_trunc across month and year ends, leap days and before 1970.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "date_functions.h"
#include "transform_test_support.h"

namespace sluice::transform {
namespace {

using testing::kNull;
using testing::Texts;
using testing::TestTable;
using Texts_t = std::vector<std::optional<std::string>>;

TEST(DateFunctionsTest, FormatDateAcrossMonthAndYearEnds) {
  TestTable t;
  t.Date("d", {"2023-12-31", "2024-01-01", "2024-02-29", "2024-12-31", "1969-12-31", "1900-03-01", kNull});
  // Day of year: 365 in 2023, 60 for Feb 29, 366 at the end of leap 2024; 1900 was not leap.
  EXPECT_EQ(Texts(t.Eval("format_date(d, '%Y-%m|%d|%j|%y')")),
            (Texts_t{"2023-12|31|365|23", "2024-01|01|001|24", "2024-02|29|060|24",
                     "2024-12|31|366|24", "1969-12|31|365|69", "1900-03|01|060|00", kNull}));
}

TEST(DateFunctionsTest, FormatTimestampWithTimeBeforeTheEpoch) {
  TestTable t;
  t.Timestamp("ts", {"1969-12-31 23:59:59.5", "1970-01-01 00:00:00", "2024-03-10 07:08:09"});
  EXPECT_EQ(Texts(t.Eval("format_date(ts, '%F %T %% %H%M%S')")),
            (Texts_t{"1969-12-31 23:59:59 % 235959", "1970-01-01 00:00:00 % 000000",
                     "2024-03-10 07:08:09 % 070809"}));
}

TEST(DateFunctionsTest, DateTruncOfDates) {
  TestTable t;
  t.Date("d", {"2024-02-29", "2023-12-31", "1969-07-20", "1900-01-01"});
  EXPECT_EQ(Texts(t.Eval("date_trunc('month', d)")),
            (Texts_t{"2024-02-01", "2023-12-01", "1969-07-01", "1900-01-01"}));
  EXPECT_EQ(Texts(t.Eval("date_trunc('year', d)")),
            (Texts_t{"2024-01-01", "2023-01-01", "1969-01-01", "1900-01-01"}));
  EXPECT_EQ(Texts(t.Eval("date_trunc('day', d)")),
            (Texts_t{"2024-02-29", "2023-12-31", "1969-07-20", "1900-01-01"}));
  EXPECT_EQ(t.TypeOf("date_trunc('month', d)"), ExprType::Date());
}

TEST(DateFunctionsTest, DateTruncOfTimestampsKeepsTheType) {
  TestTable t;
  t.Timestamp("ts", {"1969-12-31 23:59:59.5", "2024-12-31 23:59:59", "2024-03-01 00:00:00"});
  EXPECT_EQ(Texts(t.Eval("date_trunc('day', ts)")),
            (Texts_t{"1969-12-31 00:00:00", "2024-12-31 00:00:00", "2024-03-01 00:00:00"}));
  EXPECT_EQ(Texts(t.Eval("date_trunc('month', ts)")),
            (Texts_t{"1969-12-01 00:00:00", "2024-12-01 00:00:00", "2024-03-01 00:00:00"}));
  EXPECT_EQ(Texts(t.Eval("date_trunc('year', ts)")),
            (Texts_t{"1969-01-01 00:00:00", "2024-01-01 00:00:00", "2024-01-01 00:00:00"}));
  EXPECT_EQ(t.TypeOf("date_trunc('year', ts)"), ExprType::Timestamp());
}

TEST(DateFunctionsTest, DateAndTimestampParseTheirLiterals) {
  TestTable t;
  t.Int64("x", {1});
  EXPECT_EQ(Texts(t.Eval("date('1960-02-29')")), (Texts_t{"1960-02-29"}));
  EXPECT_EQ(Texts(t.Eval("timestamp('1960-02-29 13:14:15')")), (Texts_t{"1960-02-29 13:14:15"}));
  EXPECT_EQ(Texts(t.Eval("cast(date('1969-12-31') as timestamp)")), (Texts_t{"1969-12-31 00:00:00"}));
}

TEST(DateFunctionsTest, DayOfTimestampFloorsBeforeTheEpoch) {
  EXPECT_EQ(DayOfTimestamp(-1), -1);  // one microsecond before 1970 is 1969-12-31
  EXPECT_EQ(DayOfTimestamp(0), 0);
  EXPECT_EQ(DayOfTimestamp(-kMicrosPerDay), -1);
  EXPECT_EQ(DayOfTimestamp(-kMicrosPerDay - 1), -2);
}

TEST(DateFunctionsTest, PatternCheckFindsTheBadDirective) {
  size_t offset = 99;
  EXPECT_EQ(CheckDatePattern("%Y-%m-%d %%", &offset), "");
  EXPECT_NE(CheckDatePattern("%Y %Q", &offset), "");
  EXPECT_EQ(offset, 3u);
  EXPECT_NE(CheckDatePattern("100%", &offset), "");
  EXPECT_EQ(offset, 3u);
}

}  // namespace
}  // namespace sluice::transform
