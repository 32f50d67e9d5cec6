#include "scheduler/upcoming_fires.h"

#include <gtest/gtest.h>

#include "scheduler/zoned_time.h"

namespace sluice {
namespace {

using Times = std::vector<std::string>;

std::chrono::system_clock::time_point At(std::string_view text) {
  return *ParseZonedTime(text, "UTC", DateAlone::kStartOfDay);
}

DagSpec ScheduledDag(std::string schedule, std::string zone) {
  DagSpec dag;
  dag.id = "nightly";
  dag.file = "dags/nightly.yaml";
  dag.schedule = std::move(schedule);
  dag.timezone = std::move(zone);
  return dag;
}

TEST(NextFireTimesTest, ListsTheNextTimesWithTheZonesOffset) {
  const Result<UpcomingFires> fires =
      NextFireTimes(ScheduledDag("30 2 * * *", "America/New_York"), At("2026-03-07T12:00:00Z"), 3);
  ASSERT_TRUE(fires.ok()) << fires.message();
  EXPECT_EQ(fires->times, (Times{"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00",
                                 "2026-03-10T02:30:00-04:00"}));
  EXPECT_EQ(fires->ended, "");
}

TEST(NextFireTimesTest, StopsAtEndDateAndSaysWhy) {
  DagSpec dag = ScheduledDag("0 6 * * *", "UTC");
  dag.end_date = At("2026-05-11T23:59:59Z");
  const Result<UpcomingFires> fires = NextFireTimes(dag, At("2026-05-10T00:00:00Z"), 5);
  ASSERT_TRUE(fires.ok()) << fires.message();
  EXPECT_EQ(fires->times, (Times{"2026-05-10T06:00:00+00:00", "2026-05-11T06:00:00+00:00"}));
  EXPECT_EQ(fires->ended,
            "no more fire times: DAG 'nightly' ends at its end_date, 2026-05-11T23:59:59+00:00");
  const Result<UpcomingFires> past = NextFireTimes(dag, At("2026-06-01T00:00:00Z"), 5);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->times.empty());
  EXPECT_NE(past->ended.find("no more fire times"), std::string::npos);
}

TEST(NextFireTimesTest, ADagWithoutScheduleIsAnError) {
  const Result<UpcomingFires> fires = NextFireTimes(ScheduledDag("", "UTC"), At("2026-01-01"), 5);
  ASSERT_FALSE(fires.ok());
  EXPECT_NE(fires.message().find("has no `schedule`"), std::string::npos);
}

}  // namespace
}  // namespace sluice
