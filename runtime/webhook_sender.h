// The seam between alert delivery and the network: one HTTP POST. The libcurl
// implementation is the product's; tests of the retry rules need no server.
#ifndef SLUICE_RUNTIME_WEBHOOK_SENDER_H_
#define SLUICE_RUNTIME_WEBHOOK_SENDER_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

struct WebhookRequest {
  std::string url;
  std::string body;                  // JSON
  std::vector<std::string> headers;  // "Name: value"; Content-Type: application/json is added
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(10)};
};

struct WebhookResponse {
  int status = 0;             // the HTTP status; 0 when there was no answer
  std::string retry_after;    // the Retry-After header, as received
  std::string body_excerpt;   // the start of the answer's body, for errors (Slack explains there)
  std::string error;          // with status 0: why there was no answer (refused, timed out, ...)
  bool interrupted = false;   // Interrupt() cut it short
};

/// Safe for one thread to Post while another calls Interrupt.
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual WebhookResponse Post(const WebhookRequest& request) = 0;
  /// Makes the Post in progress, and every later one, return at once with `interrupted`.
  virtual void Interrupt() = 0;
};

/// libcurl, http and https only, no redirects followed. Error messages name neither the URL
/// nor its host, so they may be stored and logged.
std::unique_ptr<WebhookSender> MakeCurlWebhookSender();

}  // namespace sluice

#endif  // SLUICE_RUNTIME_WEBHOOK_SENDER_H_
