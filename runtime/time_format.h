// UTC timestamps as stored in the state database and shown by the CLI.
#ifndef SLUICE_RUNTIME_TIME_FORMAT_H_
#define SLUICE_RUNTIME_TIME_FORMAT_H_

#include <chrono>
#include <optional>
#include <string>

namespace sluice {

using TimePoint = std::chrono::system_clock::time_point;

/// "2026-11-23T22:35:01.123456Z": sortable as text, microsecond precision.
std::string FormatUtc(TimePoint t);
/// Parses FormatUtc's output (and the same without fraction); nullopt when malformed.
std::optional<TimePoint> ParseUtc(const std::string& text);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_TIME_FORMAT_H_
