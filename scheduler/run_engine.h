// `sluice run`: one run of a DAG driven to its end in the foreground — the run driver
// (run_driver.h) in a loop of its own, waiting on the launcher and the driver's timers.
#ifndef SLUICE_SCHEDULER_RUN_ENGINE_H_
#define SLUICE_SCHEDULER_RUN_ENGINE_H_

#include "runtime/process_launcher.h"
#include "runtime/state_store.h"
#include "runtime/status.h"
#include "scheduler/dag.h"
#include "scheduler/run_driver.h"
#include "scheduler/run_request.h"

namespace sluice {

/// How the run begins.
enum class RunStart {
  kNew,     // record it and run every task
  kQueued,  // it is recorded "queued" (triggered, or cleared after it ended): set it running
            // and run its tasks from their recorded states
  kResume,  // it is recorded "running" but nothing drives it (its process died): fail its
            // orphaned attempts by their retry policy and go on
};

/// Runs `prepared` of `dag` to completion with at most settings.parallelism attempts at once.
/// Returns the finished run record (state "success" or "failed"); an error Status only when
/// the state store itself fails.
Result<RunRecord> ExecuteRun(const DagSpec& dag, const PreparedRun& prepared, StateStore& store,
                             ProcessLauncher& launcher, const RunSettings& settings,
                             RunObserver* observer, RunStart how = RunStart::kNew);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_RUN_ENGINE_H_
