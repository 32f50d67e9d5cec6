#include "date_functions.h"

#include <chrono>

#include "sluice/dataset.hpp"

namespace sluice::transform {

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

year_month_day CivilDay(int64_t day) { return year_month_day{sys_days{days{day}}}; }

int64_t DayNumber(const year_month_day& ymd) {
  return sys_days{ymd}.time_since_epoch().count();
}

void AppendNumber(std::string* out, int64_t value, int width) {
  dataset::detail::AppendPadded(out, value, width);
}

}  // namespace

int64_t DayOfTimestamp(int64_t micros) { return dataset::detail::FloorDiv(micros, kMicrosPerDay); }

std::string CheckDatePattern(std::string_view pattern, size_t* offset) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    *offset = i;
    if (i + 1 == pattern.size()) return "the pattern ends with a lone '%'; write %% for a percent sign";
    const char directive = pattern[++i];
    if (std::string_view("YymdHMSjFT%").find(directive) == std::string_view::npos) {
      return std::string("unknown directive %") + directive +
             " in the date pattern; use %Y %y %m %d %H %M %S %j %F %T or %%";
    }
  }
  return "";
}

void AppendFormattedTimestamp(std::string* out, int64_t micros, std::string_view pattern) {
  const int64_t day = DayOfTimestamp(micros);
  const int64_t seconds = (micros - day * kMicrosPerDay) / 1'000'000;
  const year_month_day ymd = CivilDay(day);
  const int64_t year = static_cast<int>(ymd.year());
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 == pattern.size()) {
      out->push_back(pattern[i]);
      continue;
    }
    switch (pattern[++i]) {
      case 'Y': AppendNumber(out, year, 4); break;
      case 'y': AppendNumber(out, (year % 100 + 100) % 100, 2); break;
      case 'm': AppendNumber(out, static_cast<unsigned>(ymd.month()), 2); break;
      case 'd': AppendNumber(out, static_cast<unsigned>(ymd.day()), 2); break;
      case 'H': AppendNumber(out, seconds / 3600, 2); break;
      case 'M': AppendNumber(out, seconds / 60 % 60, 2); break;
      case 'S': AppendNumber(out, seconds % 60, 2); break;
      case 'j': {
        const year_month_day first{ymd.year(), std::chrono::January, std::chrono::day{1}};
        AppendNumber(out, day - DayNumber(first) + 1, 3);
        break;
      }
      case 'F': AppendFormattedTimestamp(out, micros, "%Y-%m-%d"); break;
      case 'T': AppendFormattedTimestamp(out, micros, "%H:%M:%S"); break;
      default: out->push_back(pattern[i]); break;  // '%%' and anything CheckDatePattern let by
    }
  }
}

std::optional<TruncUnit> ParseTruncUnit(std::string_view text) {
  if (text == "day") return TruncUnit::kDay;
  if (text == "month") return TruncUnit::kMonth;
  if (text == "year") return TruncUnit::kYear;
  return std::nullopt;
}

int64_t TruncateDate(int64_t day, TruncUnit unit) {
  if (unit == TruncUnit::kDay) return day;
  const year_month_day ymd = CivilDay(day);
  const std::chrono::month month = unit == TruncUnit::kYear ? std::chrono::January : ymd.month();
  return DayNumber(year_month_day{ymd.year(), month, std::chrono::day{1}});
}

int64_t TruncateTimestamp(int64_t micros, TruncUnit unit) {
  return TruncateDate(DayOfTimestamp(micros), unit) * kMicrosPerDay;
}

}  // namespace sluice::transform
