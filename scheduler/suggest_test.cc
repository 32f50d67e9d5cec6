#include "scheduler/suggest.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(SuggestTest, EditDistanceCountsASwapOfNeighboursAsOneEdit) {
  EXPECT_EQ(EditDistance("retires", "retries"), 1u);
  EXPECT_EQ(EditDistance("dependson", "depends_on"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("same", "same"), 0u);
}

TEST(SuggestTest, SuggestsTheClosestPlausibleName) {
  const std::vector<std::string> keys = {"id", "plugin", "depends_on", "with", "retries"};
  EXPECT_EQ(ClosestName("dependson", keys), "depends_on");
  EXPECT_EQ(ClosestName("retires", keys), "retries");
  EXPECT_EQ(ClosestName("pluign", keys), "plugin");
}

TEST(SuggestTest, SuggestsNothingWhenNoNameIsClose) {
  const std::vector<std::string> keys = {"id", "plugin", "depends_on"};
  EXPECT_EQ(ClosestName("owner", keys), std::nullopt);
  EXPECT_EQ(ClosestName("anything", {}), std::nullopt);
}

TEST(SuggestTest, NeverSuggestsTheNameItself) {
  EXPECT_EQ(ClosestName("ds", {"ds"}), std::nullopt);
}

TEST(SuggestTest, JoinNamesShortensLongLists) {
  EXPECT_EQ(JoinNames({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(JoinNames({"a", "b", "c"}, 2), "a, b, ... (3 in total)");
}

}  // namespace
}  // namespace sluice
