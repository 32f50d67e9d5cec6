// Where a cron expression fires in a time zone. Internal to schedule.cc (and its tests): it
// includes cctz, which the rest of sluice should not see.
//
// The rules, as cronie applies them across daylight-saving changes:
//   - A wall-clock time that occurs once fires once, at that instant.
//   - A wall-clock time skipped by a forward change (spring forward): a fixed-time job
//     (CronExpression::is_fixed_time) fires once at the change itself, the first instant
//     after the gap, however many of its times the gap swallowed; a wildcard job does not
//     fire for it.
//   - A wall-clock time repeated by a backward change (fall back): a fixed-time job fires at
//     its first occurrence only; a wildcard job fires at both.
#ifndef SLUICE_SCHEDULER_CRON_SEARCH_H_
#define SLUICE_SCHEDULER_CRON_SEARCH_H_

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <optional>

#include "scheduler/cron_expression.h"

namespace sluice {

using CctzSeconds = cctz::time_point<cctz::seconds>;

/// The first wall-clock time at or after `from` that `cron` matches, if there is one before
/// `limit`. Jumps field by field (month, day, hour, minute, second), so the cost grows with
/// the number of months and days looked at, not with the minutes between.
std::optional<cctz::civil_second> NextMatchingCivilTime(const CronExpression& cron,
                                                        cctz::civil_second from,
                                                        cctz::civil_second limit);

/// The first instant strictly after `after` at which `cron` fires in `zone` (rules above),
/// if there is one no later than `limit`. Walks the zone's periods of constant UTC offset,
/// searching each with NextMatchingCivilTime.
std::optional<CctzSeconds> NextCronFireTime(const CronExpression& cron, const cctz::time_zone& zone,
                                            CctzSeconds after, CctzSeconds limit);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_CRON_SEARCH_H_
