// For tests of the Prometheus exposition (runtime/metrics_test.cc,
// scheduler/scheduler_metrics_test.cc).
#ifndef SLUICE_RUNTIME_METRICS_TEST_UTIL_H_
#define SLUICE_RUNTIME_METRICS_TEST_UTIL_H_

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice {

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// Series of a family may come in any order: each expected line must be there, whole.
inline void ExpectLines(const std::string& text, const std::vector<std::string>& expected) {
  const std::vector<std::string> lines = Lines(text);
  for (const std::string& line : expected) {
    EXPECT_NE(std::find(lines.begin(), lines.end(), line), lines.end())
        << "missing line: " << line << "\nin:\n"
        << text;
  }
}

}  // namespace sluice

#endif  // SLUICE_RUNTIME_METRICS_TEST_UTIL_H_
