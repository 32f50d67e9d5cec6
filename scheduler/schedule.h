// When a DAG fires: its `schedule` — a cron expression evaluated in the DAG's `timezone`, or
// an `@every DURATION` interval — limited to its `start_date` and `end_date`.
//
// Cron follows cronie: cron's day-of-month/day-of-week rule (cron_expression.h) and cronie's
// behaviour across daylight-saving changes (cron_search.h). `@every D` fires at
// start_date + k·D (the Unix epoch + k·D without a start_date), k = 0, 1, ..., whatever the
// zone. docs/dag-reference.md ("Schedules") is the user's description of the same rules.
#ifndef SLUICE_SCHEDULER_SCHEDULE_H_
#define SLUICE_SCHEDULER_SCHEDULE_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/status.h"
#include "scheduler/dag.h"

namespace sluice {

class Schedule {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  /// Checks a `schedule:` value on its own (no zone needed): a cron expression, a shortcut
  /// or "@every DURATION". The error says what is wrong and how to fix it.
  static Status CheckExpression(std::string_view expression);

  /// `expression` evaluated in the IANA zone `zone`, firing no earlier than `start` and no
  /// later than `end` (both included).
  static Result<Schedule> Create(std::string_view expression, const std::string& zone,
                                 std::optional<TimePoint> start, std::optional<TimePoint> end);

  /// The schedule of a loaded DAG; an error when the DAG has no `schedule`.
  static Result<Schedule> ForDag(const DagSpec& dag);

  /// The first fire time strictly after `after` (and not before start_date), or nullopt when
  /// there is none up to end_date. The search looks 100 years ahead and is an error beyond;
  /// since expressions that can never fire are refused when parsed and every other one fires
  /// within a dozen years (say, a February 1st that is a Monday), that error is a safety net.
  Result<std::optional<TimePoint>> NextAfter(TimePoint after) const;

  /// The last fire time at or before `at` (within start_date and end_date), or nullopt when
  /// there is none. Searches backwards in doubling windows, so it costs about the same as
  /// NextAfter whatever the gap since the last fire.
  Result<std::optional<TimePoint>> LatestAtOrBefore(TimePoint at) const;
  /// The fire before `fire` as the expression alone would have it — start_date and end_date
  /// ignored, so the first fire has one too: where a run's data interval starts. For
  /// `@every D` it is fire − D.
  Result<std::optional<TimePoint>> PreviousBefore(TimePoint fire) const;

  const std::string& expression() const;
  const std::string& zone_name() const;
  std::optional<TimePoint> start() const;
  std::optional<TimePoint> end() const;

 private:
  struct State;
  explicit Schedule(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;  // immutable, so copies share it
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_SCHEDULE_H_
