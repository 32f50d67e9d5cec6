#include "scheduler/upcoming_fires.h"

#include "scheduler/schedule.h"
#include "scheduler/zoned_time.h"

namespace sluice {

Result<UpcomingFires> NextFireTimes(const DagSpec& dag, std::chrono::system_clock::time_point after,
                                    int count) {
  Result<Schedule> schedule = Schedule::ForDag(dag);
  if (!schedule.ok()) return schedule.status();
  UpcomingFires upcoming;
  std::chrono::system_clock::time_point t = after;
  for (int i = 0; i < count; ++i) {
    Result<std::optional<std::chrono::system_clock::time_point>> next = schedule->NextAfter(t);
    if (!next.ok()) return next.status();
    if (!next->has_value()) {
      // Only an end_date stops a schedule (see Schedule::NextAfter).
      upcoming.ended = "no more fire times: DAG '" + dag.id + "' ends at its end_date, " +
                       FormatZonedTime(*dag.end_date, dag.timezone);
      break;
    }
    t = **next;
    upcoming.times.push_back(FormatZonedTime(t, dag.timezone));
  }
  return upcoming;
}

}  // namespace sluice
