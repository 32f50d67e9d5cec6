#include "scheduler/run_request.h"

#include <cctz/time_zone.h>

#include <cstdlib>
#include <map>
#include <ctime>
#include <random>

#include <nlohmann/json.hpp>

namespace sluice {
namespace {

// ISO 8601 with the zone's offset: "2026-03-08T03:00:00-04:00".
std::string FormatInZone(TimePoint t, const cctz::time_zone& zone) {
  return cctz::format("%Y-%m-%dT%H:%M:%E*S%Ez",
                      std::chrono::time_point_cast<std::chrono::microseconds>(t), zone);
}

}  // namespace

std::string NewRunId(TimePoint now) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
  static std::mt19937 rng(std::random_device{}());
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", static_cast<unsigned>(rng() & 0xffffff));
  return std::string(stamp) + "-" + suffix;
}

Result<std::pair<std::string, std::string>> ParseParamArgument(const std::string& arg) {
  const size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::Error("--param '" + arg + "' is not of the form name=value");
  }
  return std::make_pair(arg.substr(0, eq), arg.substr(eq + 1));
}

Result<PreparedRun> PrepareRun(const DagSpec& dag, const RunRequest& request, TimePoint now) {
  std::map<std::string, std::string> params;
  for (const auto& [name, value] : dag.params) params[name] = value;
  for (const auto& [name, value] : request.overrides) {
    if (params.count(name) == 0) {
      std::string declared;
      for (const auto& [n, unused] : dag.params) declared += (declared.empty() ? "" : ", ") + n;
      return Status::Error("unknown param '" + name + "' for DAG '" + dag.id + "' — " +
                           (declared.empty() ? std::string("this DAG declares no params")
                                             : "declared params: " + declared));
    }
    params[name] = value;
  }
  RunRecord r;
  r.run_id = NewRunId(now);
  r.dag_id = dag.id;
  r.state = "queued";
  r.trigger = request.trigger;
  const TimePoint logical = request.logical_date.value_or(now);
  r.logical_date = FormatUtc(logical);
  r.data_interval_start = FormatUtc(request.interval_start.value_or(logical));
  r.data_interval_end = r.logical_date;
  r.dag_file = dag.file;
  r.dag_hash = dag.content_hash;
  r.created_at = FormatUtc(now);
  r.params_json = nlohmann::json(params).dump();
  r.trigger_file = request.trigger_file;
  return PrepareRecordedRun(dag, r);
}

Result<PreparedRun> PrepareManualRun(
    const DagSpec& dag, const std::vector<std::pair<std::string, std::string>>& overrides,
    TimePoint now) {
  RunRequest request;
  request.trigger = "foreground";
  request.overrides = overrides;
  return PrepareRun(dag, request, now);
}

Result<PreparedRun> PrepareRecordedRun(const DagSpec& dag, const RunRecord& record) {
  cctz::time_zone zone;
  if (!cctz::load_time_zone(dag.timezone, &zone)) {
    return Status::Error("unknown time zone '" + dag.timezone + "' in DAG '" + dag.id + "'");
  }
  auto in_zone = [&](const std::string& utc) -> Result<std::string> {
    std::optional<TimePoint> t = ParseUtc(utc);
    if (!t) return Status::Error("run " + record.run_id + " has an unreadable date '" + utc + "'");
    return FormatInZone(*t, zone);
  };
  PreparedRun prepared;
  prepared.record = record;
  TemplateValues& v = prepared.values;
  for (const auto& [name, value] : dag.params) v.params[name] = value;
  const nlohmann::json params = nlohmann::json::parse(record.params_json, nullptr, false);
  if (params.is_object()) {
    for (const auto& [name, value] : params.items()) {
      // Only params the DAG still declares; the file may have changed since the run was queued.
      if (v.params.count(name) != 0 && value.is_string()) v.params[name] = value.get<std::string>();
    }
  }
  v.run_id = record.run_id;
  Result<std::string> logical = in_zone(record.logical_date);
  Result<std::string> start = in_zone(record.data_interval_start);
  Result<std::string> end = in_zone(record.data_interval_end);
  for (const auto* r : {&logical, &start, &end}) {
    if (!r->ok()) return r->status();
  }
  v.logical_date = *logical;
  v.data_interval_start = *start;
  v.data_interval_end = *end;
  v.ds = v.logical_date.substr(0, 10);
  v.trigger_file = record.trigger_file;
  v.env = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  return prepared;
}

}  // namespace sluice
