#include "scheduler/cron_search.h"

#include <algorithm>

namespace sluice {
namespace {

int WeekdayNumber(cctz::weekday day) {  // 0 = Sunday, as cron counts
  switch (day) {
    case cctz::weekday::sunday: return 0;
    case cctz::weekday::monday: return 1;
    case cctz::weekday::tuesday: return 2;
    case cctz::weekday::wednesday: return 3;
    case cctz::weekday::thursday: return 4;
    case cctz::weekday::friday: return 5;
    case cctz::weekday::saturday: return 6;
  }
  return 0;
}

const cctz::civil_second kUnixEpoch(1970, 1, 1, 0, 0, 0);

// The instant a wall-clock time stands for while the zone's offset is `offset` seconds.
CctzSeconds ToInstant(const cctz::civil_second& wall, int offset) {
  return CctzSeconds(cctz::seconds((wall - kUnixEpoch) - offset));
}

}  // namespace

std::optional<cctz::civil_second> NextMatchingCivilTime(const CronExpression& cron,
                                                        cctz::civil_second from,
                                                        cctz::civil_second limit) {
  using cctz::civil_second;
  civil_second c = from;
  // Each step either returns or moves `c` forward to the first candidate of the next
  // matching value of the first field that does not match; lower fields restart at zero.
  while (c < limit) {
    const int month = cron.NextMonth(c.month());
    if (month < 0) {
      c = civil_second(cctz::civil_year(c) + 1);
      continue;
    }
    if (month != c.month()) {
      c = civil_second(cctz::civil_month(c.year(), month));
      continue;
    }
    const cctz::civil_day day(c);
    if (!cron.MatchesDay(c.day(), WeekdayNumber(cctz::get_weekday(day)))) {
      c = civil_second(day + 1);
      continue;
    }
    const int hour = cron.NextHour(c.hour());
    if (hour < 0) {
      c = civil_second(day + 1);
      continue;
    }
    if (hour != c.hour()) {
      c = civil_second(c.year(), c.month(), c.day(), hour, 0, 0);
      continue;
    }
    const int minute = cron.NextMinute(c.minute());
    if (minute < 0) {
      c = civil_second(cctz::civil_hour(c) + 1);
      continue;
    }
    if (minute != c.minute()) {
      c = civil_second(c.year(), c.month(), c.day(), c.hour(), minute, 0);
      continue;
    }
    const int second = cron.NextSecond(c.second());
    if (second < 0) {
      c = civil_second(cctz::civil_minute(c) + 1);
      continue;
    }
    c = civil_second(c.year(), c.month(), c.day(), c.hour(), c.minute(), second);
    return c < limit ? std::optional(c) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<CctzSeconds> NextCronFireTime(const CronExpression& cron, const cctz::time_zone& zone,
                                            CctzSeconds after, CctzSeconds limit) {
  // The search goes period by period, a period being the instants between two offset
  // changes. Within one, wall-clock time and instants move together, so the first matching
  // wall-clock time gives the first fire time; only the ends of periods need the DST rules.
  const cctz::time_zone::absolute_lookup start = zone.lookup(after);
  int offset = start.offset;
  cctz::civil_second lower = start.cs + 1;  // strictly after `after`
  CctzSeconds period_start = after;
  const bool fixed_time = cron.is_fixed_time();
  while (ToInstant(lower, offset) <= limit) {
    cctz::time_zone::civil_transition change;
    const bool has_change = zone.next_transition(period_start, &change);
    const CctzSeconds change_at = has_change ? zone.lookup(change.to).trans : limit;
    const bool change_in_reach = has_change && change_at <= limit;
    // Wall-clock times of this period end where the change starts (`change.from`); a forward
    // change's gap runs on to `change.to`, and a fixed-time job matching inside it fires at
    // the change, so the search looks that far.
    const cctz::civil_second period_end = change_in_reach ? change.from : zone.lookup(limit).cs + 1;
    const cctz::civil_second search_end =
        change_in_reach ? std::max(change.from, change.to) : period_end;
    std::optional<cctz::civil_second> match = NextMatchingCivilTime(cron, lower, search_end);
    while (match && *match < period_end) {
      const CctzSeconds at = ToInstant(*match, offset);
      if (fixed_time) {
        const cctz::time_zone::civil_lookup wall = zone.lookup(*match);
        if (wall.kind == cctz::time_zone::civil_lookup::REPEATED && at == wall.post) {
          // The second occurrence of a repeated wall-clock time: a fixed-time job fired at
          // the first. Resume where the repetition ends (the wall-clock time the backward
          // change jumped from).
          const cctz::civil_second repetition_end = zone.lookup(wall.trans - cctz::seconds(1)).cs + 1;
          match = NextMatchingCivilTime(cron, repetition_end, search_end);
          continue;
        }
      }
      return at;
    }
    if (!change_in_reach) return std::nullopt;
    if (fixed_time && match && change.from < change.to && *match < change.to) return change_at;
    offset = zone.lookup(change_at).offset;
    lower = change.to;
    period_start = change_at;
  }
  return std::nullopt;
}

}  // namespace sluice
