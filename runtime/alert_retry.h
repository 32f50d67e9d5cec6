// What a delivery try's answer means for an alert: delivered, try again later (when), or
// failed for good. Pure functions, so the rules are tested without a server or a clock.
#ifndef SLUICE_RUNTIME_ALERT_RETRY_H_
#define SLUICE_RUNTIME_ALERT_RETRY_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/time_format.h"
#include "runtime/webhook_sender.h"

namespace sluice {

struct AlertRetryPolicy {
  /// Tries in all, the first included; then the alert is `failed`. With the default delays
  /// the 8th try comes about an hour after the first.
  int max_attempts = 8;
  std::chrono::milliseconds first_delay{std::chrono::seconds(30)};  // doubled after each try
  std::chrono::milliseconds max_delay{std::chrono::minutes(30)};
  /// A receiver's Retry-After is honoured up to this long.
  std::chrono::milliseconds max_retry_after{std::chrono::hours(1)};
  /// Each delay is scaled by a random factor in [1 - jitter, 1 + jitter], so that alerts
  /// failing together do not all come back at the same instant.
  double jitter = 0.2;
};

enum class DeliveryVerdict { kDelivered, kRetry, kFailed, kInterrupted };

struct DeliveryDecision {
  DeliveryVerdict verdict = DeliveryVerdict::kFailed;
  std::chrono::milliseconds delay{0};  // for kRetry
  std::string error;                   // what went wrong, for the outbox and the log
};

/// Seconds ("120") or an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT"), as a delay from `now`
/// (never negative); nullopt when unreadable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, TimePoint now);

/// The wait after `attempts_made` tries (1 after the first): first_delay doubled each time,
/// at most max_delay, times `jitter_factor` (from [1 - jitter, 1 + jitter]).
std::chrono::milliseconds BackoffDelay(int attempts_made, const AlertRetryPolicy& policy,
                                       double jitter_factor);

/// 2xx: delivered. 429: again after Retry-After (or the back-off). 5xx, 408, timeouts and
/// connection errors: again after the back-off. Other answers: failed at once. Any retry
/// past max_attempts: failed.
DeliveryDecision DecideDelivery(const WebhookResponse& response, int attempts_made,
                                const AlertRetryPolicy& policy, TimePoint now,
                                double jitter_factor);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_ALERT_RETRY_H_
