#include "scheduler/zoned_time.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

using std::chrono::seconds;

// Seconds since the Unix epoch of `text` read in `zone`.
int64_t Epoch(std::string_view text, const std::string& zone,
              DateAlone date_alone = DateAlone::kStartOfDay) {
  Result<ZonedTimePoint> t = ParseZonedTime(text, zone, date_alone);
  EXPECT_TRUE(t.ok()) << text << ": " << t.message();
  return t.ok() ? std::chrono::duration_cast<seconds>(t->time_since_epoch()).count() : -1;
}

constexpr int64_t k20260308Utc = 1772928000;  // 2026-03-08T00:00:00Z

TEST(ZonedTimeTest, ReadsUtcAndExplicitOffsets) {
  EXPECT_EQ(Epoch("2026-03-08T00:00:00Z", "Asia/Tokyo"), k20260308Utc);
  EXPECT_EQ(Epoch("2026-03-08T05:30:00+05:30", "UTC"), k20260308Utc);
  EXPECT_EQ(Epoch("2026-03-08T05:30:00+0530", "UTC"), k20260308Utc);
  EXPECT_EQ(Epoch("2026-03-07T19:00:00-05", "UTC"), k20260308Utc);
  EXPECT_EQ(Epoch("2026-03-08 00:00z", "UTC"), k20260308Utc);
}

TEST(ZonedTimeTest, WithoutOffsetReadsTheZonesWallClock) {
  EXPECT_EQ(Epoch("2026-03-07T19:00", "America/New_York"), k20260308Utc);
  EXPECT_EQ(Epoch("2026-03-08T05:45:00", "Asia/Kathmandu"), k20260308Utc);
}

TEST(ZonedTimeTest, ADateAloneIsTheStartOrTheEndOfThatDay) {
  EXPECT_EQ(Epoch("2026-03-08", "UTC"), k20260308Utc);
  EXPECT_EQ(Epoch("2026-03-08", "UTC", DateAlone::kEndOfDay), k20260308Utc + 86400 - 1);
  // Sao Paulo, 2018-11-04: the day began at 01:00 -02:00 (midnight was skipped).
  EXPECT_EQ(Epoch("2018-11-04", "America/Sao_Paulo"), Epoch("2018-11-04T03:00:00Z", "UTC"));
}

TEST(ZonedTimeTest, SkippedWallClockTimeIsTheChangeAndRepeatedIsTheFirstOccurrence) {
  EXPECT_EQ(Epoch("2026-03-08T02:30", "America/New_York"), Epoch("2026-03-08T07:00:00Z", "UTC"));
  EXPECT_EQ(Epoch("2026-11-01T01:30", "America/New_York"), Epoch("2026-11-01T05:30:00Z", "UTC"));
}

TEST(ZonedTimeTest, KeepsFractionsOfASecond) {
  const Result<ZonedTimePoint> t = ParseZonedTime("2026-03-08T00:00:00.25Z", "UTC", DateAlone::kStartOfDay);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count(),
            k20260308Utc * 1000 + 250);
  EXPECT_EQ(FormatZonedTime(*t, "UTC"), "2026-03-08T00:00:00.25+00:00");
}

TEST(ZonedTimeTest, RejectsMalformedTextAndSaysWhatToWrite) {
  for (const char* bad : {"", "2026-3-8", "2026-03-08T6:00", "2026-03-08T06", "tomorrow",
                          "2026-03-08T06:00:00+5", "2026-03-08T06:00:00 UTC", "2026-03-08T06:00:00."}) {
    const Result<ZonedTimePoint> t = ParseZonedTime(bad, "UTC", DateAlone::kStartOfDay);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_NE(t.message().find("is not an ISO 8601 date or date-time \u2014 write a date such as "
                               "2026-03-08"),
              std::string::npos)
        << t.message();
  }
  EXPECT_NE(ParseZonedTime("2026-02-30", "UTC", DateAlone::kStartOfDay).message().find("does not exist"),
            std::string::npos);
  EXPECT_NE(ParseZonedTime("2026-02-01T24:00", "UTC", DateAlone::kStartOfDay).message().find("out of range"),
            std::string::npos);
  EXPECT_NE(ParseZonedTime("3026-02-01", "UTC", DateAlone::kStartOfDay).message().find("write a year from 1900 to 2150"),
            std::string::npos);
}

TEST(ZonedTimeTest, FormatsWithTheZonesOffset) {
  const ZonedTimePoint t{seconds(k20260308Utc + 7 * 3600)};
  EXPECT_EQ(FormatZonedTime(t, "America/New_York"), "2026-03-08T03:00:00-04:00");
  EXPECT_EQ(FormatZonedTime(t, "Australia/Lord_Howe"), "2026-03-08T18:00:00+11:00");
  EXPECT_EQ(FormatZonedTime(t, "UTC"), "2026-03-08T07:00:00+00:00");
}

}  // namespace
}  // namespace sluice
