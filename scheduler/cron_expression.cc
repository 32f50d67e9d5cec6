#include "scheduler/cron_expression.h"

#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

#include "scheduler/suggest.h"

namespace sluice {
namespace {

// What one field accepts. `names[i]` stands for the value `first_named_value + i`.
struct FieldSpec {
  std::string_view name;  // as error messages call the field
  int min;
  int max;
  const std::vector<std::string>* names;
  int first_named_value;
  std::string_view accepted;  // "write ..." completes this
};

const std::vector<std::string> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                              "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const std::vector<std::string> kWeekdayNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

const FieldSpec kSecond{"seconds", 0, 59, nullptr, 0, "values from 0 to 59"};
const FieldSpec kMinute{"minute", 0, 59, nullptr, 0, "values from 0 to 59"};
const FieldSpec kHour{"hour", 0, 23, nullptr, 0, "values from 0 to 23"};
const FieldSpec kDayOfMonth{"day-of-month", 1, 31, nullptr, 0, "values from 1 to 31"};
const FieldSpec kMonth{"month", 1, 12, &kMonthNames, 1, "values from 1 to 12 or JAN-DEC"};
const FieldSpec kDayOfWeek{"day-of-week", 0, 7, &kWeekdayNames, 0,
                           "values from 0 to 7 (0 and 7 are Sunday) or SUN-SAT"};

// The fields of a shortcut, as cronie sets them.
struct Shortcut {
  std::string_view name;
  std::string_view fields;
};
constexpr std::array<Shortcut, 7> kShortcuts = {{
    {"@hourly", "0 * * * *"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@weekly", "0 0 * * 0"},
    {"@monthly", "0 0 1 * *"},
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
}};

constexpr std::string_view kFieldForms =
    "write 5 fields (minute hour day-of-month month day-of-week) such as '0 6 * * *', 6 with a "
    "leading seconds field, or a shortcut: ";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> SplitOnSpaces(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) parts.push_back(text.substr(start, i - start));
  }
  return parts;
}

// Builds "FIELD field 'TEXT': WHAT — FIX" errors for one field.
class FieldError {
 public:
  FieldError(const FieldSpec& spec, std::string_view field_text)
      : prefix_(std::string(spec.name) + " field '" + std::string(field_text) + "': "),
        accepted_(spec.accepted) {}

  Status operator()(const std::string& what, const std::string& fix = "") const {
    return Status::Error(prefix_ + what + " \u2014 " + (fix.empty() ? "write " + accepted_ : fix));
  }

 private:
  std::string prefix_;
  std::string accepted_;
};

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A number or (in the month and day-of-week fields) a three-letter name.
Result<int> ParseValue(std::string_view text, const FieldSpec& spec, const FieldError& error) {
  if (AllDigits(text)) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < spec.min ||
        value > spec.max) {
      return error(std::string(text) + " is out of range");
    }
    return value;
  }
  if (spec.names != nullptr) {
    const std::string upper = Upper(text);
    for (size_t i = 0; i < spec.names->size(); ++i) {
      if ((*spec.names)[i] == upper) return spec.first_named_value + static_cast<int>(i);
    }
    const std::string kind = spec.names == &kMonthNames ? "a month name" : "a day name";
    if (const std::optional<std::string> closest = ClosestName(upper, *spec.names)) {
      return error("'" + std::string(text) + "' is not a number or " + kind,
                   "did you mean '" + *closest + "'? write " + std::string(spec.accepted));
    }
    return error("'" + std::string(text) + "' is not a number or " + kind);
  }
  if (text == "?") return error("'?' (Quartz syntax) is not cron", "write '*' instead");
  return error("'" + std::string(text) + "' is not a number");
}

struct ParsedField {
  uint64_t bits = 0;
  bool star = false;  // the field's text starts with '*'
};

