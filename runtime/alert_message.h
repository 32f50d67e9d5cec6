// The body an alert POSTs: Slack's incoming-webhook JSON (`text` plus `blocks`), or a route's
// own template for receivers that are not Slack. Pure functions: no network, no database.
#ifndef SLUICE_RUNTIME_ALERT_MESSAGE_H_
#define SLUICE_RUNTIME_ALERT_MESSAGE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/state_store.h"
#include "runtime/status.h"

namespace sluice {

/// Where the UI is reached, for the links in alerts, when HOME/sluice.yaml names no `ui_url`.
inline constexpr std::string_view kDefaultUiUrl = "http://127.0.0.1:8080";

/// The names a custom template may use, as `{{ name }}`.
inline constexpr std::string_view kAlertTemplateNames[] = {
    "dag", "task", "run_id", "attempt", "kind", "error", "log_url", "logical_date"};

/// `{ui_url}/runs/{run_id}/tasks/{task_id}/attempts/{n}/log`; empty for run-level alerts.
std::string AlertLogUrl(const AlertRecord& alert, std::string_view ui_url);

/// The message for `alerts`: one alert, or several of one run and route collapsed into one
/// message (the first carries it). REQUIRES: !alerts.empty(), all with the same template.
Result<std::string> AlertBody(const std::vector<AlertRecord>& alerts, std::string_view ui_url);

/// The Slack payload: `text` (the notification line) and `blocks` (DAG, task, run, attempt
/// n/max, the error excerpt in a code block, a link to the attempt's log).
std::string SlackPayload(const std::vector<AlertRecord>& alerts, std::string_view ui_url);

/// `template_json` with each `{{ name }}` replaced by its value, JSON-escaped (the template
/// puts the quotes). An unknown name is an error naming it.
Result<std::string> RenderAlertTemplate(std::string_view template_json,
                                        const std::map<std::string, std::string>& values);

/// Checks a route's template as written: known names only, and valid JSON once rendered.
/// Returns what is wrong and how to fix it; ok when fine.
Status CheckAlertTemplate(std::string_view template_json);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_ALERT_MESSAGE_H_
