// Which tasks of one run may start now. Pure bookkeeping over the DAG's edges: no clock, no
// processes, no I/O, so every rule is tested in microseconds.
#ifndef SLUICE_SCHEDULER_PLANNER_H_
#define SLUICE_SCHEDULER_PLANNER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "scheduler/dag.h"

namespace sluice {

enum class TaskStatus {
  kPending,         // waiting for upstream tasks
  kReady,           // every upstream succeeded; waiting for a free slot
  kRunning,         // an attempt is in flight
  kUpForRetry,      // failed, another attempt will come after its delay
  kSuccess,
  kFailed,
  kUpstreamFailed,  // never ran because an upstream task failed
  kCancelled,       // never ran (or ran no more) because the run was interrupted
  kSkipped,         // never ran because its trigger rule cannot be met (e.g. all_failed, and
                    // an upstream succeeded); does not fail the run
};

/// The state database's word for a status ("pending", "upstream_failed", ...).
const char* TaskStatusName(TaskStatus status);
bool IsTerminal(TaskStatus status);

class Planner {
 public:
  /// REQUIRES: `dag` is valid (acyclic, every depends_on names a task); it must outlive this.
  /// `expected_seconds` (by task; empty: 1 each) is what each task is expected to take.
  explicit Planner(const DagSpec& dag, const std::vector<double>& expected_seconds = {});

  /// Up to `max` ready tasks; each is now kRunning. The critical path goes first: a task
  /// heading a longer chain of expected work (itself plus its longest downstream chain) before
  /// a shorter one, so that with few slots the run ends as early as it can; equal chains in
  /// the order they became ready (file order for the roots).
  std::vector<size_t> TakeReady(size_t max);
  /// Same order, but only tasks for which `may_start(task)` says yes (a pool slot, a limit
  /// of the DAG): the others stay ready, ahead of tasks that become ready later. Stops once
  /// `max` tasks are taken; refused tasks do not count, so every ready task may be asked.
  std::vector<size_t> TakeReadyIf(size_t max, const std::function<bool(size_t)>& may_start);

  /// Picks up a run where the state database left it (after a restart or a clear):
  /// `statuses` by task. kReady counts as kPending; kRunning stays running, for the caller to
  /// settle through Succeeded/WaitForRetry/Failed (its attempt's process is gone). Pending
  /// tasks whose trigger rule is met become ready; those whose rule can no longer be met are
  /// settled (kUpstreamFailed or kSkipped) and returned, for the caller to record.
  /// `force_ready`: pending tasks made ready whatever their upstream tasks did
  /// (`sluice tasks run --ignore-deps`).
  std::vector<size_t> Restore(const std::vector<TaskStatus>& statuses,
                              const std::vector<size_t>& force_ready = {});

  /// The expected seconds of task `task`'s longest chain, itself included.
  double chain_seconds(size_t task) const { return chain_seconds_[task]; }
  // A task's end settles its downstream tasks by their trigger rules (dag.h, TriggerRule):
  // each may become ready, stay pending, or end without running — kUpstreamFailed or
  // kSkipped, and so on down the graph. Succeeded and Failed return the tasks that ended
  // without running, for the caller to record. Independent branches go on.

  /// The attempt of a kRunning task succeeded.
  std::vector<size_t> Succeeded(size_t task);
  /// The attempt of a kRunning task failed and will be retried later.
  void WaitForRetry(size_t task);
  /// A kUpForRetry task's delay is over: it is ready again.
  void RetryNow(size_t task);
  /// The task failed for good.
  std::vector<size_t> Failed(size_t task);

  /// The run is being interrupted: every task that is not running and not finished becomes
  /// kCancelled; they are returned. Running tasks end through Succeeded/Failed as usual.
  std::vector<size_t> CancelNotStarted();

  TaskStatus status(size_t task) const { return status_[task]; }
  size_t size() const { return status_.size(); }
  /// Every task reached a terminal status.
  bool Finished() const { return terminal_ == status_.size(); }
  /// The run's outcome once Finished(): true when no task failed, never ran for an upstream
  /// failure, or was cancelled (skipped tasks are fine).
  bool RunSucceeded() const { return Finished() && unsuccessful_ == 0; }

 private:
  // What the upstream tasks of one task have done so far.
  struct UpstreamTally {
    size_t total = 0;
    size_t ended = 0;
    size_t succeeded = 0;
    size_t failed = 0;  // failed, upstream_failed or cancelled
    size_t skipped = 0;
  };
  enum class Verdict { kWait, kReady, kUpstreamFailed, kSkip };
  static Verdict Judge(TriggerRule rule, const UpstreamTally& tally);

  void SetStatus(size_t task, TaskStatus status);
  // `task` ended: tallies it in its downstream tasks and settles them, recursively.
  std::vector<size_t> Propagate(size_t task);
  void Tally(UpstreamTally& tally, TaskStatus ended) const;

  const DagSpec& dag_;
  std::vector<std::vector<size_t>> downstream_;
  std::vector<UpstreamTally> upstream_;
  std::vector<TaskStatus> status_;
  std::vector<double> chain_seconds_;
  // Ready tasks, longest chain on top; equal chains by the order they became ready.
  struct ReadyTask {
    double chain_seconds = 0;
    uint64_t sequence = 0;
    size_t task = 0;
    bool operator<(const ReadyTask& other) const {  // "less urgent than"
      if (chain_seconds != other.chain_seconds) return chain_seconds < other.chain_seconds;
      return sequence > other.sequence;
    }
  };
  void MakeReady(size_t task);
  std::priority_queue<ReadyTask> ready_;
  uint64_t readied_ = 0;
  size_t terminal_ = 0;
  size_t unsuccessful_ = 0;
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_PLANNER_H_
