#include "runtime/alert_retry.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TimePoint Now() { return *ParseUtc("2026-10-21T07:28:00Z"); }

WebhookResponse Answer(int status, std::string retry_after = "") {
  WebhookResponse r;
  r.status = status;
  r.retry_after = std::move(retry_after);
  return r;
}

TEST(AlertRetryTest, RetryAfterIsSecondsOrAnHttpDate) {
  EXPECT_EQ(ParseRetryAfter("1", Now()), milliseconds(1000));
  EXPECT_EQ(ParseRetryAfter(" 120 ", Now()), milliseconds(120000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2026 07:28:30 GMT", Now()), milliseconds(30000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2026 07:00:00 GMT", Now()), milliseconds(0)) << "past";
  EXPECT_FALSE(ParseRetryAfter("soon", Now()).has_value());
  EXPECT_FALSE(ParseRetryAfter("", Now()).has_value());
}

TEST(AlertRetryTest, BackoffDoublesUpToItsCapAndSpansAboutAnHour) {
  AlertRetryPolicy policy;
  EXPECT_EQ(BackoffDelay(1, policy, 1.0), seconds(30));
  EXPECT_EQ(BackoffDelay(2, policy, 1.0), seconds(60));
  EXPECT_EQ(BackoffDelay(3, policy, 1.0), seconds(120));
  EXPECT_EQ(BackoffDelay(30, policy, 1.0), policy.max_delay);
  EXPECT_EQ(BackoffDelay(1, policy, 1.2), seconds(36)) << "jitter scales the delay";
  milliseconds total{0};
  for (int tries = 1; tries < policy.max_attempts; ++tries) total += BackoffDelay(tries, policy, 1.0);
  EXPECT_GT(total, std::chrono::minutes(50));
  EXPECT_LT(total, std::chrono::minutes(75));
}

TEST(AlertRetryTest, AnswersAreDeliveredRetriedOrFailed) {
  AlertRetryPolicy policy;
  EXPECT_EQ(DecideDelivery(Answer(200), 1, policy, Now(), 1.0).verdict, DeliveryVerdict::kDelivered);
  EXPECT_EQ(DecideDelivery(Answer(204), 1, policy, Now(), 1.0).verdict, DeliveryVerdict::kDelivered);

  DeliveryDecision server = DecideDelivery(Answer(503), 2, policy, Now(), 1.0);
  EXPECT_EQ(server.verdict, DeliveryVerdict::kRetry);
  EXPECT_EQ(server.delay, seconds(60));
  EXPECT_NE(server.error.find("HTTP 503"), std::string::npos);

  DeliveryDecision limited = DecideDelivery(Answer(429, "7"), 1, policy, Now(), 1.0);
  EXPECT_EQ(limited.verdict, DeliveryVerdict::kRetry);
  EXPECT_EQ(limited.delay, seconds(7)) << "Retry-After, not the back-off";
  EXPECT_EQ(DecideDelivery(Answer(429), 1, policy, Now(), 1.0).delay, seconds(30));
  EXPECT_EQ(DecideDelivery(Answer(429, "999999"), 1, policy, Now(), 1.0).delay,
            policy.max_retry_after);

  WebhookResponse refused;
  refused.error = "connection refused or unreachable";
  EXPECT_EQ(DecideDelivery(refused, 1, policy, Now(), 1.0).verdict, DeliveryVerdict::kRetry);

  DeliveryDecision not_found = DecideDelivery(Answer(404), 1, policy, Now(), 1.0);
  EXPECT_EQ(not_found.verdict, DeliveryVerdict::kFailed);
  EXPECT_NE(not_found.error.find("HTTP 404"), std::string::npos);
  EXPECT_EQ(DecideDelivery(Answer(400), 1, policy, Now(), 1.0).verdict, DeliveryVerdict::kFailed);

  DeliveryDecision last = DecideDelivery(Answer(500), policy.max_attempts, policy, Now(), 1.0);
  EXPECT_EQ(last.verdict, DeliveryVerdict::kFailed);
  EXPECT_NE(last.error.find("gave up after 8 tries"), std::string::npos) << last.error;

  WebhookResponse cut;
  cut.interrupted = true;
  EXPECT_EQ(DecideDelivery(cut, 1, policy, Now(), 1.0).verdict, DeliveryVerdict::kInterrupted);
}

}  // namespace
}  // namespace sluice
