// Alerts: what happened (AlertEvent), where it goes (AlertRoute), and how it enters the
// outbox (EnqueueAlert). Delivery is alert_dispatcher.h's job; see docs/alerts.md.
#ifndef SLUICE_RUNTIME_ALERT_H_
#define SLUICE_RUNTIME_ALERT_H_

#include <string>
#include <string_view>
#include <vector>

#include "runtime/state_store.h"
#include "runtime/status.h"

namespace sluice {

/// The event kinds, as written in `on:` lists and stored in the outbox.
inline constexpr std::string_view kAlertKinds[] = {"failure", "retry",    "success",
                                                   "recovery", "sla_miss", "dag_broken"};
bool IsAlertKind(std::string_view kind);

/// Where alerts of chosen kinds go: a DAG's `alerts:` entry or one of HOME/sluice.yaml.
struct AlertRoute {
  std::string webhook;              // as written; may hold ${ENV} references, resolved only at delivery
  std::vector<std::string> on;      // event kinds: failure, retry, success, recovery, sla_miss, dag_broken
  std::string template_json;        // optional custom body (receivers that are not Slack); empty: Slack payload
};

struct AlertEvent {
  std::string kind;                 // one of the kinds above
  std::string dag_id, run_id, task_id;  // task_id empty for run-level events
  int attempt = 0;                  // 0 for run-level events
  int max_attempts = 0;
  std::string error;                // the failure's error text (redacted by the caller); excerpted by you
  std::string log_path;
  std::string logical_date;
  std::string next_attempt_at;      // for `retry`
  std::string at;                   // when it happened, FormatUtc
  std::string file;                 // for `dag_broken`: the DAG file (run_id is empty)
};

/// The longest error excerpt an alert carries, in bytes; a longer error keeps its first
/// lines (where the cause usually is) and says how much was left out.
inline constexpr size_t kAlertErrorExcerptBytes = 1500;
inline constexpr size_t kAlertErrorExcerptLines = 25;
std::string ErrorExcerpt(std::string_view error);

/// Writes one outbox row per route whose `on` lists event.kind. Call it inside the
/// transaction that records the event's state transition.
Status EnqueueAlert(StateStore& store, const AlertEvent& event, const std::vector<AlertRoute>& routes);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_ALERT_H_
