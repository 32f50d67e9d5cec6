// Durations as DAG files write them: "500ms", "30s", "5m", "1h", "2d", combined "1h30m",
// or a plain integer meaning seconds.
#ifndef SLUICE_SCHEDULER_DURATION_H_
#define SLUICE_SCHEDULER_DURATION_H_

#include <string>
#include <string_view>

#include "runtime/status.h"
#include "scheduler/dag.h"

namespace sluice {

/// The accepted forms, for error messages.
inline constexpr std::string_view kDurationForms =
    "a number with a unit: 500ms, 30s, 5m, 1h, 2d, or combined like 1h30m; "
    "a plain number means seconds";

/// Parses `text`; the error names the accepted forms. Units must not repeat or go up in size
/// ("30m1h" is rejected) so every duration has exactly one spelling.
Result<Duration> ParseDuration(std::string_view text);

/// The shortest spelling ParseDuration reads back to the same value: "1h30m", "500ms", "0s".
std::string FormatDuration(Duration duration);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DURATION_H_
