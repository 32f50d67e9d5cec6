#include "scheduler/fire_plan.h"

#include <gtest/gtest.h>

#include "runtime/time_format.h"

namespace sluice {
namespace {

using TimePoint = Schedule::TimePoint;

TimePoint At(const std::string& utc) {
  std::optional<TimePoint> t = ParseUtc(utc);
  EXPECT_TRUE(t.has_value()) << utc;
  return t.value_or(TimePoint());
}

Schedule Make(const std::string& expression, std::optional<TimePoint> start = std::nullopt,
              std::optional<TimePoint> end = std::nullopt) {
  Result<Schedule> s = Schedule::Create(expression, "UTC", start, end);
  EXPECT_TRUE(s.ok()) << s.message();
  return *s;
}

// "fire<-interval_start" for each owed fire, in UTC.
std::vector<std::string> Describe(const Result<std::vector<OwedFire>>& owed) {
  EXPECT_TRUE(owed.ok()) << owed.message();
  std::vector<std::string> out;
  if (!owed.ok()) return out;
  for (const OwedFire& f : *owed) {
    out.push_back(FormatUtc(f.fire).substr(0, 19) + "<-" + FormatUtc(f.interval_start).substr(0, 19));
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(FirePlanTest, ANewDagWithoutStartDateOwesNothingFromBeforeItWasSeen) {
  const Schedule hourly = Make("0 * * * *");
  const FireFloor floor{std::nullopt, At("2026-05-01T10:30:00Z")};
  EXPECT_TRUE(Describe(OwedFires(hourly, floor, At("2026-05-01T10:45:00Z"), true, 100)).empty());
  EXPECT_EQ(FormatUtc(**NextFire(hourly, floor, At("2026-05-01T10:45:00Z"))),
            "2026-05-01T11:00:00.000000Z");
  EXPECT_EQ(Describe(OwedFires(hourly, floor, At("2026-05-01T11:00:00Z"), false, 100)),
            (Strings{"2026-05-01T11:00:00<-2026-05-01T10:00:00"}));
}

TEST(FirePlanTest, WithoutCatchupOnlyTheLatestMissedFireRunsAfterDowntime) {
  const Schedule hourly = Make("0 * * * *");
  const FireFloor floor{At("2026-05-01T08:00:00Z"), At("2026-05-01T07:00:00Z")};
  EXPECT_EQ(Describe(OwedFires(hourly, floor, At("2026-05-01T12:05:00Z"), false, 100)),
            (Strings{"2026-05-01T12:00:00<-2026-05-01T11:00:00"}));
  EXPECT_EQ(FormatUtc(**NextFire(hourly, floor, At("2026-05-01T12:05:00Z"))),
            "2026-05-01T13:00:00.000000Z");
}

TEST(FirePlanTest, WithCatchupEveryMissedFireRunsInOrderInBatches) {
  const Schedule hourly = Make("0 * * * *");
  const FireFloor floor{At("2026-05-01T08:00:00Z"), At("2026-05-01T07:00:00Z")};
  EXPECT_EQ(Describe(OwedFires(hourly, floor, At("2026-05-01T12:05:00Z"), true, 100)),
            (Strings{"2026-05-01T09:00:00<-2026-05-01T08:00:00",
                     "2026-05-01T10:00:00<-2026-05-01T09:00:00",
                     "2026-05-01T11:00:00<-2026-05-01T10:00:00",
                     "2026-05-01T12:00:00<-2026-05-01T11:00:00"}));
  EXPECT_EQ(Describe(OwedFires(hourly, floor, At("2026-05-01T12:05:00Z"), true, 2)),
            (Strings{"2026-05-01T09:00:00<-2026-05-01T08:00:00",
                     "2026-05-01T10:00:00<-2026-05-01T09:00:00"}));
}

TEST(FirePlanTest, StartDateInThePastIsCaughtUpFromItsFirstFire) {
  const Schedule daily = Make("@daily", At("2026-01-01T00:00:00Z"));
  const FireFloor floor{std::nullopt, At("2026-01-03T05:00:00Z")};
  EXPECT_EQ(Describe(OwedFires(daily, floor, At("2026-01-03T05:00:00Z"), true, 100)),
            (Strings{"2026-01-01T00:00:00<-2025-12-31T00:00:00",
                     "2026-01-02T00:00:00<-2026-01-01T00:00:00",
                     "2026-01-03T00:00:00<-2026-01-02T00:00:00"}));
  EXPECT_EQ(Describe(OwedFires(daily, floor, At("2026-01-03T05:00:00Z"), false, 100)),
            (Strings{"2026-01-03T00:00:00<-2026-01-02T00:00:00"}));
}

TEST(FirePlanTest, NothingIsOwedBeforeStartDateNorAfterEndDate) {
  const Schedule daily =
      Make("@daily", At("2026-01-10T00:00:00Z"), At("2026-01-12T23:59:59Z"));
  const FireFloor fresh{std::nullopt, At("2026-01-01T00:00:00Z")};
  EXPECT_TRUE(Describe(OwedFires(daily, fresh, At("2026-01-05T00:00:00Z"), false, 100)).empty());
  EXPECT_EQ(FormatUtc(**NextFire(daily, fresh, At("2026-01-05T00:00:00Z"))),
            "2026-01-10T00:00:00.000000Z");
  const FireFloor done{At("2026-01-12T00:00:00Z"), At("2026-01-01T00:00:00Z")};
  EXPECT_TRUE(Describe(OwedFires(daily, done, At("2026-02-01T00:00:00Z"), true, 100)).empty());
  EXPECT_FALSE(NextFire(daily, done, At("2026-02-01T00:00:00Z"))->has_value());
}

TEST(FirePlanTest, EverySecondCronOwesTheFireOfTheCurrentSecondNotTheNext) {
  // The scheduler asks a few milliseconds after a fire, not on the second itself.
  const Schedule each_second = Make("* * * * * *");
  const FireFloor floor{At("2026-01-01T00:00:16Z"), At("2026-01-01T00:00:00Z")};
  EXPECT_EQ(Describe(OwedFires(each_second, floor, At("2026-01-01T00:00:17.001Z"), false, 100)),
            (Strings{"2026-01-01T00:00:17<-2026-01-01T00:00:16"}));
  EXPECT_EQ(FormatUtc(**NextFire(each_second, floor, At("2026-01-01T00:00:16.999Z"))),
            "2026-01-01T00:00:17.000000Z");
  const Schedule hourly = Make("0 * * * *");
  EXPECT_EQ(FormatUtc(**hourly.LatestAtOrBefore(At("2026-01-01T10:59:59.999Z"))),
            "2026-01-01T10:00:00.000000Z");
}

TEST(FirePlanTest, IntervalsOfEveryAreOneStepLong) {
  const Schedule every = Make("@every 30s", At("2026-01-01T00:00:00Z"));
  const FireFloor floor{At("2026-01-01T00:01:00Z"), At("2026-01-01T00:00:00Z")};
  EXPECT_EQ(Describe(OwedFires(every, floor, At("2026-01-01T00:02:10Z"), true, 100)),
            (Strings{"2026-01-01T00:01:30<-2026-01-01T00:01:00",
                     "2026-01-01T00:02:00<-2026-01-01T00:01:30"}));
}

}  // namespace
}  // namespace sluice
