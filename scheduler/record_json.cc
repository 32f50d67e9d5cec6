#include "scheduler/record_json.h"

#include <nlohmann/json.hpp>

namespace sluice {

using nlohmann::json;

json RunJson(const RunRecord& r) {
  return {{"run_id", r.run_id},
          {"dag_id", r.dag_id},
          {"state", r.state},
          {"trigger", r.trigger},
          {"logical_date", r.logical_date},
          {"data_interval_start", r.data_interval_start},
          {"data_interval_end", r.data_interval_end},
          {"params", json::parse(r.params_json.empty() ? "{}" : r.params_json, nullptr, false)},
          {"dag_file", r.dag_file},
          {"created_at", r.created_at},
          {"started_at", r.started_at},
          {"ended_at", r.ended_at}};
}

json AttemptJson(const AttemptRecord& a) {
  json j = {{"attempt", a.attempt},        {"state", a.state},
            {"pid", a.pid},                {"started_at", a.started_at},
            {"ended_at", a.ended_at},      {"error", a.error},
            {"rows_in", a.rows_in},        {"rows_out", a.rows_out},
            {"bytes_out", a.bytes_out},    {"peak_rss_kb", a.peak_rss_kb},
            {"log_path", a.log_path}};
  j["exit_code"] = a.exit_code ? json(*a.exit_code) : json(nullptr);
  j["signal"] = a.term_signal ? json(*a.term_signal) : json(nullptr);
  return j;
}

// The route appears as written ("${SLACK_WEBHOOK_URL}"), never resolved: no secret leaves.
json AlertJson(const AlertRecord& a) {
  return {{"id", a.id},
          {"created_at", a.created_at},
          {"kind", a.kind},
          {"dag_id", a.dag_id},
          {"run_id", a.run_id},
          {"task_id", a.task_id},
          {"attempt", a.attempt},
          {"max_attempts", a.max_attempts},
          {"file", a.file},
          {"webhook", a.webhook},
          {"custom_template", !a.template_json.empty()},
          {"state", a.state},
          {"attempts", a.attempts},
          {"next_attempt_at", a.next_attempt_at},
          {"last_attempt_at", a.last_attempt_at},
          {"last_status", a.last_status},
          {"last_error", a.last_error},
          {"delivered_at", a.delivered_at},
          {"collapsed_into", a.collapsed_into}};
}

}  // namespace sluice
