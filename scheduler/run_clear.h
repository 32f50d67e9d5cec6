// Clearing tasks of a finished run so that they run again (`sluice tasks clear`,
// `sluice runs retry`): the chosen task instances go back to `pending` and the run to
// `queued`, in one transaction. The scheduler then runs them (or `sluice runs resume`), with
// new attempt numbers; earlier attempts and their logs stay, and the outputs of tasks that
// are not cleared are reused from the run's workspace.
#ifndef SLUICE_SCHEDULER_RUN_CLEAR_H_
#define SLUICE_SCHEDULER_RUN_CLEAR_H_

#include <string>
#include <vector>

#include "runtime/state_store.h"
#include "runtime/status.h"
#include "scheduler/dag.h"

namespace sluice {

struct ClearSelection {
  std::vector<std::string> task_ids;  // the tasks named on the command line
  bool downstream = false;            // also every task after them
  bool upstream = false;              // also every task before them
};

/// The task ids `selection` names in `dag`, in file order. An unknown task id is an error
/// that lists the DAG's tasks.
Result<std::vector<std::string>> SelectTasks(const DagSpec& dag, const ClearSelection& selection);

/// The tasks `runs retry` clears: those that failed, ended upstream_failed or were cancelled,
/// and the skipped tasks after them (their trigger rules are judged again).
std::vector<std::string> TasksToRetry(const DagSpec& dag,
                                      const std::vector<TaskInstanceRecord>& instances);

/// Sets `task_ids` of run `run_id` to pending and the run to queued. Refuses a run that is
/// not finished (queued or running: its tasks are being decided now) and a task the run
/// does not have.
Status ClearRunTasks(StateStore& store, const std::string& run_id,
                     const std::vector<std::string>& task_ids);

/// Refuses, naming them, to run `cleared` of the finished `run` again when their upstream
/// tasks that are not cleared had outputs in its workspace and workspace_retention removed it
/// (workspace_retention.h): those tasks would find no input. A run that has not finished is
/// left to ClearRunTasks to refuse.
Status CheckUpstreamOutputsKept(const std::string& home, const DagSpec& dag,
                                const RunRecord& run, const std::vector<std::string>& cleared);

/// For `sluice tasks run`: sets task `task_id` of the finished run `run_id` to pending and
/// the run to running (so that no scheduler starts it as a queued run), in one transaction.
/// Unless `ignore_deps`, every upstream task must have succeeded (or been skipped).
Status PrepareTaskRun(StateStore& store, const DagSpec& dag, const std::string& run_id,
                      const std::string& task_id, bool ignore_deps);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_RUN_CLEAR_H_
