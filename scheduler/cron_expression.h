// Cron expressions as cronie reads them: five fields (minute hour day-of-month month
// day-of-week), or six with a leading seconds field, or a shortcut (@hourly, @daily,
// @midnight, @weekly, @monthly, @yearly, @annually). Time zones and daylight saving are not
// this file's business: it says which wall-clock times match (see schedule.h for when they
// fire).
#ifndef SLUICE_SCHEDULER_CRON_EXPRESSION_H_
#define SLUICE_SCHEDULER_CRON_EXPRESSION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/status.h"

namespace sluice {

/// The shortcuts Parse accepts, for error messages.
inline constexpr std::string_view kCronShortcuts =
    "@hourly, @daily (= @midnight), @weekly, @monthly, @yearly (= @annually)";

class CronExpression {
 public:
  /// Parses `text`. The error names the field, says what is wrong and how to fix it:
  /// "day-of-week field '8': 8 is out of range — write values from 0 to 7 (0 and 7 are
  /// Sunday) or SUN-SAT". An expression that matches no date at all ("0 0 30 2 *") is an
  /// error too ("never fires: ...").
  static Result<CronExpression> Parse(std::string_view text);

  /// The text as written (a shortcut stays a shortcut).
  const std::string& text() const { return text_; }
  /// Whether a leading seconds field was written; without one, only second 0 matches.
  bool has_seconds_field() const { return has_seconds_field_; }

  /// cronie's "fixed-time" job: neither the minute field nor the hour field starts with '*'.
  /// Daylight-saving changes treat fixed-time and wildcard jobs differently (schedule.h).
  bool is_fixed_time() const { return !minute_star_ && !hour_star_; }

  bool MatchesSecond(int second) const { return Has(seconds_, second); }
  bool MatchesMinute(int minute) const { return Has(minutes_, minute); }
  bool MatchesHour(int hour) const { return Has(hours_, hour); }
  bool MatchesMonth(int month) const { return Has(months_, month); }  // 1 = January
  /// cron's day rule: when both day fields are restricted (neither starts with '*'), a day
  /// matching either field matches; otherwise it must match both. `weekday`: 0 = Sunday.
  bool MatchesDay(int day_of_month, int weekday) const;

  /// The smallest matching value >= `from` within the field, or -1 when there is none.
  int NextSecond(int from) const { return NextBit(seconds_, from, 59); }
  int NextMinute(int from) const { return NextBit(minutes_, from, 59); }
  int NextHour(int from) const { return NextBit(hours_, from, 23); }
  int NextMonth(int from) const { return NextBit(months_, from, 12); }

 private:
  static bool Has(uint64_t bits, int value) { return value >= 0 && value < 64 && (bits >> value) & 1; }
  static int NextBit(uint64_t bits, int from, int max);

  std::string text_;
  bool has_seconds_field_ = false;
  // Bit v is set when value v matches. Days of the week fold 7 (Sunday) into 0.
  uint64_t seconds_ = 1;  // second 0 only, unless a seconds field is written
  uint64_t minutes_ = 0;
  uint64_t hours_ = 0;
  uint64_t days_of_month_ = 0;  // bits 1..31
  uint64_t months_ = 0;         // bits 1..12
  uint64_t weekdays_ = 0;       // bits 0..6
  // Whether each field's text starts with '*' (cronie's MIN_STAR, HR_STAR, DOM_STAR, DOW_STAR).
  bool minute_star_ = false;
  bool hour_star_ = false;
  bool day_of_month_star_ = false;
  bool weekday_star_ = false;
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_CRON_EXPRESSION_H_
