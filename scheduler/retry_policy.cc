#include "scheduler/retry_policy.h"

#include <algorithm>
#include <random>

namespace sluice {

bool MayRetry(const TaskPolicy& policy, int attempts_made, const std::optional<int>& exit_code,
              bool timed_out) {
  if (attempts_made > policy.retries) return false;
  if (timed_out || !exit_code || policy.retry_exit_codes.empty()) return true;
  return std::find(policy.retry_exit_codes.begin(), policy.retry_exit_codes.end(), *exit_code) !=
         policy.retry_exit_codes.end();
}

Duration RetryWait(const TaskPolicy& policy, int failed_attempt, double unit_random) {
  const Duration cap = policy.max_retry_delay.value_or(kLongestRetryWait);
  double ms = static_cast<double>(policy.retry_delay.count());
  if (policy.retry_backoff == RetryBackoff::kExponential) {
    // Doubling 40 times passes any cap; stopping there keeps the double finite.
    const int doublings = std::clamp(failed_attempt - 1, 0, 40);
    for (int i = 0; i < doublings; ++i) ms *= 2;
  }
  ms *= 1.0 + policy.retry_jitter * std::clamp(unit_random, 0.0, 1.0);
  ms = std::min(ms, static_cast<double>(cap.count()));
  return Duration(static_cast<Duration::rep>(ms));
}

double UnitRandom() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace sluice
