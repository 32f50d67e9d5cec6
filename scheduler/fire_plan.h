// Which schedule fires a DAG is owed a run for, and when the next one comes — the catch-up
// rule in one pure function, so that downtime, new DAGs and start dates are tested without
// a clock.
//
// A run's data interval goes from the previous fire to its own fire; its logical date is its
// fire (docs/dag-reference.md, "Runs and their dates").
#ifndef SLUICE_SCHEDULER_FIRE_PLAN_H_
#define SLUICE_SCHEDULER_FIRE_PLAN_H_

#include <chrono>
#include <optional>
#include <vector>

#include "runtime/status.h"
#include "scheduler/schedule.h"

namespace sluice {

struct OwedFire {
  Schedule::TimePoint fire;            // the logical date, and the interval's end
  Schedule::TimePoint interval_start;  // the fire before it
};

/// Where a DAG's owed fires begin: after `last_fire` (the latest fire that has its run), else
/// at the schedule's start_date, else after `first_seen` (when this scheduler first loaded
/// the DAG: a new DAG without start_date does not run for times before it existed).
struct FireFloor {
  std::optional<Schedule::TimePoint> last_fire;
  Schedule::TimePoint first_seen;
};

/// The fires owed at `now`, oldest first: with `catchup`, every fire since the floor (at most
/// `limit`; call again for the rest once their runs exist); without, only the latest one.
Result<std::vector<OwedFire>> OwedFires(const Schedule& schedule, const FireFloor& floor,
                                        Schedule::TimePoint now, bool catchup, size_t limit);

/// The first fire after both the floor and `now`: when to look again. nullopt: no more fires
/// (past end_date).
Result<std::optional<Schedule::TimePoint>> NextFire(const Schedule& schedule,
                                                    const FireFloor& floor,
                                                    Schedule::TimePoint now);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_FIRE_PLAN_H_
