// Instants written and read as ISO 8601 text in a DAG's time zone: start_date, end_date,
// `sluice dags next --after`, and fire times shown to people.
#ifndef SLUICE_SCHEDULER_ZONED_TIME_H_
#define SLUICE_SCHEDULER_ZONED_TIME_H_

#include <chrono>
#include <string>
#include <string_view>

#include "runtime/status.h"

namespace sluice {

using ZonedTimePoint = std::chrono::system_clock::time_point;

/// What a date written without a time stands for.
enum class DateAlone {
  kStartOfDay,  // the first instant of that day in the zone (start_date, --after)
  kEndOfDay,    // the last second of that day in the zone (end_date: the whole day counts)
};

/// The accepted forms, for error messages.
inline constexpr std::string_view kZonedTimeForms =
    "write a date such as 2026-03-08, or a date-time such as 2026-03-08T06:30 or "
    "2026-03-08T06:30:00 (in the DAG's time zone), or with an offset: 2026-03-08T06:30:00Z, "
    "2026-03-08T06:30:00-05:00";

/// Reads `text`: YYYY-MM-DD, optionally followed by 'T' (or a space) and HH:MM[:SS[.fraction]],
/// optionally followed by 'Z' or an offset (+HH:MM, +HHMM, +HH). Without an offset the time is
/// a wall-clock time in `zone`: one skipped by a daylight-saving change stands for the change
/// itself, one repeated stands for its first occurrence. The error says what to write.
Result<ZonedTimePoint> ParseZonedTime(std::string_view text, const std::string& zone,
                                      DateAlone date_alone);

/// `t` in `zone` with the zone's offset: "2026-03-08T03:00:00-04:00" (a fraction of a second
/// only when there is one). An unknown zone formats in UTC.
std::string FormatZonedTime(ZonedTimePoint t, const std::string& zone);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_ZONED_TIME_H_
