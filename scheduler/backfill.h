// Backfill: one queued run per schedule fire between two times, as if the scheduler had been
// running then (trigger "backfill"; `sluice dags backfill`, POST /api/v1/dags/{dag}/backfill).
#ifndef SLUICE_SCHEDULER_BACKFILL_H_
#define SLUICE_SCHEDULER_BACKFILL_H_

#include <string>
#include <utility>
#include <vector>

#include "runtime/state_store.h"
#include "runtime/status.h"
#include "scheduler/dag.h"
#include "scheduler/run_request.h"

namespace sluice {

struct BackfillRequest {
  std::string from, to;  // ISO 8601, or dates in the DAG's zone (the whole day for `to`)
  std::vector<std::pair<std::string, std::string>> overrides;  // params
  int max_runs = 10000;
};

/// The runs of every fire of `dag`'s schedule from `from` to `to`, oldest first, ignoring
/// start_date and end_date (the user asked for these dates). Errors say what to change: no
/// schedule, unreadable or swapped times, no fire in the range, more than max_runs.
Result<std::vector<PreparedRun>> PlanBackfill(const DagSpec& dag, const BackfillRequest& request,
                                              TimePoint now);

/// Records `runs` queued, all or none: a half-created backfill would be hard to tell from a
/// finished one.
Status QueueBackfill(StateStore& store, const DagSpec& dag, const std::vector<PreparedRun>& runs);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_BACKFILL_H_
