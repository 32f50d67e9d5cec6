// Drives one run of a DAG, one step at a time, so that one event loop can drive many runs at
// once: starts ready tasks as `sluice task-exec` attempts when the slots allow, retries
// failures after their delay, enforces timeouts, marks the downstream of a failed task
// upstream_failed, and records every transition in the state store before acting on it.
//
// The driver never blocks. Its owner waits on the process launcher and the clock, hands each
// process event to the driver that owns the pid (Owns/Handle), and calls Advance after every
// event and when NextWakeup is due. `sluice run` is this loop around a single driver
// (run_engine.h); the scheduler daemon is the same loop around all of its runs.
#ifndef SLUICE_SCHEDULER_RUN_DRIVER_H_
#define SLUICE_SCHEDULER_RUN_DRIVER_H_

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/attempt_protocol.h"
#include "runtime/instance_lock.h"
#include "runtime/process_launcher.h"
#include "runtime/state_store.h"
#include "runtime/status.h"
#include "scheduler/dag.h"
#include "scheduler/planner.h"
#include "scheduler/run_request.h"
#include "scheduler/task_slots.h"

namespace sluice {

class SchedulerMetrics;

struct RunSettings {
  std::string home;                      // SLUICE_HOME: logs/ and workspaces/ live here
  std::string task_exec_binary;          // the sluice binary; run as `BINARY task-exec`
  std::vector<std::string> plugin_dirs;  // passed on to task-exec
  size_t parallelism = 1;                // `sluice run` only; the scheduler uses TaskSlots
  std::chrono::milliseconds kill_grace{std::chrono::seconds(5)};  // SIGTERM -> SIGKILL
  const std::atomic<bool>* cancel = nullptr;  // set by a signal handler to stop the run
  std::vector<AlertRoute> alerts;  // global routes (HOME/sluice.yaml), besides the DAG's own
  // Pending tasks that start whatever their upstream tasks did (`tasks run --ignore-deps`).
  std::vector<std::string> force_ready;
  /// The scheduler's /metrics: attempts started and finished, finished runs. May be null.
  SchedulerMetrics* metrics = nullptr;
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

class RunDriver {
 public:
  using SteadyClock = std::chrono::steady_clock;

  /// `dag` is kept alive by the driver (the file may change while the run goes on).
  /// `prepared.record` is the run; `slots`, `store` and `launcher` must outlive the driver.
  RunDriver(std::shared_ptr<const DagSpec> dag, PreparedRun prepared, StateStore& store,
            ProcessLauncher& launcher, const RunSettings& settings, TaskSlots& slots,
            RunObserver* observer);
  RunDriver(const RunDriver&) = delete;
  RunDriver& operator=(const RunDriver&) = delete;

  /// Begins the run: records it and creates its workspace. `already_recorded`: it was queued
  /// (by a CLI verb, the scheduler, or a clear of a finished run) and is only set running;
  /// its tasks start from their recorded states, as in Resume.
  Status Start(bool already_recorded);
  /// Picks up a run recorded "running" by a scheduler that stopped (or crashed): task states
  /// and attempt counts come from the store, and every attempt still recorded "running" —
  /// whose process the caller has made sure is gone — is failed and retried by its policy.
  Status Resume();

  /// Promotes due retries, enforces timeouts and starts what may start. Call after events
  /// and when NextWakeup() is due.
  Status Advance();
  bool Owns(int64_t pid) const { return running_.count(pid) != 0; }
  /// A report or the exit of one of this run's attempts (Owns(event.pid)).
  Status Handle(const ProcessEvent& event);

  /// Interrupts the run (Ctrl-C of `sluice run`): running attempts are terminated, tasks not
  /// started are cancelled, and the run ends failed.
  Status Cancel();
  /// The scheduler is stopping: start nothing more. `terminate_running`: also ask running
  /// attempts to stop (SIGTERM, SIGKILL after the grace); their end is recorded as a failure
  /// that the next scheduler retries by policy. The run itself stays "running".
  void Drain(bool terminate_running);

  /// When Advance should be called next without an event; nullopt: only events matter.
  std::optional<SteadyClock::time_point> NextWakeup() const;
  /// Every task reached a terminal state.
  bool Finished() const { return planner_.Finished(); }
  /// Records the run's end (success when every task succeeded) and commits watermarks.
  /// REQUIRES: Finished().
  Result<RunRecord> Complete();

  const RunRecord& run() const { return run_; }
  const DagSpec& dag() const { return *dag_; }
  size_t attempts_in_flight() const { return running_.size(); }
  /// Tasks ready to start but waiting for a slot (parallelism, max_active_tasks, pools).
  size_t tasks_waiting_for_slot() const;

