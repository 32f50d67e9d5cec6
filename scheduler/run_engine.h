// Executes one run of a DAG to its end: starts ready tasks as `sluice task-exec` processes up
// to the parallelism limit, retries failures after their delay, enforces timeouts, marks the
// downstream of a failed task upstream_failed, and records every transition in the state
// store before acting on it.
#ifndef SLUICE_SCHEDULER_RUN_ENGINE_H_
#define SLUICE_SCHEDULER_RUN_ENGINE_H_

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "runtime/process_launcher.h"
#include "runtime/state_store.h"
#include "runtime/status.h"
#include "scheduler/dag.h"
#include "scheduler/run_request.h"

namespace sluice {

struct RunSettings {
  std::string home;                      // SLUICE_HOME: logs/ and workspaces/ live here
  std::string task_exec_binary;          // the sluice binary; run as `BINARY task-exec`
  std::vector<std::string> plugin_dirs;  // passed on to task-exec
  size_t parallelism = 1;
  std::chrono::milliseconds kill_grace{std::chrono::seconds(5)};  // SIGTERM -> SIGKILL
  const std::atomic<bool>* cancel = nullptr;  // set by a signal handler to stop the run
};

/// What a progress view shows of one task.
struct TaskProgress {
  std::string task_id;
  std::string state;  // a TaskStatusName
  int attempt = 0;
  int max_attempts = 1;
  int64_t rows_in = 0;
  int64_t rows_out = 0;
  int64_t bytes_out = 0;
  std::chrono::steady_clock::time_point started{};  // of the current attempt
  std::chrono::steady_clock::time_point ended{};    // when the task reached its state
  std::string error;     // of the last failed attempt
  std::string log_path;  // of the current or last attempt
};

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void OnRunStarted(const RunRecord& run, const std::vector<TaskProgress>& tasks) = 0;
  virtual void OnTaskChanged(const TaskProgress& task) = 0;
  /// Called about every tick_interval() while the run is going; for redrawing elapsed times.
  virtual void OnTick() {}
  virtual std::optional<std::chrono::milliseconds> tick_interval() const { return std::nullopt; }
  virtual void OnRunFinished(const RunRecord& run) = 0;
};

/// Runs `prepared` of `dag` to completion. Returns the finished run record (state "success"
/// or "failed"); an error Status only when the state store itself fails.
Result<RunRecord> ExecuteRun(const DagSpec& dag, const PreparedRun& prepared, StateStore& store,
                             ProcessLauncher& launcher, const RunSettings& settings,
                             RunObserver* observer);

/// Where an attempt's log goes: HOME/logs/DAG/RUN/TASK.N.log (N: the attempt number)
std::string AttemptLogPath(const std::string& home, const std::string& dag_id,
                           const std::string& run_id, const std::string& task_id, int attempt);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_RUN_ENGINE_H_
