#include "scheduler/backfill.h"

#include "scheduler/schedule.h"
#include "scheduler/zoned_time.h"

namespace sluice {

Result<std::vector<PreparedRun>> PlanBackfill(const DagSpec& dag, const BackfillRequest& request,
                                              TimePoint now) {
  if (dag.schedule.empty()) {
    return Status::Error("DAG '" + dag.id + "' has no `schedule`, so it has no intervals to " +
                         "backfill — use `sluice dags trigger " + dag.id + "` for a single run");
  }
  Result<ZonedTimePoint> from = ParseZonedTime(request.from, dag.timezone, DateAlone::kStartOfDay);
  Result<ZonedTimePoint> to = ParseZonedTime(request.to, dag.timezone, DateAlone::kEndOfDay);
  if (!from.ok()) return Status::Error("--from: " + from.message());
  if (!to.ok()) return Status::Error("--to: " + to.message());
  if (*to < *from) return Status::Error("--to is before --from — swap them");
  // Backfill ignores start_date/end_date: the user asked for these dates explicitly.
  Result<Schedule> schedule = Schedule::Create(dag.schedule, dag.timezone, std::nullopt, std::nullopt);
  if (!schedule.ok()) return schedule.status();
  std::vector<PreparedRun> runs;
  Schedule::TimePoint cursor = *from - Schedule::TimePoint::duration(1);
  for (;;) {
    Result<std::optional<Schedule::TimePoint>> next = schedule->NextAfter(cursor);
    if (!next.ok()) return next.status();
    if (!*next || **next > *to) break;
    if (runs.size() >= static_cast<size_t>(request.max_runs)) {
      return Status::Error("more than " + std::to_string(request.max_runs) + " fire times between " +
                           request.from + " and " + request.to +
                           " — narrow the range, or raise --max-runs if you mean it");
    }
    Result<std::optional<Schedule::TimePoint>> previous = schedule->PreviousBefore(**next);
    RunRequest run;
    run.trigger = "backfill";
    run.logical_date = **next;
    run.interval_start = previous.ok() && *previous ? **previous : **next;
    run.overrides = request.overrides;
    Result<PreparedRun> prepared = PrepareRun(dag, run, now);
    if (!prepared.ok()) return prepared.status();
    runs.push_back(std::move(prepared).value());
    cursor = **next;
  }
  if (runs.empty()) {
    return Status::Error("the schedule '" + dag.schedule + "' does not fire between " +
                         request.from + " and " + request.to + " — check the range with " +
                         "`sluice dags next " + dag.id + " --after " + request.from + "`");
  }
  return runs;
}

Status QueueBackfill(StateStore& store, const DagSpec& dag, const std::vector<PreparedRun>& runs) {
  const std::vector<std::string> task_ids = dag.TaskIds();
  return store.InTransaction([&]() -> Status {
    for (const PreparedRun& run : runs) {
      if (Status s = store.CreateRun(run.record, task_ids); !s.ok()) return s;
    }
    return Status::Ok();
  });
}

}  // namespace sluice
