#include "scheduler/zoned_time.h"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <optional>

namespace sluice {
namespace {

// Instants are nanosecond time points (until 2262), and schedules look up to 100 years ahead.
constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2150;

// A cursor over the text that reads fixed-width numbers and literal characters.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool done() const { return at_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[at_]; }
  bool Skip(char c) {
    if (peek() != c) return false;
    ++at_;
    return true;
  }
  /// Exactly `digits` decimal digits.
  std::optional<int> Number(int digits) {
    if (at_ + static_cast<size_t>(digits) > text_.size()) return std::nullopt;
    int value = 0;
    for (int i = 0; i < digits; ++i) {
      const char c = text_[at_ + static_cast<size_t>(i)];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    at_ += static_cast<size_t>(digits);
    return value;
  }
  /// One or more digits after a decimal point, as nanoseconds (digits past the ninth ignored).
  std::optional<int64_t> Fraction() {
    int64_t nanos = 0;
    int digits = 0;
    while (peek() >= '0' && peek() <= '9') {
      if (digits < 9) nanos = nanos * 10 + (peek() - '0');
      ++digits;
      ++at_;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 9; ++i) nanos *= 10;
    return nanos;
  }

 private:
  std::string_view text_;
  size_t at_ = 0;
};

Status Malformed(std::string_view text) {
  return Status::Error("'" + std::string(text) + "' is not an ISO 8601 date or date-time \u2014 " +
                       std::string(kZonedTimeForms));
}

// The instant a wall-clock time stands for in `zone` (see ParseZonedTime for gaps and overlaps).
cctz::time_point<cctz::seconds> WallClockInstant(const cctz::civil_second& wall,
                                                 const cctz::time_zone& zone) {
  const cctz::time_zone::civil_lookup found = zone.lookup(wall);
  return found.kind == cctz::time_zone::civil_lookup::SKIPPED ? found.trans : found.pre;
}

// "+HH:MM", "+HHMM" or "+HH" (or with '-'), as seconds east of UTC.
std::optional<int> ReadOffset(Reader& in) {
  const char sign = in.peek();
  if (sign != '+' && sign != '-') return std::nullopt;
  in.Skip(sign);
  const std::optional<int> hours = in.Number(2);
  std::optional<int> minutes = 0;
  if (in.Skip(':') || !in.done()) minutes = in.Number(2);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  return (sign == '-' ? -1 : 1) * (*hours * 3600 + *minutes * 60);
}

ZonedTimePoint ToZonedTimePoint(cctz::time_point<cctz::seconds> instant, int64_t nanos = 0) {
  using std::chrono::duration_cast;
  return ZonedTimePoint(duration_cast<ZonedTimePoint::duration>(instant.time_since_epoch()) +
                        duration_cast<ZonedTimePoint::duration>(std::chrono::nanoseconds(nanos)));
}

}  // namespace

Result<ZonedTimePoint> ParseZonedTime(std::string_view text, const std::string& zone_name,
                                      DateAlone date_alone) {
  cctz::time_zone zone;
  if (!cctz::load_time_zone(zone_name, &zone)) {
    return Status::Error("unknown time zone '" + zone_name +
                         "' \u2014 use an IANA name such as 'UTC' or 'America/New_York'");
  }
  Reader in(text);
  const std::optional<int> year = in.Number(4);
  std::optional<int> month, day;
  if (year && in.Skip('-')) month = in.Number(2);
  if (month && in.Skip('-')) day = in.Number(2);
  if (!day) return Malformed(text);
  if (*year < kFirstYear || *year > kLastYear) {
    return Status::Error("'" + std::string(text) + "' is out of range \u2014 write a year from " +
                         std::to_string(kFirstYear) + " to " + std::to_string(kLastYear));
  }
  const cctz::civil_day date(*year, *month, *day);
  if (date.year() != *year || date.month() != *month || date.day() != *day) {
    return Status::Error("'" + std::string(text) + "' names a day that does not exist \u2014 " +
                         "check the month (01-12) and the day of the month");
  }
  if (in.done()) {
    const cctz::civil_day wanted = date_alone == DateAlone::kStartOfDay ? date : date + 1;
    auto instant = WallClockInstant(cctz::civil_second(wanted), zone);
    if (date_alone == DateAlone::kEndOfDay) instant -= cctz::seconds(1);
    return ToZonedTimePoint(instant);
  }
  if (!in.Skip('T') && !in.Skip('t') && !in.Skip(' ')) return Malformed(text);
  const std::optional<int> hour = in.Number(2);
  std::optional<int> minute, second = 0;
  if (hour && in.Skip(':')) minute = in.Number(2);
  if (minute && in.Skip(':')) second = in.Number(2);
  if (!hour || !minute || !second) return Malformed(text);
  int64_t nanos = 0;
  if (in.Skip('.') || in.Skip(',')) {
    const std::optional<int64_t> fraction = in.Fraction();
    if (!fraction) return Malformed(text);
    nanos = *fraction;
  }
  if (*hour > 23 || *minute > 59 || *second > 59) {
    return Status::Error("'" + std::string(text) + "' has a time of day out of range \u2014 " +
                         "write hours 00-23, minutes and seconds 00-59");
  }
  const cctz::civil_second wall(*year, *month, *day, *hour, *minute, *second);
  cctz::time_point<cctz::seconds> instant;
  if (in.done()) {
    instant = WallClockInstant(wall, zone);
  } else if (in.Skip('Z') || in.Skip('z')) {
    instant = cctz::convert(wall, cctz::utc_time_zone());
  } else if (const std::optional<int> offset = ReadOffset(in)) {
    instant = cctz::convert(wall, cctz::fixed_time_zone(cctz::seconds(*offset)));
  } else {
    return Malformed(text);
  }
  if (!in.done()) return Malformed(text);
  return ToZonedTimePoint(instant, nanos);
}

std::string FormatZonedTime(ZonedTimePoint t, const std::string& zone_name) {
  cctz::time_zone zone;
  cctz::load_time_zone(zone_name, &zone);  // UTC when unknown, as documented
  return cctz::format("%Y-%m-%dT%H:%M:%E*S%Ez", t, zone);
}

}  // namespace sluice
