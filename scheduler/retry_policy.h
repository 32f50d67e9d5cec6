// When a failed attempt is tried again, and after how long (a task's TaskPolicy, dag.h).
// Pure functions of the policy: the randomness of the jitter comes in as an argument.
#ifndef SLUICE_SCHEDULER_RETRY_POLICY_H_
#define SLUICE_SCHEDULER_RETRY_POLICY_H_

#include <optional>

#include "scheduler/dag.h"

namespace sluice {

/// Without `max_retry_delay`, exponential waits stop growing here.
inline constexpr Duration kLongestRetryWait = std::chrono::hours(24);

/// Whether a task may make another attempt after `attempts_made` attempts, the last of which
/// failed. `exit_code` is set when the attempt's process exited with a code; `retry_exit_codes`
/// only filters those: a timed-out attempt, or one killed by a signal, is always retried
/// while retries remain.
bool MayRetry(const TaskPolicy& policy, int attempts_made, const std::optional<int>& exit_code,
              bool timed_out);

/// The wait before the attempt that follows failed attempt `failed_attempt` (1 for the
/// first). fixed: retry_delay; exponential: retry_delay * 2^(failed_attempt - 1). Then up to
/// `retry_jitter` longer, by `unit_random` (in [0, 1)), so that tasks failing together do not
/// retry together; never above max_retry_delay (or kLongestRetryWait).
Duration RetryWait(const TaskPolicy& policy, int failed_attempt, double unit_random);

/// A uniform random number in [0, 1) for RetryWait.
double UnitRandom();

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_RETRY_POLICY_H_
