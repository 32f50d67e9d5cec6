// Removing the workspaces of old runs (DESIGN.md decision 2): a finished run's workspace holds
// its tasks' outputs, which `tasks clear` and `runs retry` reuse, so it is kept for
// `workspace_retention` (HOME/sluice.yaml, 7 days by default) after the run ended, then
// removed by the scheduler, or by `sluice run` once its own run is over. Logs and the run's
// records stay.
#ifndef SLUICE_SCHEDULER_WORKSPACE_RETENTION_H_
#define SLUICE_SCHEDULER_WORKSPACE_RETENTION_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/state_store.h"
#include "runtime/status.h"

namespace sluice {

struct WorkspaceCleanup {
  std::vector<std::string> removed;  // run ids
  uint64_t bytes_freed = 0;
  std::vector<std::string> problems;  // a workspace that could not be removed, and why
};

/// Removes the workspace of every run that ended (success or failed) before `ended_before`.
/// Left alone: runs queued or running (a clear may have queued a finished run again), runs a
/// live process is driving (its run lock is held), and folders of runs the database does not
/// know. A workspace that cannot be removed is reported, never fatal.
Result<WorkspaceCleanup> RemoveOldWorkspaces(StateStore& store, const std::string& home,
                                             std::chrono::system_clock::time_point ended_before);

/// RemoveOldWorkspaces of the runs that ended more than `retention` ago, as the scheduler and
/// `sluice run` apply it; returns the lines to log: what was removed and freed (nothing when
/// nothing was), and each problem as a warning.
std::vector<std::string> ApplyWorkspaceRetention(StateStore& store, const std::string& home,
                                                 std::chrono::milliseconds retention);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_WORKSPACE_RETENTION_H_
