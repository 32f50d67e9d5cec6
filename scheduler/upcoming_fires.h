// What `sluice dags next` shows: the next fire times of a DAG's schedule, in its zone.
#ifndef SLUICE_SCHEDULER_UPCOMING_FIRES_H_
#define SLUICE_SCHEDULER_UPCOMING_FIRES_H_

#include <chrono>
#include <string>
#include <vector>

#include "runtime/status.h"
#include "scheduler/dag.h"

namespace sluice {

struct UpcomingFires {
  /// Oldest first, ISO 8601 with the zone's offset: "2026-03-08T03:00:00-04:00".
  std::vector<std::string> times;
  /// Set when there are fewer than asked for because the schedule has ended: why, e.g.
  /// "no more fire times: DAG 'x' ends at its end_date, 2026-11-30T23:59:59-05:00".
  std::string ended;
};

/// The DAG's next `count` fire times strictly after `after`. Errors: the DAG has no
/// `schedule`, or none is found in the 100 years after `after`.
Result<UpcomingFires> NextFireTimes(const DagSpec& dag, std::chrono::system_clock::time_point after,
                                    int count);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_UPCOMING_FIRES_H_
