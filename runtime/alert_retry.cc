#include "runtime/alert_retry.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace sluice {

using std::chrono::milliseconds;

std::optional<milliseconds> ParseRetryAfter(std::string_view value, TimePoint now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    if (value.size() > 9) return milliseconds(std::chrono::hours(24 * 365));  // "forever"
    return milliseconds(std::stoll(std::string(value)) * 1000);
  }
  // libcurl's date parser reads the three date formats HTTP allows.
  const time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const auto delay = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(delay));
}

milliseconds BackoffDelay(int attempts_made, const AlertRetryPolicy& policy, double jitter_factor) {
  double delay = static_cast<double>(policy.first_delay.count());
  for (int i = 1; i < attempts_made && delay < static_cast<double>(policy.max_delay.count()); ++i) {
    delay *= 2;
  }
  delay = std::min(delay, static_cast<double>(policy.max_delay.count())) * jitter_factor;
  return milliseconds(static_cast<int64_t>(std::llround(std::max(0.0, delay))));
}

DeliveryDecision DecideDelivery(const WebhookResponse& response, int attempts_made,
                                const AlertRetryPolicy& policy, TimePoint now,
                                double jitter_factor) {
  DeliveryDecision decision;
  if (response.interrupted) {
    decision.verdict = DeliveryVerdict::kInterrupted;
    decision.error = "interrupted: the process delivering it stopped";
    return decision;
  }
  const int status = response.status;
  if (status >= 200 && status < 300) {
    decision.verdict = DeliveryVerdict::kDelivered;
    return decision;
  }
  bool retry = false;
  std::optional<milliseconds> delay;
  if (status == 0) {
    decision.error = response.error.empty() ? "no answer" : response.error;
    retry = true;
  } else {
    decision.error = "HTTP " + std::to_string(status);
    if (!response.body_excerpt.empty()) decision.error += ": " + response.body_excerpt;
    if (status == 429) {
      retry = true;
      if (!response.retry_after.empty()) {
        delay = ParseRetryAfter(response.retry_after, now);
        if (delay) {
          delay = std::min(*delay, policy.max_retry_after);
          decision.error += " (Retry-After: " + response.retry_after + ")";
        }
      }
    } else if (status >= 500 || status == 408) {
      retry = true;
    }
  }
  if (!retry) {
    decision.verdict = DeliveryVerdict::kFailed;
    decision.error += " — the receiver refused the alert; check the webhook and the payload";
    return decision;
  }
  if (attempts_made >= policy.max_attempts) {
    decision.verdict = DeliveryVerdict::kFailed;
    decision.error += " — gave up after " + std::to_string(attempts_made) + " tries";
    return decision;
  }
  decision.verdict = DeliveryVerdict::kRetry;
  decision.delay = delay ? *delay : BackoffDelay(attempts_made, policy, jitter_factor);
  return decision;
}

}  // namespace sluice
