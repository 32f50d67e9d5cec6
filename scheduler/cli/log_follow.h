// `sluice tasks logs RUN TASK --follow`: prints a task's log as it is written, moving on to
// each new attempt (a retry, a re-run after a clear), until the task has ended.
#ifndef SLUICE_SCHEDULER_CLI_LOG_FOLLOW_H_
#define SLUICE_SCHEDULER_CLI_LOG_FOLLOW_H_

#include <chrono>
#include <ostream>
#include <string>

#include "runtime/state_store.h"
#include "scheduler/cli/cli_context.h"

namespace sluice::cli {

/// The CLI verb: FollowTaskLog onto stdout.
int TasksLogsFollowCommand(CliContext& ctx, const std::string& run_id, const std::string& task_id,
                           int from_attempt);

/// Follows the log of task `task_id` in run `run_id` from attempt `from_attempt` (0: the
/// latest) onto `out`, checking the state database every `poll`. Returns the exit code: 0
/// when the task succeeded (or was skipped), 1 when it ended otherwise, 2 when there is no
/// such task.
int FollowTaskLog(StateStore& store, const std::string& run_id, const std::string& task_id,
                  int from_attempt, std::ostream& out,
                  std::chrono::milliseconds poll = std::chrono::milliseconds(200));

}  // namespace sluice::cli

#endif  // SLUICE_SCHEDULER_CLI_LOG_FOLLOW_H_
