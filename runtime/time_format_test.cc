#include "runtime/time_format.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(TimeFormatTest, FormatsEpochAsUtcWithMicroseconds) {
  EXPECT_EQ(FormatUtc(TimePoint{}), "1970-01-01T00:00:00.000000Z");
}

TEST(TimeFormatTest, RoundTripsMicroseconds) {
  // 2026-03-08T07:00:00Z is 1772953200 seconds after the epoch (date -u -d @1772953200).
  const TimePoint t = TimePoint(std::chrono::seconds(1772953200)) + std::chrono::microseconds(42);
  EXPECT_EQ(FormatUtc(t), "2026-03-08T07:00:00.000042Z");
  EXPECT_EQ(ParseUtc(FormatUtc(t)), t);
}

TEST(TimeFormatTest, ParsesWithoutFractionAndRejectsGarbage) {
  EXPECT_EQ(ParseUtc("1970-01-01T00:01:00Z"), TimePoint(std::chrono::seconds(60)));
  EXPECT_FALSE(ParseUtc("1970-01-01 00:01:00"));
  EXPECT_FALSE(ParseUtc("1970-01-01T00:01:00.Z"));
  EXPECT_FALSE(ParseUtc("yesterday"));
}

}  // namespace
}  // namespace sluice
