#include "scheduler/scheduler_metrics.h"

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#ifndef SLUICE_VERSION
#error "SLUICE_VERSION is set by scheduler/CMakeLists.txt"
#endif

namespace sluice {
namespace {

// States that always have a series, even at zero, so that a query or a dashboard panel shows
// 0 rather than "no data" before the first such event. The database may hold others.
const std::vector<std::string> kRunStates = {"queued", "running", "success", "failed"};
const std::vector<std::string> kTaskStates = {"pending", "running",      "success",
                                              "failed",  "up_for_retry", "upstream_failed",
                                              "skipped", "cancelled"};
const std::vector<std::string> kAttemptStates = {"success", "failed", "timed_out"};

// One sample per state: the known states (0 when absent), then any other the database holds.
std::vector<ComputedFamily::Sample> ByState(const std::map<std::string, int64_t>& counts,
                                            const std::vector<std::string>& known) {
  std::vector<ComputedFamily::Sample> samples;
  for (const std::string& state : known) {
    const auto found = counts.find(state);
    samples.push_back(
        {{{"state", state}}, found == counts.end() ? 0.0 : static_cast<double>(found->second)});
  }
  for (const auto& [state, n] : counts) {
    bool is_known = false;
    for (const std::string& k : known) is_known = is_known || k == state;
    if (!is_known) samples.push_back({{{"state", state}}, static_cast<double>(n)});
  }
  return samples;
}

int64_t CountOf(const std::map<std::string, int64_t>& counts, const std::string& key) {
  const auto found = counts.find(key);
  return found == counts.end() ? 0 : found->second;
}

ComputedFamily Gauge(std::string name, std::string help, double value) {
  return {std::move(name), std::move(help), ComputedFamily::Type::kGauge, {{{}, value}}};
}

}  // namespace

const HistogramBuckets& SchedulerMetrics::TaskDurationBuckets() {
  static const HistogramBuckets buckets = {0.01, 0.03, 0.1, 0.3, 1,    3,    10,
                                           30,   60,   300, 900, 1800, 3600, 10800};
  return buckets;
}

const HistogramBuckets& SchedulerMetrics::LoopLagBuckets() {
  static const HistogramBuckets buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                           0.25,  0.5,    1,     2.5,  5,     10};
  return buckets;
}

SchedulerMetrics::SchedulerMetrics()
    : attempts_started_(registry_.AddCounter("sluice_attempts_started_total",
                                             "Task attempts started by this scheduler process.")),
      attempts_finished_(registry_.AddCounter(
          "sluice_attempts_finished_total",
          "Task attempts that ended in this scheduler process, by the attempt's state.")),
      task_duration_(registry_.AddHistogram("sluice_task_duration_seconds",
                                            "Wall time of finished task attempts, by DAG and task.",
                                            TaskDurationBuckets())),
      running_attempts_(registry_.AddGauge("sluice_running_attempts",
                                           "Task attempts whose process is running now.")),
      queued_tasks_(registry_.AddGauge("sluice_queued_tasks",
                                       "Tasks ready to start and waiting for a free slot.")),
      queued_runs_(registry_.AddGauge("sluice_queued_runs", "Runs waiting to start.")),
      loop_lag_(registry_.AddHistogram(
          "sluice_scheduler_loop_lag_seconds",
          "How late the scheduler's loop handled a timer that had come due.", LoopLagBuckets())),
      runs_finished_(registry_.AddCounter(
          "sluice_runs_finished_total",
          "Runs that ended in this scheduler process, by DAG and final state.")) {
  attempts_started_.Increment({}, 0);
  for (const std::string& state : kAttemptStates) {
    attempts_finished_.Increment({{"state", state}}, 0);
  }
  running_attempts_.Set({}, 0);
  queued_tasks_.Set({}, 0);
  queued_runs_.Set({}, 0);
  loop_lag_.Declare({});
  registry_.AddGauge("sluice_build_info", "Always 1; its label names the running version.")
      .Set({{"version", SLUICE_VERSION}}, 1);
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  registry_
      .AddGauge("sluice_scheduler_start_time_seconds",
                "When this scheduler process started, in seconds since the Unix epoch.")
      .Set({}, std::chrono::duration<double>(since_epoch).count());
}

void SchedulerMetrics::AttemptStarted() { attempts_started_.Increment({}); }

void SchedulerMetrics::AttemptFinished(const std::string& dag_id, const std::string& task_id,
                                       const std::string& state, double seconds) {
  attempts_finished_.Increment({{"state", state}});
  task_duration_.Observe({{"dag", dag_id}, {"task", task_id}}, seconds);
}

void SchedulerMetrics::SetRunningAttempts(int64_t n) {
  running_attempts_.Set({}, static_cast<double>(n));
}
void SchedulerMetrics::SetQueuedTasks(int64_t n) { queued_tasks_.Set({}, static_cast<double>(n)); }
void SchedulerMetrics::SetQueuedRuns(int64_t n) { queued_runs_.Set({}, static_cast<double>(n)); }
void SchedulerMetrics::ObserveLoopLag(double seconds) { loop_lag_.Observe({}, seconds); }

void SchedulerMetrics::RunFinished(const std::string& dag_id, const std::string& state) {
  runs_finished_.Increment({{"dag", dag_id}, {"state", state}});
}

Result<std::string> SchedulerMetrics::Render(StateStore& store) const {
  Result<StateCounts> counts = store.CountStates();
  if (!counts) return counts.status();
  const StateCounts& c = *counts;
  std::vector<ComputedFamily> computed;
  computed.push_back({"sluice_runs", "Runs in the state database, by state.",
                      ComputedFamily::Type::kGauge, ByState(c.runs_by_state, kRunStates)});
  computed.push_back({"sluice_task_instances", "Task instances in the state database, by state.",
                      ComputedFamily::Type::kGauge, ByState(c.tasks_by_state, kTaskStates)});
  // Alerts in a final state are never deleted nor leave it, so their counts only grow.
  computed.push_back(
      {"sluice_alert_deliveries_total",
       "Alerts whose delivery ended, by outcome: delivered, or failed for good.",
       ComputedFamily::Type::kCounter,
       {{{{"outcome", "delivered"}}, static_cast<double>(CountOf(c.alerts_by_state, "delivered"))},
        {{{"outcome", "failed"}}, static_cast<double>(CountOf(c.alerts_by_state, "failed"))}}});
  computed.push_back(Gauge("sluice_alerts_pending", "Alerts waiting for delivery or a retry.",
                           static_cast<double>(CountOf(c.alerts_by_state, "pending"))));
  computed.push_back(
      Gauge("sluice_dag_files", "DAG files in the DAG folder.", static_cast<double>(c.dag_files)));
  computed.push_back(Gauge("sluice_dag_parse_errors",
                           "DAG files that do not load (parse or validation errors).",
                           static_cast<double>(c.dag_files_with_errors)));
  computed.push_back(Gauge("sluice_dags_paused", "Paused DAGs that have a DAG file.",
                           static_cast<double>(c.paused_dags)));
  return registry_.Render(computed);
}

}  // namespace sluice