// One comma-separated item: "*", "V", "A-B", each optionally followed by "/STEP". "V/STEP"
// means from V to the field's maximum.
Status ParseItem(std::string_view item, const FieldSpec& spec, const FieldError& error,
                 uint64_t& bits) {
  std::string_view base = item;
  int step = 1;
  if (const size_t slash = item.find('/'); slash != std::string_view::npos) {
    base = item.substr(0, slash);
    const std::string_view step_text = item.substr(slash + 1);
    const std::string step_fix = "write a step from 1 to " + std::to_string(spec.max) +
                                 " after '/', as in '*/15'";
    if (!AllDigits(step_text)) {
      return error("'" + std::string(step_text) + "' after '/' is not a step", step_fix);
    }
    const auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
    if (ec != std::errc() || end != step_text.data() + step_text.size() || step < 1 ||
        step > spec.max) {
      return error("step " + std::string(step_text) + " is out of range", step_fix);
    }
    if (base.empty()) {
      return error("'/" + std::string(step_text) + "' has nothing before the step",
                   "write a start or a range before '/', as in '*/" + std::string(step_text) + "'");
    }
  }
  int first = spec.min, last = spec.max;
  if (base != "*") {
    const size_t dash = base.find('-');
    if (dash == std::string_view::npos) {
      Result<int> value = ParseValue(base, spec, error);
      if (!value.ok()) return value.status();
      first = *value;
      last = item.size() == base.size() ? *value : spec.max;  // "V/STEP" runs to the maximum
    } else {
      const std::string_view from = base.substr(0, dash), to = base.substr(dash + 1);
      if (from.empty() || to.empty()) {
        return error("'" + std::string(base) + "' is not a range",
                     "write a range as START-END, such as " +
                         std::to_string(spec.min) + "-" + std::to_string(spec.min + 4));
      }
      Result<int> start = ParseValue(from, spec, error);
      if (!start.ok()) return start.status();
      Result<int> end = ParseValue(to, spec, error);
      if (!end.ok()) return end.status();
      if (*start > *end) {
        return error("the range " + std::string(base) + " goes backwards",
                     "write the smaller value first; to wrap around, list two ranges such as " +
                         std::string(to) + "-" + std::to_string(spec.max) + "," +
                         std::to_string(spec.min) + "-" + std::string(from));
      }
      first = *start;
      last = *end;
    }
  }
  for (int v = first; v <= last; v += step) bits |= uint64_t{1} << v;
  return Status::Ok();
}

Result<ParsedField> ParseField(std::string_view text, const FieldSpec& spec) {
  const FieldError error(spec, text);
  ParsedField field;
  field.star = text.front() == '*';
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) {
      return error("a list has an empty item", "separate values with single commas, as in 1,15,30");
    }
    if (Status s = ParseItem(item, spec, error, field.bits); !s.ok()) return s;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return field;
}

bool IsLeapYearPossibleDay(int month, int day) {
  static constexpr std::array<int, 13> kMaxDays = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= kMaxDays[static_cast<size_t>(month)];
}

Result<std::string_view> ExpandShortcut(std::string_view text) {
  const std::string lower = Lower(text);
  for (const Shortcut& s : kShortcuts) {
    if (s.name == lower) return s.fields;
  }
  if (lower == "@reboot") {
    return Status::Error(
        "'@reboot' is not supported: sluice fires schedules on a clock, not when a machine "
        "starts \u2014 use a time such as '@daily', or trigger the DAG with `sluice run`");
  }
  std::vector<std::string> names;
  for (const Shortcut& s : kShortcuts) names.emplace_back(s.name);
  names.emplace_back("@every");
  const std::optional<std::string> closest = ClosestName(lower, names);
  return Status::Error("unknown shortcut '" + std::string(text) + "' \u2014 " +
                       (closest ? "did you mean '" + *closest + "'? " : std::string()) +
                       "the shortcuts are " + std::string(kCronShortcuts) + " and @every DURATION");
}

}  // namespace

bool CronExpression::MatchesDay(int day_of_month, int weekday) const {
  const bool day_matches = Has(days_of_month_, day_of_month);
  const bool weekday_matches = Has(weekdays_, weekday);
  if (day_of_month_star_ || weekday_star_) return day_matches && weekday_matches;
  return day_matches || weekday_matches;
}

