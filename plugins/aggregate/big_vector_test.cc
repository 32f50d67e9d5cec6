#include "big_vector.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <numeric>
#include <string>

namespace sluice::aggregate {
namespace {

// Growing across the 2 MB line moves the values from the heap into mapped blocks and between
// blocks; every value must survive each move, and copies must be independent.
TEST(BigVectorTest, KeepsValuesWhileGrowingFromHeapToHugePageBlocks) {
  BigVector<int64_t> values;
  for (int64_t i = 0; i < 1'500'000; ++i) values.push_back(i * 3 - 7);  // 12 MB, several moves
  ASSERT_EQ(values.size(), 1'500'000u);
  int64_t mismatches = 0;
  for (int64_t i = 0; i < 1'500'000; ++i) mismatches += values[static_cast<size_t>(i)] != i * 3 - 7;
  EXPECT_EQ(mismatches, 0);
  BigVector<int64_t> copy = values;
  copy[0] = 42;
  EXPECT_EQ(values[0], -7);
  values.resize(10);
  values.shrink_to_fit();  // back below the line: onto the heap
  EXPECT_EQ(std::accumulate(values.begin(), values.end(), int64_t{0}), 3 * 45 - 70);
  EXPECT_EQ(copy.back(), int64_t{1'499'999} * 3 - 7);
}

// Resident memory of this process in MB, from /proc.
int64_t ResidentMegabytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) / 1024;
  }
  return -1;
}

TEST(BigVectorTest, ReservingALotTouchesNothingUntilUsed) {
  const int64_t before = ResidentMegabytes();
  BigVector<uint64_t> reserved;
  reserved.reserve(size_t{1} << 27);  // 1 GB of address space
  reserved.resize(1000, 5);
  EXPECT_EQ(reserved[999], 5u);
  EXPECT_GE(reserved.capacity(), size_t{1} << 27);
  EXPECT_LT(ResidentMegabytes() - before, 64) << "only the touched block should be resident";
}

}  // namespace
}  // namespace sluice::aggregate
