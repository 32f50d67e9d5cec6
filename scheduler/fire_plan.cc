#include "scheduler/fire_plan.h"

namespace sluice {
namespace {

using TimePoint = Schedule::TimePoint;

// Owed fires are strictly after this instant.
TimePoint Exclusive(const Schedule& schedule, const FireFloor& floor) {
  if (floor.last_fire) return *floor.last_fire;
  if (schedule.start()) return *schedule.start() - TimePoint::duration(1);
  return floor.first_seen;
}

Result<OwedFire> WithInterval(const Schedule& schedule, TimePoint fire) {
  Result<std::optional<TimePoint>> previous = schedule.PreviousBefore(fire);
  if (!previous.ok()) return previous.status();
  return OwedFire{fire, previous->value_or(fire)};
}

}  // namespace

Result<std::vector<OwedFire>> OwedFires(const Schedule& schedule, const FireFloor& floor,
                                        TimePoint now, bool catchup, size_t limit) {
  const TimePoint after = Exclusive(schedule, floor);
  std::vector<OwedFire> owed;
  if (!catchup) {
    Result<std::optional<TimePoint>> latest = schedule.LatestAtOrBefore(now);
    if (!latest.ok()) return latest.status();
    if (!*latest || **latest <= after) return owed;
    Result<OwedFire> fire = WithInterval(schedule, **latest);
    if (!fire.ok()) return fire.status();
    owed.push_back(*fire);
    return owed;
  }
  TimePoint cursor = after;
  while (owed.size() < limit) {
    Result<std::optional<TimePoint>> next = schedule.NextAfter(cursor);
    if (!next.ok()) return next.status();
    if (!*next || **next > now) break;
    Result<OwedFire> fire = WithInterval(schedule, **next);
    if (!fire.ok()) return fire.status();
    owed.push_back(*fire);
    cursor = **next;
  }
  return owed;
}

Result<std::optional<TimePoint>> NextFire(const Schedule& schedule, const FireFloor& floor,
                                          TimePoint now) {
  return schedule.NextAfter(std::max(now, Exclusive(schedule, floor)));
}

}  // namespace sluice
