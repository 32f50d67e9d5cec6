// Calendar work for format_date and date_trunc, on the dataset's representations: dates are
// days since 1970-01-01, timestamps microseconds since 1970-01-01 00:00:00 UTC. Both work
// before 1970 (floor division, proleptic Gregorian calendar).
#ifndef SLUICE_PLUGINS_TRANSFORM_DATE_FUNCTIONS_H_
#define SLUICE_PLUGINS_TRANSFORM_DATE_FUNCTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::transform {

inline constexpr int64_t kMicrosPerDay = 86'400'000'000;

/// Days since the epoch of the day `micros` falls in.
int64_t DayOfTimestamp(int64_t micros);

/// Why `pattern` is not a format_date pattern (an unknown %-directive or a lone % at the
/// end), with *offset at the bad '%'; empty when it is fine. Directives: %Y (year, 4 digits),
/// %y (2 digits), %m, %d, %H, %M, %S, %j (day of year, 3 digits), %F (%Y-%m-%d),
/// %T (%H:%M:%S), %%.
std::string CheckDatePattern(std::string_view pattern, size_t* offset);

/// Appends the timestamp formatted by `pattern`. REQUIRES: CheckDatePattern(pattern) is empty.
void AppendFormattedTimestamp(std::string* out, int64_t micros, std::string_view pattern);

enum class TruncUnit { kDay, kMonth, kYear };

/// "day", "month", "year".
std::optional<TruncUnit> ParseTruncUnit(std::string_view text);

int64_t TruncateDate(int64_t days, TruncUnit unit);
int64_t TruncateTimestamp(int64_t micros, TruncUnit unit);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_DATE_FUNCTIONS_H_
