#include "scheduler/cron_expression.h"

#include <gtest/gtest.h>

#include <vector>

namespace sluice {
namespace {

CronExpression Parsed(std::string_view text) {
  Result<CronExpression> cron = CronExpression::Parse(text);
  EXPECT_TRUE(cron.ok()) << text << ": " << cron.message();
  return cron.ok() ? *cron : *CronExpression::Parse("* * * * *");
}

std::vector<int> Minutes(const CronExpression& cron) {
  std::vector<int> out;
  for (int m = 0; m < 60; ++m) {
    if (cron.MatchesMinute(m)) out.push_back(m);
  }
  return out;
}

// REQUIRES: the day-of-month field is '*', so that the day of the week alone decides.
std::vector<int> Weekdays(const CronExpression& cron) {
  std::vector<int> out;
  for (int d = 0; d < 7; ++d) {
    if (cron.MatchesDay(1, d)) out.push_back(d);
  }
  return out;
}

std::string ErrorOf(std::string_view text) {
  Result<CronExpression> cron = CronExpression::Parse(text);
  EXPECT_FALSE(cron.ok()) << text << " was accepted";
  return cron.message();
}

TEST(CronExpressionTest, ReadsValuesRangesStepsAndLists) {
  EXPECT_EQ(Minutes(Parsed("5 * * * *")), (std::vector<int>{5}));
  EXPECT_EQ(Minutes(Parsed("10-13 * * * *")), (std::vector<int>{10, 11, 12, 13}));
  EXPECT_EQ(Minutes(Parsed("*/15 * * * *")), (std::vector<int>{0, 15, 30, 45}));
  EXPECT_EQ(Minutes(Parsed("1-20/3 * * * *")), (std::vector<int>{1, 4, 7, 10, 13, 16, 19}));
  EXPECT_EQ(Minutes(Parsed("0,30,45-46 * * * *")), (std::vector<int>{0, 30, 45, 46}));
}

TEST(CronExpressionTest, StartWithStepRunsToTheFieldsMaximum) {
  EXPECT_EQ(Minutes(Parsed("5/15 * * * *")), (std::vector<int>{5, 20, 35, 50}));
  const CronExpression hours = Parsed("0 20/2 * * *");
  EXPECT_TRUE(hours.MatchesHour(20));
  EXPECT_TRUE(hours.MatchesHour(22));
  EXPECT_FALSE(hours.MatchesHour(0));
}

TEST(CronExpressionTest, ReadsMonthAndDayNamesInAnyCase) {
  const CronExpression cron = Parsed("0 0 * jan-Mar,dec mon-WED,Sat");
  for (int month = 1; month <= 12; ++month) {
    EXPECT_EQ(cron.MatchesMonth(month), month <= 3 || month == 12) << month;
  }
  EXPECT_EQ(Weekdays(cron), (std::vector<int>{1, 2, 3, 6}));
}

TEST(CronExpressionTest, SevenIsSundayAsWellAsZero) {
  EXPECT_EQ(Weekdays(Parsed("0 0 * * 7")), (std::vector<int>{0}));
  EXPECT_EQ(Weekdays(Parsed("0 0 * * 5-7")), (std::vector<int>{0, 5, 6}));
  EXPECT_EQ(Weekdays(Parsed("0 0 * * 0")), (std::vector<int>{0}));
}

TEST(CronExpressionTest, StarStepOverDaysOfWeekCountsFromSunday) {
  EXPECT_EQ(Weekdays(Parsed("0 0 * * */2")), (std::vector<int>{0, 2, 4, 6}));
}

TEST(CronExpressionTest, BothDayFieldsRestrictedMatchEitherOne) {
  const CronExpression cron = Parsed("0 0 13 * FRI");
  EXPECT_TRUE(cron.MatchesDay(13, 2));  // a Tuesday the 13th
  EXPECT_TRUE(cron.MatchesDay(9, 5));   // a Friday the 9th
  EXPECT_FALSE(cron.MatchesDay(9, 2));
}

TEST(CronExpressionTest, ADayFieldStartingWithStarMakesBothFieldsRequired) {
  const CronExpression cron = Parsed("0 0 */2 * FRI");  // odd days (1, 3, ...) that are Fridays
  EXPECT_TRUE(cron.MatchesDay(9, 5));
  EXPECT_FALSE(cron.MatchesDay(10, 5));
  EXPECT_FALSE(cron.MatchesDay(9, 4));
  const CronExpression weekdays_star = Parsed("0 0 1-10 * */1");
  EXPECT_FALSE(weekdays_star.MatchesDay(11, 5));
  EXPECT_TRUE(weekdays_star.MatchesDay(10, 5));
}

TEST(CronExpressionTest, FixedTimeMeansNeitherMinuteNorHourStartsWithStar) {
  EXPECT_TRUE(Parsed("30 2 * * *").is_fixed_time());
  EXPECT_TRUE(Parsed("0-59 2 * * *").is_fixed_time());
  EXPECT_TRUE(Parsed("@daily").is_fixed_time());
  EXPECT_FALSE(Parsed("*/15 2 * * *").is_fixed_time());
  EXPECT_FALSE(Parsed("0 * * * *").is_fixed_time());
  EXPECT_FALSE(Parsed("@hourly").is_fixed_time());
  EXPECT_TRUE(Parsed("*/10 30 2 * * *").is_fixed_time());  // the seconds field does not count
}

TEST(CronExpressionTest, ShortcutsStandForTheirFields) {
  const CronExpression weekly = Parsed("@weekly");
  EXPECT_TRUE(weekly.MatchesDay(17, 0));
  EXPECT_FALSE(weekly.MatchesDay(1, 1));  // day-of-month is '*': both must match
  const CronExpression monthly = Parsed("@monthly");
  EXPECT_TRUE(monthly.MatchesDay(1, 3));
  EXPECT_FALSE(monthly.MatchesDay(2, 0));
  const CronExpression yearly = Parsed("@ANNUALLY");
  EXPECT_TRUE(yearly.MatchesMonth(1));
  EXPECT_FALSE(yearly.MatchesMonth(2));
  EXPECT_EQ(yearly.text(), "@ANNUALLY");
  EXPECT_TRUE(Parsed("@midnight").MatchesHour(0));
  EXPECT_FALSE(Parsed("@midnight").MatchesHour(1));
}

TEST(CronExpressionTest, SixFieldsStartWithSeconds) {
  const CronExpression cron = Parsed("*/20 0 6 * * *");
  EXPECT_TRUE(cron.has_seconds_field());
  EXPECT_TRUE(cron.MatchesSecond(40));
  EXPECT_FALSE(cron.MatchesSecond(30));
  EXPECT_TRUE(cron.MatchesHour(6));
  const CronExpression five = Parsed("0 6 * * *");
  EXPECT_FALSE(five.has_seconds_field());
  EXPECT_TRUE(five.MatchesSecond(0));
  EXPECT_FALSE(five.MatchesSecond(1));
}

TEST(CronExpressionTest, NextValueFindsTheSmallestMatchAtOrAfter) {
  const CronExpression cron = Parsed("10,40 3-5 * 6 *");
  EXPECT_EQ(cron.NextMinute(0), 10);
  EXPECT_EQ(cron.NextMinute(10), 10);
  EXPECT_EQ(cron.NextMinute(11), 40);
  EXPECT_EQ(cron.NextMinute(41), -1);
  EXPECT_EQ(cron.NextHour(6), -1);
  EXPECT_EQ(cron.NextMonth(1), 6);
  EXPECT_EQ(cron.NextSecond(1), -1);
}

TEST(CronExpressionTest, ErrorsNameTheFieldTheProblemAndTheFix) {
  EXPECT_EQ(ErrorOf("0 6 * * 8"),
            "day-of-week field '8': 8 is out of range \u2014 write values from 0 to 7 (0 and 7 "
            "are Sunday) or SUN-SAT");
  EXPECT_EQ(ErrorOf("60 * * * *"),
            "minute field '60': 60 is out of range \u2014 write values from 0 to 59");
  EXPECT_EQ(ErrorOf("0 24 * * *"), "hour field '24': 24 is out of range \u2014 write values from 0 to 23");
  EXPECT_EQ(ErrorOf("0 0 0 * *"),
            "day-of-month field '0': 0 is out of range \u2014 write values from 1 to 31");
  EXPECT_EQ(ErrorOf("0 0 * 13 *"),
            "month field '13': 13 is out of range \u2014 write values from 1 to 12 or JAN-DEC");
  EXPECT_EQ(ErrorOf("0 0 * * FRY"),
            "day-of-week field 'FRY': 'FRY' is not a number or a day name \u2014 did you mean "
            "'FRI'? write values from 0 to 7 (0 and 7 are Sunday) or SUN-SAT");
  EXPECT_EQ(ErrorOf("0 0 * * xyz"),
            "day-of-week field 'xyz': 'xyz' is not a number or a day name \u2014 write values "
            "from 0 to 7 (0 and 7 are Sunday) or SUN-SAT");
  EXPECT_EQ(ErrorOf("a * * * *"), "minute field 'a': 'a' is not a number \u2014 write values from 0 to 59");
  EXPECT_EQ(ErrorOf("0 22-2 * * *"),
            "hour field '22-2': the range 22-2 goes backwards \u2014 write the smaller value "
            "first; to wrap around, list two ranges such as 2-23,0-22");
  EXPECT_EQ(ErrorOf("*/0 * * * *"),
            "minute field '*/0': step 0 is out of range \u2014 write a step from 1 to 59 after "
            "'/', as in '*/15'");
  EXPECT_EQ(ErrorOf("1,,2 * * * *"),
            "minute field '1,,2': a list has an empty item \u2014 separate values with single "
            "commas, as in 1,15,30");
  EXPECT_EQ(ErrorOf("0 0 ? * MON"),
            "day-of-month field '?': '?' (Quartz syntax) is not cron \u2014 write '*' instead");
  EXPECT_EQ(ErrorOf("5- * * * *"),
            "minute field '5-': '5-' is not a range \u2014 write a range as START-END, such as 0-4");
}

TEST(CronExpressionTest, WrongNumberOfFieldsListsTheAcceptedForms) {
  const std::string error = ErrorOf("0 6 * *");
  EXPECT_EQ(error.rfind("it has 4 fields \u2014 write 5 fields (minute hour "
                        "day-of-month month day-of-week)", 0), 0u) << error;
  EXPECT_NE(error.find("@daily"), std::string::npos) << error;
  EXPECT_NE(ErrorOf("1 2 3 4 5 6 7").find("it has 7 fields"), std::string::npos);
  EXPECT_NE(ErrorOf("   ").find("the expression is empty"), std::string::npos);
}

TEST(CronExpressionTest, UnknownShortcutSuggestsTheClosest) {
  EXPECT_EQ(ErrorOf("@dayly").rfind("unknown shortcut '@dayly' \u2014 did you mean '@daily'?", 0), 0u);
  EXPECT_NE(ErrorOf("@reboot").find("not supported"), std::string::npos);
  EXPECT_NE(ErrorOf("@daily 5").find("stands alone"), std::string::npos);
}

TEST(CronExpressionTest, ExpressionThatCanNeverFireIsRejected) {
  EXPECT_EQ(ErrorOf("0 0 30 2 *"),
            "never fires: no month of month field '2' has a day of day-of-month field '30' "
            "\u2014 pick days that exist in those months: February has 29 days at most (in leap "
            "years); April, June, September and November have 30");
  EXPECT_NE(ErrorOf("0 0 31 4,6,9,11 *").find("never fires"), std::string::npos);
  EXPECT_NE(ErrorOf("0 0 0 31 apr,jun *").find("never fires"), std::string::npos);
  EXPECT_NE(ErrorOf("0 0 30-31 feb */2").find("never fires"), std::string::npos);
  // Feb 29 exists in leap years; with both day fields restricted a Friday is enough.
  EXPECT_TRUE(CronExpression::Parse("0 0 29 2 *").ok());
  EXPECT_TRUE(CronExpression::Parse("0 0 30 2 FRI").ok());
}

}  // namespace
}  // namespace sluice
