#include "scheduler/duration.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(DurationTest, ReadsEverySingleUnit) {
  EXPECT_EQ(*ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(*ParseDuration("30s"), seconds(30));
  EXPECT_EQ(*ParseDuration("5m"), minutes(5));
  EXPECT_EQ(*ParseDuration("1h"), hours(1));
  EXPECT_EQ(*ParseDuration("2d"), hours(48));
}

TEST(DurationTest, PlainIntegerMeansSeconds) {
  EXPECT_EQ(*ParseDuration("90"), seconds(90));
  EXPECT_EQ(*ParseDuration("0"), seconds(0));
}

TEST(DurationTest, CombinesUnitsFromLargestToSmallest) {
  EXPECT_EQ(*ParseDuration("1h30m"), minutes(90));
  EXPECT_EQ(*ParseDuration("1d2h3m4s5ms"), hours(26) + minutes(3) + seconds(4) + milliseconds(5));
}

TEST(DurationTest, RejectsMalformedTextAndNamesTheAcceptedForms) {
  for (const char* bad : {"", "5 minutes", "1x", "h", "-5s", "1.5h", "30m1h", "1h1h", "1h30", "s30"}) {
    const Result<Duration> result = ParseDuration(bad);
    EXPECT_FALSE(result.ok()) << bad;
    EXPECT_NE(result.message().find("500ms, 30s, 5m, 1h, 2d"), std::string::npos) << bad;
  }
}

TEST(DurationTest, RejectsValuesThatWouldOverflow) {
  EXPECT_FALSE(ParseDuration("99999999999999999d").ok());
}

TEST(DurationTest, FormatsTheShortestSpellingThatReadsBack) {
  EXPECT_EQ(FormatDuration(minutes(90)), "1h30m");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1s500ms");
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(hours(48)), "2d");
  for (const char* text : {"1d2h3m4s5ms", "30s", "500ms", "1h"}) {
    EXPECT_EQ(FormatDuration(*ParseDuration(text)), text);
  }
}

}  // namespace
}  // namespace sluice