int CronExpression::NextBit(uint64_t bits, int from, int max) {
  for (int v = from < 0 ? 0 : from; v <= max; ++v) {
    if ((bits >> v) & 1) return v;
  }
  return -1;
}

Result<CronExpression> CronExpression::Parse(std::string_view text) {
  CronExpression cron;
  cron.text_ = std::string(text);
  std::vector<std::string_view> fields = SplitOnSpaces(text);
  if (fields.empty()) {
    return Status::Error("the expression is empty \u2014 " + std::string(kFieldForms) +
                         std::string(kCronShortcuts));
  }
  if (fields.size() == 1 && fields[0].front() == '@') {
    Result<std::string_view> expanded = ExpandShortcut(fields[0]);
    if (!expanded.ok()) return expanded.status();
    fields = SplitOnSpaces(*expanded);
  } else if (fields[0].front() == '@') {
    return Status::Error("a shortcut such as '" + std::string(fields[0]) +
                         "' stands alone \u2014 write it without other fields");
  }
  if (fields.size() != 5 && fields.size() != 6) {
    return Status::Error("it has " + std::to_string(fields.size()) +
                         (fields.size() == 1 ? " field" : " fields") + " \u2014 " +
                         std::string(kFieldForms) + std::string(kCronShortcuts) +
                         ", or @every DURATION");
  }
  cron.has_seconds_field_ = fields.size() == 6;
  size_t next = 0;
  if (cron.has_seconds_field_) {
    Result<ParsedField> seconds = ParseField(fields[next++], kSecond);
    if (!seconds.ok()) return seconds.status();
    cron.seconds_ = seconds->bits;
  }
  Result<ParsedField> minutes = ParseField(fields[next++], kMinute);
  if (!minutes.ok()) return minutes.status();
  Result<ParsedField> hours = ParseField(fields[next++], kHour);
  if (!hours.ok()) return hours.status();
  Result<ParsedField> days = ParseField(fields[next++], kDayOfMonth);
  if (!days.ok()) return days.status();
  Result<ParsedField> months = ParseField(fields[next++], kMonth);
  if (!months.ok()) return months.status();
  Result<ParsedField> weekdays = ParseField(fields[next++], kDayOfWeek);
  if (!weekdays.ok()) return weekdays.status();

  cron.minutes_ = minutes->bits;
  cron.minute_star_ = minutes->star;
  cron.hours_ = hours->bits;
  cron.hour_star_ = hours->star;
  cron.days_of_month_ = days->bits;
  cron.day_of_month_star_ = days->star;
  cron.months_ = months->bits;
  cron.weekdays_ = (weekdays->bits | (weekdays->bits >> 7)) & 0x7f;  // 7 is Sunday too
  cron.weekday_star_ = weekdays->star;

  // With cron's day rule a restricted day-of-week alone always finds a day (every month has
  // every weekday), but when the day of month must match, it has to exist in some month.
  // Every valid month-day falls on every weekday in some year, so this is the only way an
  // expression can never fire.
  if (cron.day_of_month_star_ || cron.weekday_star_) {
    bool some_date_exists = false;
    for (int month = 1; month <= 12 && !some_date_exists; ++month) {
      for (int day = 1; day <= 31 && cron.MatchesMonth(month); ++day) {
        if (Has(cron.days_of_month_, day) && IsLeapYearPossibleDay(month, day)) {
          some_date_exists = true;
          break;
        }
      }
    }
    if (!some_date_exists) {
      return Status::Error(
          "never fires: no month of month field '" + std::string(fields[next - 2]) +
          "' has a day of day-of-month field '" + std::string(fields[next - 3]) +
          "' \u2014 pick days that exist in those months: February has 29 days at most (in leap "
          "years); April, June, September and November have 30");
    }
  }
  return cron;
}

}  // namespace sluice
