// Delivering the alert outbox (DESIGN.md decision 6; docs/alerts.md).
//
// AlertDelivery does the work on the calling thread: it lists pending alerts, holds a run's
// fresh `failure`/`retry` alerts for a short collapse window so that a storm goes out as one
// message, takes each due alert with a lease (so another process never sends it at the same
// time), resolves the webhook's ${ENV} references, POSTs, and records the outcome.
//
// AlertDispatcher runs AlertDelivery on a thread of its own with its own database
// connection, so the scheduler's loop never waits for a receiver. It sleeps until Notify(),
// the earliest due retry, or at most a minute (alerts other processes left behind): no
// polling, no CPU when idle.
#ifndef SLUICE_RUNTIME_ALERT_DISPATCHER_H_
#define SLUICE_RUNTIME_ALERT_DISPATCHER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "runtime/alert_retry.h"
#include "runtime/state_store.h"
#include "runtime/status.h"
#include "runtime/time_format.h"
#include "runtime/webhook_reference.h"
#include "runtime/webhook_sender.h"

namespace sluice {

struct AlertDeliverySettings {
  std::string ui_url = "http://127.0.0.1:8080";  // links to attempt logs
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};
  AlertRetryPolicy retry;
  /// How long a run's first fresh failure waits for others to join its message.
  std::chrono::milliseconds collapse_window{std::chrono::seconds(2)};
  EnvLookup env = ProcessEnv();
};

/// One line per delivery outcome; the route appears as written, never resolved.
using AlertLog = std::function<void(const std::string& line)>;

/// Delivers alerts from `store` on the calling thread. Safe to run in several processes on
/// one database: each alert is claimed before it is sent.
class AlertDelivery {
 public:
  /// `stop`, when given, ends DeliverDue early once set (with sender.Interrupt()).
  AlertDelivery(StateStore& store, AlertDeliverySettings settings, WebhookSender& sender,
                AlertLog log, const std::atomic<bool>* stop = nullptr);

  /// Delivers every alert due now. `hold_storms`: keep a run's fresh failures for the
  /// collapse window (the scheduler, whose runs go on); false once the run has ended.
  /// Returns when the next pending alert is due; nullopt when none is pending.
  Result<std::optional<TimePoint>> DeliverDue(bool hold_storms);

  /// Where links in the next messages point (the scheduler's config was read again).
  void set_ui_url(std::string ui_url) { settings_.ui_url = std::move(ui_url); }

  /// Caps each request's timeouts (DeliverPendingAlerts' deadline).
  void set_request_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
    request_deadline_ = deadline;
  }

 private:
  // Sends `carrier`'s message, with `join` (fresh alerts of its storm) collapsed into it.
  Status Deliver(const AlertRecord& carrier, const std::vector<AlertRecord>& join);
  Status Record(const AlertRecord& carrier, const DeliveryDecision& decision, int http_status,
                TimePoint now);
  void LogOutcome(const AlertRecord& carrier, size_t carried, int attempts,
                  const DeliveryDecision& decision, int http_status,
                  const std::vector<std::string>& secrets);
  bool stopping() const { return stop_ != nullptr && stop_->load(); }

  StateStore& store_;
  AlertDeliverySettings settings_;
  WebhookSender& sender_;
  AlertLog log_;
  const std::atomic<bool>* stop_;
  std::mt19937_64 random_;
  std::optional<std::chrono::steady_clock::time_point> request_deadline_;
};

/// AlertDelivery on its own thread and database connection.
class AlertDispatcher {
 public:
  /// Opens its own connection to `database_path` and starts the thread, which delivers what
  /// is pending at once (alerts left by a previous process included).
  static Result<std::unique_ptr<AlertDispatcher>> Start(
      const std::string& database_path, AlertDeliverySettings settings, AlertLog log,
      std::unique_ptr<WebhookSender> sender = nullptr);
  ~AlertDispatcher();  // Stop()
  AlertDispatcher(const AlertDispatcher&) = delete;
  AlertDispatcher& operator=(const AlertDispatcher&) = delete;

  /// New alerts were committed: look now. Thread-safe and cheap; call it after each commit
  /// that may have enqueued alerts.
  void Notify();
  /// Links in messages sent from now on point to `ui_url`. Thread-safe; a delivery in flight
  /// keeps the link it has.
  void SetUiUrl(std::string ui_url);
  /// Stops promptly: a delivery in flight is cut short and stays pending (sent after the
  /// next start). Idempotent.
  void Stop();

 private:
  struct Shared;
  explicit AlertDispatcher(std::unique_ptr<Shared> shared);
  std::unique_ptr<Shared> shared_;
};

/// For `sluice run`: delivers the pending alerts (no collapse wait: the run is over, its
/// storm is complete) until none is due or `deadline` passes; requests in flight at the
/// deadline are cut short and stay pending for the scheduler or the next run. Uses `store`
/// on the calling thread.
Status DeliverPendingAlerts(StateStore& store, const AlertDeliverySettings& settings,
                           std::chrono::steady_clock::time_point deadline, const AlertLog& log,
                           std::unique_ptr<WebhookSender> sender = nullptr);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_ALERT_DISPATCHER_H_
