#include "scheduler/retry_policy.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

using std::chrono::seconds;

TaskPolicy Policy(int retries, Duration delay, RetryBackoff backoff, double jitter = 0) {
  TaskPolicy policy;
  policy.retries = retries;
  policy.retry_delay = delay;
  policy.retry_backoff = backoff;
  policy.retry_jitter = jitter;
  return policy;
}

TEST(RetryPolicyTest, RetriesStopAfterTheConfiguredNumber) {
  const TaskPolicy policy = Policy(2, seconds(1), RetryBackoff::kFixed);
  EXPECT_TRUE(MayRetry(policy, 1, 1, false));
  EXPECT_TRUE(MayRetry(policy, 2, 1, false));
  EXPECT_FALSE(MayRetry(policy, 3, 1, false)) << "three attempts made: the first and 2 retries";
  EXPECT_FALSE(MayRetry(Policy(0, seconds(1), RetryBackoff::kFixed), 1, 1, false));
}

TEST(RetryPolicyTest, ExitCodesFilterOnlyAttemptsThatExitedWithACode) {
  TaskPolicy policy = Policy(3, seconds(1), RetryBackoff::kFixed);
  policy.retry_exit_codes = {75, 111};
  EXPECT_TRUE(MayRetry(policy, 1, 75, false));
  EXPECT_TRUE(MayRetry(policy, 1, 111, false));
  EXPECT_FALSE(MayRetry(policy, 1, 1, false)) << "exit 1 is not listed";
  EXPECT_TRUE(MayRetry(policy, 1, std::nullopt, false)) << "killed by a signal";
  EXPECT_TRUE(MayRetry(policy, 1, 143, true)) << "timed out, whatever it exited with";
}

TEST(RetryPolicyTest, FixedWaitsAreEqualAndExponentialWaitsDouble) {
  const TaskPolicy fixed = Policy(5, seconds(10), RetryBackoff::kFixed);
  const TaskPolicy exponential = Policy(5, seconds(10), RetryBackoff::kExponential);
  for (int failed = 1; failed <= 4; ++failed) {
    EXPECT_EQ(RetryWait(fixed, failed, 0.5), seconds(10));
    EXPECT_EQ(RetryWait(exponential, failed, 0.5), seconds(10) * (1 << (failed - 1)));
  }
}

TEST(RetryPolicyTest, JitterLengthensEachWaitByAtMostItsFraction) {
  const TaskPolicy policy = Policy(5, seconds(10), RetryBackoff::kExponential, 0.25);
  EXPECT_EQ(RetryWait(policy, 1, 0.0), seconds(10));
  EXPECT_EQ(RetryWait(policy, 1, 0.5), std::chrono::milliseconds(11250));
  EXPECT_EQ(RetryWait(policy, 2, 0.999), std::chrono::milliseconds(24995));
  double lowest = 1e18, highest = 0;
  for (int i = 0; i < 1000; ++i) {
    const double r = UnitRandom();
    ASSERT_GE(r, 0.0);
    ASSERT_LT(r, 1.0);
    lowest = std::min(lowest, r);
    highest = std::max(highest, r);
  }
  EXPECT_LT(lowest, 0.05) << "UnitRandom covers [0, 1)";
  EXPECT_GT(highest, 0.95);
}

TEST(RetryPolicyTest, MaxRetryDelayCapsTheWaitAndAnUncappedOneStopsAtADay) {
  TaskPolicy policy = Policy(50, seconds(10), RetryBackoff::kExponential, 0.1);
  policy.max_retry_delay = seconds(60);
  EXPECT_EQ(RetryWait(policy, 3, 0.0), seconds(40));
  EXPECT_EQ(RetryWait(policy, 4, 0.0), seconds(60));
  EXPECT_EQ(RetryWait(policy, 4, 0.9), seconds(60)) << "jitter never passes the cap";
  policy.max_retry_delay.reset();
  EXPECT_EQ(RetryWait(policy, 45, 0.0), kLongestRetryWait);
  EXPECT_EQ(RetryWait(policy, 1000, 0.0), kLongestRetryWait) << "no overflow";
}

}  // namespace
}  // namespace sluice
