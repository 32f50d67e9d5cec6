// Fire times checked by hand, one behaviour each. The offsets in the expected strings are
// the zones' real ones (tzdata); the brute-force comparison is schedule_oracle_test.cc.
#include "scheduler/schedule.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scheduler/zoned_time.h"

namespace sluice {
namespace {

using TimePoint = Schedule::TimePoint;

TimePoint At(std::string_view text, const std::string& zone = "UTC") {
  Result<TimePoint> t = ParseZonedTime(text, zone, DateAlone::kStartOfDay);
  EXPECT_TRUE(t.ok()) << t.message();
  return t.ok() ? *t : TimePoint();
}

// The next `count` fire times after `after` (a wall-clock time in `zone` unless it has an
// offset), formatted in `zone`.
std::vector<std::string> Fires(std::string_view expression, const std::string& zone,
                               std::string_view after, int count,
                               std::optional<TimePoint> start = std::nullopt,
                               std::optional<TimePoint> end = std::nullopt) {
  Result<Schedule> schedule = Schedule::Create(expression, zone, start, end);
  EXPECT_TRUE(schedule.ok()) << schedule.message();
  std::vector<std::string> out;
  if (!schedule.ok()) return out;
  TimePoint t = At(after, zone);
  for (int i = 0; i < count; ++i) {
    Result<std::optional<TimePoint>> next = schedule->NextAfter(t);
    EXPECT_TRUE(next.ok()) << next.message();
    if (!next.ok() || !*next) break;
    t = **next;
    out.push_back(FormatZonedTime(t, zone));
  }
  return out;
}

using Times = std::vector<std::string>;

TEST(CronScheduleTest, FiresAtMatchingWallClockTimesInTheZone) {
  EXPECT_EQ(Fires("0 6 * * *", "Europe/Paris", "2026-07-01T12:00", 2),
            (Times{"2026-07-02T06:00:00+02:00", "2026-07-03T06:00:00+02:00"}));
  EXPECT_EQ(Fires("30 9 * * MON-FRI", "Asia/Kolkata", "2026-01-02T12:00", 2),
            (Times{"2026-01-05T09:30:00+05:30", "2026-01-06T09:30:00+05:30"}));
  EXPECT_EQ(Fires("0 6 * * *", "Asia/Kathmandu", "2026-01-01T00:00:00Z", 1),
            (Times{"2026-01-01T06:00:00+05:45"}));
}

TEST(CronScheduleTest, NextIsStrictlyAfterTheGivenInstant) {
  EXPECT_EQ(Fires("0 6 * * *", "UTC", "2026-07-01T06:00:00Z", 1), (Times{"2026-07-02T06:00:00+00:00"}));
  EXPECT_EQ(Fires("0 6 * * *", "UTC", "2026-07-01T05:59:59.5Z", 1), (Times{"2026-07-01T06:00:00+00:00"}));
}

TEST(CronScheduleTest, FixedTimeSkippedBySpringForwardFiresAtTheChange) {
  // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT (07:00Z); 02:30 does not exist.
  EXPECT_EQ(Fires("30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", 2),
            (Times{"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"}));
  EXPECT_EQ(At("2026-03-08T03:00:00-04:00"), At("2026-03-08T07:00:00Z"));
}

TEST(CronScheduleTest, SeveralSkippedTimesOfAFixedTimeJobFireOnceAtTheChange) {
  EXPECT_EQ(Fires("0,30 2 * * *", "America/New_York", "2026-03-08T00:00", 2),
            (Times{"2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00"}));
  // 02:00 is skipped and 03:00 is the change itself: one fire, not two.
  EXPECT_EQ(Fires("0 2,3 * * *", "America/New_York", "2026-03-08T00:00", 2),
            (Times{"2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00"}));
  // With seconds: 02:30:00, :20 and :40 are all skipped.
  EXPECT_EQ(Fires("*/20 30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", 3),
            (Times{"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00",
                   "2026-03-09T02:30:20-04:00"}));
}

TEST(CronScheduleTest, FixedTimeSkippedFiresAtTheChangeThenAtItsLaterTimes) {
  EXPECT_EQ(Fires("30 2-3 * * *", "America/New_York", "2026-03-08T00:00", 3),
            (Times{"2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00",
                   "2026-03-09T02:30:00-04:00"}));
}

TEST(CronScheduleTest, WildcardJobSkipsWallClockTimesThatDoNotExist) {
  EXPECT_EQ(Fires("*/15 * * * *", "America/New_York", "2026-03-08T01:40", 3),
            (Times{"2026-03-08T01:45:00-05:00", "2026-03-08T03:00:00-04:00",
                   "2026-03-08T03:15:00-04:00"}));
  EXPECT_EQ(Fires("*/20 * 2 * * *", "America/New_York", "2026-03-08T01:59", 1),
            (Times{"2026-03-09T02:00:00-04:00"}));
}

TEST(CronScheduleTest, FixedTimeRepeatedByFallBackFiresOnceAtTheFirstOccurrence) {
  // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00Z); 01:00-01:59 happen twice.
  EXPECT_EQ(Fires("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", 2),
            (Times{"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}));
  EXPECT_EQ(At("2026-11-01T01:30:00-04:00"), At("2026-11-01T05:30:00Z"));
  // Asked during the second pass, it does not fire again that day.
  EXPECT_EQ(Fires("30 1 * * *", "America/New_York", "2026-11-01T06:10:00Z", 1),
            (Times{"2026-11-02T01:30:00-05:00"}));
}

TEST(CronScheduleTest, WildcardJobFiresAgainInTheRepeatedHour) {
  EXPECT_EQ(Fires("*/30 * * * *", "America/New_York", "2026-11-01T04:45:00Z", 5),
            (Times{"2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00",
                   "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00",
                   "2026-11-01T02:00:00-05:00"}));
}

TEST(CronScheduleTest, LordHoweHalfHourChangesFollowTheSameRules) {
  // 2026-10-04: 02:00 +10:30 becomes 02:30 +11:00.
  EXPECT_EQ(Fires("15 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00", 2),
            (Times{"2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"}));
  EXPECT_EQ(Fires("0 * * * *", "Australia/Lord_Howe", "2026-10-04T00:30", 3),
            (Times{"2026-10-04T01:00:00+10:30", "2026-10-04T03:00:00+11:00",
                   "2026-10-04T04:00:00+11:00"}));
  // 2026-04-05: 02:00 +11:00 becomes 01:30 +10:30; 01:30-01:59 happen twice.
  EXPECT_EQ(Fires("45 1 * * *", "Australia/Lord_Howe", "2026-04-05T00:00", 2),
            (Times{"2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"}));
  EXPECT_EQ(Fires("*/15 * * * *", "Australia/Lord_Howe", "2026-04-05T01:20", 5),
            (Times{"2026-04-05T01:30:00+11:00", "2026-04-05T01:45:00+11:00",
                   "2026-04-05T01:30:00+10:30", "2026-04-05T01:45:00+10:30",
                   "2026-04-05T02:00:00+10:30"}));
}

TEST(CronScheduleTest, SaoPauloMidnightChangesBeforeTwentyNineteen) {
  // 2018-11-04: midnight -03:00 became 01:00 -02:00, so that day had no midnight.
  EXPECT_EQ(Fires("@daily", "America/Sao_Paulo", "2018-11-03T12:00", 2),
            (Times{"2018-11-04T01:00:00-02:00", "2018-11-05T00:00:00-02:00"}));
  EXPECT_EQ(Fires("0 * * * *", "America/Sao_Paulo", "2018-11-03T22:30", 3),
            (Times{"2018-11-03T23:00:00-03:00", "2018-11-04T01:00:00-02:00",
                   "2018-11-04T02:00:00-02:00"}));
  // 2019-02-17: midnight -02:00 became 23:00 -03:00 the day before, repeating 23:00-23:59.
  EXPECT_EQ(Fires("30 23 * * *", "America/Sao_Paulo", "2019-02-16T12:00", 2),
            (Times{"2019-02-16T23:30:00-02:00", "2019-02-17T23:30:00-03:00"}));
  EXPECT_EQ(Fires("30 * * * *", "America/Sao_Paulo", "2019-02-16T22:45", 3),
            (Times{"2019-02-16T23:30:00-02:00", "2019-02-16T23:30:00-03:00",
                   "2019-02-17T00:30:00-03:00"}));
  // No daylight saving since 2019.
  EXPECT_EQ(Fires("0 0 * * *", "America/Sao_Paulo", "2026-11-01T12:00", 1),
            (Times{"2026-11-02T00:00:00-03:00"}));
}

TEST(CronScheduleTest, BothDayFieldsRestrictedFireOnEitherDay) {
  // January 2026: Fridays are the 2nd, 9th, 16th; the 13th is a Tuesday.
  EXPECT_EQ(Fires("0 0 13 * FRI", "UTC", "2026-01-01T00:00", 4),
            (Times{"2026-01-02T00:00:00+00:00", "2026-01-09T00:00:00+00:00",
                   "2026-01-13T00:00:00+00:00", "2026-01-16T00:00:00+00:00"}));
}

TEST(CronScheduleTest, DayOfMonthStartingWithStarMustMatchWithTheWeekday) {
  // '*/2' is days 1, 3, 5, ...: odd days that are Fridays (cronie's DOM_STAR rule).
  EXPECT_EQ(Fires("0 0 */2 * FRI", "UTC", "2026-01-01T00:00", 4),
            (Times{"2026-01-09T00:00:00+00:00", "2026-01-23T00:00:00+00:00",
                   "2026-02-13T00:00:00+00:00", "2026-02-27T00:00:00+00:00"}));
  // '1-31/2' does not start with '*': odd days or Fridays.
  EXPECT_EQ(Fires("0 0 1-31/2 * FRI", "UTC", "2026-01-01T00:00", 4),
            (Times{"2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00",
                   "2026-01-05T00:00:00+00:00", "2026-01-07T00:00:00+00:00"}));
}

TEST(CronScheduleTest, RareDatesAreFoundYearsAhead) {
  EXPECT_EQ(Fires("0 0 29 2 *", "UTC", "2096-03-01T00:00", 1), (Times{"2104-02-29T00:00:00+00:00"}));
}

TEST(CronScheduleTest, StartAndEndDatesBoundTheFireTimes) {
  const TimePoint start = *ParseZonedTime("2026-05-10", "Europe/Paris", DateAlone::kStartOfDay);
  const TimePoint end = *ParseZonedTime("2026-05-12", "Europe/Paris", DateAlone::kEndOfDay);
  EXPECT_EQ(Fires("0 6 * * *", "Europe/Paris", "2026-01-01T00:00", 5, start, end),
            (Times{"2026-05-10T06:00:00+02:00", "2026-05-11T06:00:00+02:00",
                   "2026-05-12T06:00:00+02:00"}));
  const Result<Schedule> schedule = Schedule::Create("0 6 * * *", "Europe/Paris", start, end);
  ASSERT_TRUE(schedule.ok());
  const Result<std::optional<TimePoint>> after_end = schedule->NextAfter(end);
  ASSERT_TRUE(after_end.ok());
  EXPECT_FALSE(after_end->has_value());
}

TEST(CronScheduleTest, StartDateItselfFiresWhenItMatches) {
  const TimePoint start = At("2026-05-10T06:00:00Z");
  EXPECT_EQ(Fires("0 6 * * *", "UTC", "2026-01-01T00:00", 1, start),
            (Times{"2026-05-10T06:00:00+00:00"}));
}

TEST(CronScheduleTest, EndBeforeStartIsAnError) {
  const Result<Schedule> schedule =
      Schedule::Create("0 6 * * *", "UTC", At("2026-05-10"), At("2026-05-09"));
  ASSERT_FALSE(schedule.ok());
  EXPECT_EQ(schedule.message(),
            "end_date 2026-05-09T00:00:00+00:00 is before start_date 2026-05-10T00:00:00+00:00 "
            "\u2014 swap them, or remove end_date");
}

TEST(EveryScheduleTest, FiresAtMultiplesOfTheIntervalFromTheEpoch) {
  EXPECT_EQ(Fires("@every 1h30m", "UTC", "2026-01-01T00:00:00Z", 3),
            (Times{"2026-01-01T01:30:00+00:00", "2026-01-01T03:00:00+00:00",
                   "2026-01-01T04:30:00+00:00"}));
  EXPECT_EQ(Fires("@every 30s", "UTC", "2026-01-01T00:00:10Z", 2),
            (Times{"2026-01-01T00:00:30+00:00", "2026-01-01T00:01:00+00:00"}));
}

TEST(EveryScheduleTest, CountsFromStartDateIgnoringTheZone) {
  const TimePoint start = At("2026-03-08T00:10", "America/New_York");
  // Across the spring-forward change the interval stays 5 real hours.
  EXPECT_EQ(Fires("@every 5h", "America/New_York", "2026-01-01T00:00", 3, start),
            (Times{"2026-03-08T00:10:00-05:00", "2026-03-08T06:10:00-04:00",
                   "2026-03-08T11:10:00-04:00"}));
}

TEST(EveryScheduleTest, RejectsMissingFractionalAndZeroIntervals) {
  EXPECT_NE(Schedule::CheckExpression("@every").message().find("needs a duration"), std::string::npos);
  EXPECT_NE(Schedule::CheckExpression("@every 5 minutes").message().find("is not a duration"),
            std::string::npos);
  EXPECT_NE(Schedule::CheckExpression("@every 1500ms").message().find("whole number of seconds"),
            std::string::npos);
  EXPECT_NE(Schedule::CheckExpression("@every 0s").message().find("whole number of seconds"),
            std::string::npos);
  EXPECT_NE(Schedule::CheckExpression("@everyday").message().find("did you mean"), std::string::npos);
  EXPECT_TRUE(Schedule::CheckExpression("@every 5m").ok());
  EXPECT_TRUE(Schedule::CheckExpression("  @EVERY 1h30m ").ok());
}

TEST(ScheduleTest, ForDagUsesTheDagsZoneAndDates) {
  DagSpec dag;
  dag.id = "d";
  dag.file = "d.yaml";
  dag.schedule = "0 6 * * *";
  dag.timezone = "America/New_York";
  dag.end_date = At("2026-06-01T00:00:00Z");
  const Result<Schedule> schedule = Schedule::ForDag(dag);
  ASSERT_TRUE(schedule.ok()) << schedule.message();
  EXPECT_EQ(schedule->zone_name(), "America/New_York");
  EXPECT_EQ(*schedule->NextAfter(At("2026-05-31T00:00:00Z")).value(), At("2026-05-31T10:00:00Z"));
}

TEST(ScheduleTest, ForDagWithoutScheduleSaysItRunsOnlyWhenTriggered) {
  DagSpec dag;
  dag.id = "manual";
  dag.file = "dags/manual.yaml";
  const Result<Schedule> schedule = Schedule::ForDag(dag);
  ASSERT_FALSE(schedule.ok());
  EXPECT_NE(schedule.message().find("DAG 'manual' has no `schedule`: it runs only when triggered"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice
