// The scheduler's Prometheus metrics: every sluice_* family served at /metrics.
//
// Two kinds. The scheduler's loop reports events and levels as they happen (attempts started
// and finished, task durations, queue depths, loop lag, finished runs); they live in this
// process and start again from zero when it restarts, as Prometheus counters may. The rest
// are counted from the state database at each scrape (runs and task instances by state,
// alert deliveries, DAG files), so they are right whichever process wrote the rows.
// docs/metrics.md lists every family with its labels, buckets and example queries.
//
// Thread-safe: the loop thread calls the setters while HTTP threads call Render.
#ifndef SLUICE_SCHEDULER_SCHEDULER_METRICS_H_
#define SLUICE_SCHEDULER_SCHEDULER_METRICS_H_

#include <cstdint>
#include <string>

#include "runtime/metrics.h"
#include "runtime/state_store.h"
#include "runtime/status.h"

namespace sluice {

class SchedulerMetrics {
 public:
  /// Upper bounds (seconds) of sluice_task_duration_seconds' buckets: 10 ms to 3 h, about
  /// three per decade, so that a 50 ms shell task and a two-hour extract both get quantiles
  /// within a bucket's width.
  static const HistogramBuckets& TaskDurationBuckets();
  /// Upper bounds (seconds) of sluice_scheduler_loop_lag_seconds' buckets: 1 ms to 10 s.
  static const HistogramBuckets& LoopLagBuckets();

  SchedulerMetrics();

  /// sluice_attempts_started_total.
  void AttemptStarted();
  /// sluice_attempts_finished_total{state} (the attempt's state: success, failed, timed_out)
  /// and sluice_task_duration_seconds{dag,task}, which observes `seconds`.
  void AttemptFinished(const std::string& dag_id, const std::string& task_id,
                       const std::string& state, double seconds);
  /// sluice_running_attempts: attempts whose process runs now.
  void SetRunningAttempts(int64_t n);
  /// sluice_queued_tasks: tasks ready to start, waiting for a slot.
  void SetQueuedTasks(int64_t n);
  /// sluice_queued_runs: runs waiting to start.
  void SetQueuedRuns(int64_t n);
  /// sluice_scheduler_loop_lag_seconds: how late a due timer (a schedule fire) was handled.
  void ObserveLoopLag(double seconds);
  /// sluice_runs_finished_total{dag,state}.
  void RunFinished(const std::string& dag_id, const std::string& state);

  /// The whole exposition: the in-process families, then the ones counted from `store`
  /// (StateStore::CountStates): sluice_runs{state}, sluice_task_instances{state},
  /// sluice_alert_deliveries_total{outcome}, sluice_alerts_pending, sluice_dag_files,
  /// sluice_dag_parse_errors, sluice_dags_paused. An error when the database cannot be read.
  /// REQUIRES: no other thread uses `store` meanwhile (StateStore's own contract).
  Result<std::string> Render(StateStore& store) const;

 private:
  MetricsRegistry registry_;
  CounterFamily attempts_started_;
  CounterFamily attempts_finished_;
  HistogramFamily task_duration_;
  GaugeFamily running_attempts_;
  GaugeFamily queued_tasks_;
  GaugeFamily queued_runs_;
  HistogramFamily loop_lag_;
  CounterFamily runs_finished_;
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_SCHEDULER_METRICS_H_