 private:
  // One attempt in flight.
  struct Running {
    size_t task = 0;
    AttemptRecord record;
    AttemptReport last_report;
    std::optional<SteadyClock::time_point> deadline;  // task timeout
    std::optional<SteadyClock::time_point> kill_at;   // SIGKILL after SIGTERM's grace
    bool timed_out = false;
    bool cancelled = false;    // Cancel(): the run was interrupted
    bool interrupted = false;  // Drain(true): the scheduler is stopping
    bool holds_slot = true;    // false for an attempt settled by Resume()
    std::vector<std::string> secrets;  // values rendered from ${ENV}: redacted from its log
  };

  // Takes the run's own lock (a file in its workspace) for as long as this driver lives, so
  // that no second process drives the run — `sluice runs resume` of a run whose `sluice run`
  // is still going, say. Fails naming the process that drives it.
  Status LockRun();
  Status StartReadyTasks();
  Status StartAttempt(size_t task);
  Result<std::string> RenderTaskConfig(const TaskSpec& spec, std::vector<std::string>& secrets);
  Status FinishAttempt(Running running, const std::optional<int>& exit_code,
                       const std::optional<int>& term_signal, int64_t peak_rss_kb);
  void EnforceDeadlines();
  // SLAs (DagSpec::sla, TaskSpec::sla): when each is due, and one sla_miss alert for each
  // that passes before its run or task is done.
  void ArmSlas();
  // Once the run is going (Start, Resume): its run_timeout and SLA timers, and the observer.
  void ArmTimersAndAnnounce();
  void CheckSlas();
  void PromoteDueRetries();
  void Notify(size_t task);
  // Records tasks that ended without running (Planner::Succeeded/Failed/Restore); call inside
  // the transaction of the transition that settled them.
  Status RecordSettled(const std::vector<size_t>& settled, const std::string& at);
  // Tells the observer that `task` and the tasks it settled reached their states.
  void NotifyEnded(size_t task, const std::vector<size_t>& settled);
  std::string OutputPath(size_t task) const;
  // The DAG's routes and the global ones, as the settings hold them now: a scheduler that
  // read its config again (SIGHUP) sends the next alerts of runs going on to its new routes.
  std::vector<AlertRoute> AlertRoutes() const;
  // Writes `kind` for the attempt `rec` into the alert outbox; call inside the transaction
  // that records the attempt's end.
  Status EnqueueTaskAlert(const std::string& kind, const AttemptRecord& rec,
                          const std::string& next_attempt_at);
  // `success`, and `recovery` when the DAG's previous finished run failed; inside the
  // transaction that records the run's end.
  Status EnqueueRunAlerts();

  std::shared_ptr<const DagSpec> dag_;
  PreparedRun prepared_;
  StateStore& store_;
  ProcessLauncher& launcher_;
  const RunSettings& settings_;
  TaskSlots& slots_;
  RunObserver* observer_;
  Planner planner_;
  RunRecord run_;
  std::string workspace_;
  std::vector<TaskProgress> progress_;
  std::vector<int> attempts_;  // attempts made per task
  std::unordered_map<std::string_view, size_t> index_;
  std::map<int64_t, Running> running_;  // by pid
  std::multimap<SteadyClock::time_point, size_t> retries_;  // due time -> task
  std::optional<InstanceLock> run_lock_;  // see LockRun
  std::optional<SteadyClock::time_point> run_deadline_;  // from the DAG's run_timeout
  std::optional<SteadyClock::time_point> run_sla_at_;   // unset once missed, or without one
  bool started_from_queue_ = false;  // Start(already_recorded = true)
  bool rerun_ = false;  // a queued run that had run before: cleared, retried by hand
  std::map<size_t, SteadyClock::time_point> task_sla_at_;  // same, only tasks with an SLA
  bool run_timed_out_ = false;  // the run reached its deadline and is being stopped
  bool cancelled_ = false;
  bool draining_ = false;
};

/// HOME/workspaces/RUN_ID: where run `run_id`'s tasks write their outputs (its lock too).
std::string WorkspacePath(const std::string& home, const std::string& run_id);

/// HOME/workspaces/RUN_ID/TASK_ID.sds: the dataset task `task_id` of the run writes.
std::string TaskOutputPath(const std::string& home, const std::string& run_id,
                           const std::string& task_id);

/// The lock a RunDriver holds while it drives run `run_id` (RunDriver::LockRun); its holder's
/// pid comes from InstanceLock::Holder.
std::string RunLockPath(const std::string& home, const std::string& run_id);

/// Where an attempt's log goes: HOME/logs/DAG/RUN/TASK.N.log (N: the attempt number)
std::string AttemptLogPath(const std::string& home, const std::string& dag_id,
                           const std::string& run_id, const std::string& task_id, int attempt);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_RUN_DRIVER_H_
