// Compares Schedule::NextAfter with an independent brute force on thousands of random
// expressions, zones and instants around daylight-saving changes (2018-2027).
//
// The oracle shares nothing with the production code but cctz's conversion of an instant to
// wall-clock time. It reads the expression text itself (each field split into ranges that
// are tested one by one, no bitsets), and walks real time forward minute by minute (second by
// second for six fields), applying cronie's rules as it goes:
//   - an instant whose wall-clock time matches fires, except that a fixed-time job (neither
//     minute nor hour starts with '*') does not fire for a wall-clock time it has already
//     seen (the second pass of a fall-back hour);
//   - when wall-clock time jumps forward between two consecutive steps, a fixed-time job
//     fires at the later step if any skipped wall-clock time matches.
// To stay fast, the walk leaps to the next wall-clock day (or hour, or minute) when the
// current one cannot match, but only when the zone's offset is the same at both ends of the
// leap, so no change is ever jumped over.
#include <gtest/gtest.h>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "scheduler/schedule.h"

namespace sluice {
namespace {

// ---------------------------------------------------------------------------------------
// The oracle's cron matcher: each field's text split into ranges, nothing else.

constexpr std::array<const char*, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<const char*, 7> kDays = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

enum class Names { kNone, kMonths, kDays };

int OracleValue(const std::string& text, Names names) {
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (names == Names::kMonths) {
    for (int i = 0; i < 12; ++i) {
      if (upper == kMonths[static_cast<size_t>(i)]) return i + 1;
    }
  }
  if (names == Names::kDays) {
    for (int i = 0; i < 7; ++i) {
      if (upper == kDays[static_cast<size_t>(i)]) return i;
    }
  }
  return std::stoi(text);
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == separator) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// One field, read from its text: a list of items "*", "V", "A-B", each with an optional
// "/STEP" ("V/STEP" runs to the field's maximum).
class OracleField {
 public:
  OracleField() = default;
  OracleField(const std::string& text, int min, int max, Names names)
      : starts_with_star_(text[0] == '*'), sunday_is_also_7_(names == Names::kDays) {
    for (const std::string& item : Split(text, ',')) {
      const std::vector<std::string> slash = Split(item, '/');
      Range range{min, max, slash.size() == 2 ? std::stoi(slash[1]) : 1};
      if (slash[0] != "*") {
        const std::vector<std::string> dash = Split(slash[0], '-');
        range.low = OracleValue(dash[0], names);
        range.high = dash.size() == 2 ? OracleValue(dash[1], names) : (slash.size() == 2 ? max : range.low);
      }
      ranges_.push_back(range);
    }
  }

  bool starts_with_star() const { return starts_with_star_; }
  bool Covers(int value) const {
    for (const Range& r : ranges_) {
      if (r.Covers(value) || (sunday_is_also_7_ && value == 0 && r.Covers(7))) return true;
    }
    return false;
  }

 private:
  struct Range {
    int low, high, step;
    bool Covers(int value) const { return value >= low && value <= high && (value - low) % step == 0; }
  };
  std::vector<Range> ranges_;
  bool starts_with_star_ = false;
  bool sunday_is_also_7_ = false;
};

struct OracleCron {
  OracleField second, minute, hour, day_of_month, month, weekday;
  bool seconds_written = false;

  static OracleCron FromText(const std::string& text) {
    static const std::vector<std::pair<std::string, std::string>> kShortcuts = {
        {"@hourly", "0 * * * *"},   {"@daily", "0 0 * * *"},   {"@midnight", "0 0 * * *"},
        {"@weekly", "0 0 * * 0"},   {"@monthly", "0 0 1 * *"}, {"@yearly", "0 0 1 1 *"},
        {"@annually", "0 0 1 1 *"}};
    std::string expanded = text;
    for (const auto& [name, fields] : kShortcuts) {
      if (text == name) expanded = fields;
    }
    std::vector<std::string> parts;
    for (const std::string& part : Split(expanded, ' ')) {
      if (!part.empty()) parts.push_back(part);
    }
    OracleCron cron;
    cron.seconds_written = parts.size() == 6;
    if (!cron.seconds_written) parts.insert(parts.begin(), "0");
    cron.second = OracleField(parts[0], 0, 59, Names::kNone);
    cron.minute = OracleField(parts[1], 0, 59, Names::kNone);
    cron.hour = OracleField(parts[2], 0, 23, Names::kNone);
    cron.day_of_month = OracleField(parts[3], 1, 31, Names::kNone);
    cron.month = OracleField(parts[4], 1, 12, Names::kMonths);
    cron.weekday = OracleField(parts[5], 0, 7, Names::kDays);
    return cron;
  }

  bool fixed_time() const { return !minute.starts_with_star() && !hour.starts_with_star(); }

  bool DayMatches(const cctz::civil_second& c) const {
    const cctz::weekday w = cctz::get_weekday(cctz::civil_day(c));
    const int day_of_week = w == cctz::weekday::sunday ? 0 : static_cast<int>(w) + 1;
    const bool by_month_day = day_of_month.Covers(c.day());
    const bool by_weekday = weekday.Covers(day_of_week);
    const bool restricted_both = !day_of_month.starts_with_star() && !weekday.starts_with_star();
    return month.Covers(c.month()) &&
           (restricted_both ? (by_month_day || by_weekday) : (by_month_day && by_weekday));
  }
  bool HourMatches(const cctz::civil_second& c) const { return hour.Covers(c.hour()); }
  bool MinuteMatches(const cctz::civil_second& c) const { return minute.Covers(c.minute()); }
  bool Matches(const cctz::civil_second& c) const {
    return DayMatches(c) && HourMatches(c) && MinuteMatches(c) && second.Covers(c.second());
  }
};

// cctz::weekday counts from Monday; the check above relies on it.
static_assert(static_cast<int>(cctz::weekday::monday) == 0);

// ---------------------------------------------------------------------------------------
// The oracle's walk through real time.

cctz::civil_second Wall(const cctz::time_zone& zone, int64_t t) {
  return zone.lookup(cctz::time_point<cctz::seconds>(cctz::seconds(t))).cs;
}

int64_t FloorTo(int64_t t, int64_t granularity) {
  const int64_t r = t % granularity;
  return r < 0 ? t - r - granularity : t - r;
}

/// Up to `count` fire times (Unix seconds) strictly after `after`, none later than `last`.
std::vector<int64_t> OracleFireTimes(const OracleCron& cron, const cctz::time_zone& zone,
                                     int64_t after, int64_t last, size_t count) {
  const int64_t step = cron.seconds_written ? 1 : 60;
  // A fixed-time job starts early enough to have seen the first pass of a repeated hour
  // (an hour at most in the zones tested) before `after`.
  int64_t t = FloorTo(cron.fixed_time() ? after - 2 * 3600 : after, step);
  int64_t previous_t = t - step;
  cctz::civil_second previous_wall = Wall(zone, previous_t);
  std::set<cctz::civil_second> seen;  // matching wall-clock times already passed
  std::vector<int64_t> fires;
  while (t <= last && fires.size() < count) {
    const cctz::civil_second wall = Wall(zone, t);
    bool fires_now = false;
    if (previous_t == t - step && wall - previous_wall > step && cron.fixed_time()) {
      for (cctz::civil_second skipped = previous_wall + step; skipped < wall; skipped += step) {
        if (cron.Matches(skipped)) fires_now = true;
      }
    }
    if (cron.Matches(wall)) {
      const bool first_time = seen.insert(wall).second;
      if (first_time || !cron.fixed_time()) fires_now = true;
    }
    if (fires_now && t > after) fires.push_back(t);

    // Leap to the next day, hour or minute that could match, the longest leap that crosses
    // no offset change; near a change that may be a single step.
    const std::array<int64_t, 3> leaps = {
        cctz::civil_second(cctz::civil_day(wall) + 1) - wall,
        cctz::civil_second(cctz::civil_hour(wall) + 1) - wall,
        cctz::civil_second(cctz::civil_minute(wall) + 1) - wall};
    size_t first_leap = 3;  // none
    if (!cron.DayMatches(wall)) {
      first_leap = 0;
    } else if (!cron.HourMatches(wall)) {
      first_leap = 1;
    } else if (step == 1 && !cron.MinuteMatches(wall)) {
      first_leap = 2;
    }
    int64_t leap = step;
    for (size_t i = first_leap; i < leaps.size(); ++i) {
      if (leaps[i] > step && Wall(zone, t + leaps[i]) == wall + leaps[i]) {
        leap = leaps[i];
        break;
      }
    }
    previous_t = t + leap - step;
    previous_wall = wall + (leap - step);
    t += leap;
  }
  return fires;
}

// ---------------------------------------------------------------------------------------
// Random expressions.

class ExpressionGenerator {
 public:
  explicit ExpressionGenerator(uint64_t seed) : rng_(seed) {}

  int Uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::mt19937_64& rng() { return rng_; }

  /// A random expression whose hours lean towards `change_hours` (the wall-clock hours
  /// around a daylight-saving change) so that the rules for changes are exercised often.
  std::string Expression(bool with_seconds, const std::vector<int>& change_hours) {
    std::string out;
    if (with_seconds) out += Field(0, 59, Names::kNone) + " ";
    out += Chance(0.3) ? "*" + Step(0, 59) : Field(0, 59, Names::kNone);
    out += " ";
    if (!change_hours.empty() && Chance(0.5)) {
      out += std::to_string(change_hours[static_cast<size_t>(Uniform(0, static_cast<int>(change_hours.size()) - 1))]);
      if (Chance(0.3)) out += "," + std::to_string(Uniform(0, 23));
    } else {
      out += Field(0, 23, Names::kNone);
    }
    // Both day fields restricted often: that is where cron's day rule matters. Case 4 is
    // cronie's quirk: a restricted day of month that starts with '*' ("*/2") needs both.
    const int days = Uniform(0, 4);
    const bool restrict_month_day = days == 0 || days == 1;
    const bool restrict_weekday = days == 0 || days == 2 || days == 4;
    out += " " + (restrict_month_day ? Field(1, 31, Names::kNone)
                                     : days == 4 ? "*/" + std::to_string(Uniform(2, 10)) : "*");
    out += " " + (Chance(0.6) ? std::string("*") : Field(1, 12, Names::kMonths));
    out += " " + (restrict_weekday ? Field(0, 7, Names::kDays)
                                   : days == 3 && Chance(0.3) ? "*/" + std::to_string(Uniform(2, 3))
                                                              : "*");
    return out;
  }

  std::string Shortcut() {
    static const std::array<const char*, 7> kShortcuts = {"@hourly", "@daily", "@midnight",
                                                          "@weekly", "@monthly", "@yearly",
                                                          "@annually"};
    return kShortcuts[static_cast<size_t>(Uniform(0, 6))];
  }

 private:
  std::string Value(int min, int max, Names names) {
    const int v = Uniform(min, max);
    if (names == Names::kMonths && Chance(0.3)) return Cased(kMonths[static_cast<size_t>(v - 1)]);
    if (names == Names::kDays && v < 7 && Chance(0.3)) return Cased(kDays[static_cast<size_t>(v)]);
    return std::to_string(v);
  }
  std::string Cased(std::string name) {
    if (Chance(0.5)) {
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return name;
  }
  std::string Step(int min, int max) { return "/" + std::to_string(Uniform(1, std::min(max, (max - min) / 2 + 1))); }
  std::string Item(int min, int max, Names names) {
    switch (Uniform(0, 4)) {
      case 0:
      case 1: return Value(min, max, names);
      case 2: {
        const int a = Uniform(min, max), b = Uniform(a, max);
        return std::to_string(a) + "-" + std::to_string(b);
      }
      case 3: {
        const int a = Uniform(min, max), b = Uniform(a, max);
        return std::to_string(a) + "-" + std::to_string(b) + Step(min, max);
      }
      default: return std::to_string(Uniform(min, max)) + Step(min, max);
    }
  }
  std::string Field(int min, int max, Names names) {
    if (Chance(0.15)) return "*";
    std::string field = Item(min, max, names);
    for (int extra = Uniform(0, 2) == 0 ? Uniform(1, 2) : 0; extra > 0; --extra) {
      field += "," + Item(min, max, names);
    }
    return field;
  }

  std::mt19937_64 rng_;
};

// ---------------------------------------------------------------------------------------

const std::vector<std::string> kZones = {
    "America/Sao_Paulo", "America/New_York", "Europe/London",   "Europe/Paris",
    "Australia/Sydney",  "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Kathmandu",
    "Pacific/Chatham",   "UTC"};

constexpr int64_t k2018 = 1514764800;  // 2018-01-01T00:00:00Z
constexpr int64_t k2028 = 1830297600;  // 2028-01-01T00:00:00Z
constexpr int64_t kHorizon = 400 * 86400;
constexpr size_t kFiresCompared = 3;

struct ZoneChange {
  int64_t at;
  std::vector<int> wall_hours;  // wall-clock hours on either side of the change
};

std::vector<ZoneChange> ChangesBetween2018And2028(const cctz::time_zone& zone) {
  std::vector<ZoneChange> changes;
  auto t = cctz::time_point<cctz::seconds>(cctz::seconds(k2018));
  cctz::time_zone::civil_transition change;
  while (zone.next_transition(t, &change)) {
    t = zone.lookup(change.to).trans;
    if (t.time_since_epoch().count() >= k2028) break;
    const int from = change.from.hour(), to = change.to.hour();
    changes.push_back({t.time_since_epoch().count(), {from, to, (from + 23) % 24}});
  }
  return changes;
}

Schedule::TimePoint ToTimePoint(int64_t unix_seconds) {
  return Schedule::TimePoint(std::chrono::seconds(unix_seconds));
}
int64_t ToUnix(Schedule::TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

struct Tally {
  int compared = 0, beyond_horizon = 0, never_fire = 0, failures = 0;
};

// Runs one case; reports a mismatch with everything needed to reproduce it.
void CompareOne(const std::string& expression, const std::string& zone_name, int64_t after,
                Tally& tally) {
  cctz::time_zone zone;
  ASSERT_TRUE(cctz::load_time_zone(zone_name, &zone)) << zone_name;
  const std::vector<int64_t> expected =
      OracleFireTimes(OracleCron::FromText(expression), zone, after, after + kHorizon, kFiresCompared);
  const Result<Schedule> schedule = Schedule::Create(expression, zone_name, std::nullopt, std::nullopt);
  if (!schedule.ok()) {
    // The only valid syntax production may refuse is an expression that never fires.
    EXPECT_NE(schedule.message().find("never fires"), std::string::npos)
        << expression << ": " << schedule.message();
    EXPECT_TRUE(expected.empty()) << expression << " was refused but the oracle fires at "
                                  << expected.front();
    ++tally.never_fire;
    return;
  }
  std::vector<int64_t> actual;
  int64_t t = after;
  while (actual.size() < expected.size() + 1) {
    const Result<std::optional<Schedule::TimePoint>> next = schedule->NextAfter(ToTimePoint(t));
    ASSERT_TRUE(next.ok()) << expression << ": " << next.message();
    ASSERT_TRUE(next->has_value()) << expression;
    t = ToUnix(**next);
    actual.push_back(t);
    if (actual.size() == kFiresCompared) break;
  }
  // Backwards: between two consecutive oracle fires, the later one's previous fire and the
  // latest fire at or before any instant in between are the earlier one.
  bool backwards_agree = true;
  for (size_t i = 0; i + 1 < expected.size() && i < 3; ++i) {
    const auto previous = schedule->PreviousBefore(ToTimePoint(expected[i + 1]));
    const auto latest_at = schedule->LatestAtOrBefore(ToTimePoint(expected[i]));
    const auto latest_between = schedule->LatestAtOrBefore(ToTimePoint(expected[i + 1] - 1));
    ASSERT_TRUE(previous.ok() && latest_at.ok() && latest_between.ok()) << expression;
    for (const auto* found : {&*previous, &*latest_at, &*latest_between}) {
      if (!found->has_value() || ToUnix(**found) != expected[i]) backwards_agree = false;
    }
  }
  // What production finds past the oracle's fires must lie beyond the oracle's horizon.
  const bool agrees = backwards_agree &&
      std::equal(expected.begin(), expected.end(), actual.begin()) &&
      (expected.size() == kFiresCompared || actual[expected.size()] > after + kHorizon);
  if (expected.size() < kFiresCompared) ++tally.beyond_horizon;
  ++tally.compared;
  if (!agrees && ++tally.failures <= 10) {
    auto list = [&](const std::vector<int64_t>& times) {
      std::string out;
      for (int64_t x : times) out += " " + cctz::format("%Y-%m-%dT%H:%M:%S%Ez", ToTimePoint(x), zone);
      return out;
    };
    ADD_FAILURE() << "'" << expression << "' in " << zone_name << " after "
                  << cctz::format("%Y-%m-%dT%H:%M:%S%Ez", ToTimePoint(after), zone) << " (" << after
                  << ")\n  oracle:    " << list(expected) << "\n  production:" << list(actual)
                  << (backwards_agree ? "" : "\n  (PreviousBefore/LatestAtOrBefore disagree)");
  }
}

void CompareRandomCases(bool with_seconds, int cases, uint64_t seed) {
  ExpressionGenerator generate(seed);
  std::vector<std::vector<ZoneChange>> changes;
  for (const std::string& name : kZones) {
    cctz::time_zone zone;
    ASSERT_TRUE(cctz::load_time_zone(name, &zone)) << name;
    changes.push_back(ChangesBetween2018And2028(zone));
  }
  Tally tally;
  for (int i = 0; i < cases && tally.failures < 10; ++i) {
    const size_t z = static_cast<size_t>(generate.Uniform(0, static_cast<int>(kZones.size()) - 1));
    int64_t after = 0;
    std::vector<int> change_hours;
    if (!changes[z].empty() && generate.Chance(0.85)) {
      const ZoneChange& change = changes[z][static_cast<size_t>(generate.Uniform(0, static_cast<int>(changes[z].size()) - 1))];
      // Mostly just before the change, sometimes inside or after it.
      after = change.at - std::uniform_int_distribution<int64_t>(-6 * 3600, 2 * 86400)(generate.rng());
      change_hours = change.wall_hours;
    } else {
      after = std::uniform_int_distribution<int64_t>(k2018, k2028)(generate.rng());
    }
    const std::string expression = (!with_seconds && generate.Chance(0.03))
                                       ? generate.Shortcut()
                                       : generate.Expression(with_seconds, change_hours);
    CompareOne(expression, kZones[z], after, tally);
  }
  EXPECT_EQ(tally.failures, 0) << "seed " << seed;
  // The comparison must mostly compare: few cases beyond the horizon or never firing.
  EXPECT_GT(tally.compared, cases * 8 / 10) << "never fire: " << tally.never_fire;
  std::cout << "[ oracle ] " << tally.compared << " compared (" << tally.beyond_horizon
            << " with fewer than " << kFiresCompared << " fires in 400 days), "
            << tally.never_fire << " refused as never firing\n";
}

TEST(ScheduleOracleTest, FiveFieldExpressionsAgreeWithTheBruteForce) {
  CompareRandomCases(/*with_seconds=*/false, 5000, 20260308);
}

TEST(ScheduleOracleTest, SixFieldExpressionsAgreeWithTheBruteForce) {
  CompareRandomCases(/*with_seconds=*/true, 1000, 20261101);
}

// The oracle itself, on the hand-checked cases of schedule_test.cc, so that a broken oracle
// cannot agree with broken production code unnoticed.
TEST(ScheduleOracleTest, OracleReproducesTheHandCheckedDaylightSavingCases) {
  cctz::time_zone new_york;
  ASSERT_TRUE(cctz::load_time_zone("America/New_York", &new_york));
  const int64_t kMar7Noon = 1772884800;   // 2026-03-07T12:00:00Z
  const int64_t kOct31Noon = 1793448000;  // 2026-10-31T12:00:00Z
  EXPECT_EQ(OracleFireTimes(OracleCron::FromText("30 2 * * *"), new_york, kMar7Noon, kMar7Noon + kHorizon, 2),
            (std::vector<int64_t>{1772953200, 1773037800}));  // 07:00Z (03:00 EDT), 9th 06:30Z
  EXPECT_EQ(OracleFireTimes(OracleCron::FromText("30 1 * * *"), new_york, kOct31Noon, kOct31Noon + kHorizon, 2),
            (std::vector<int64_t>{1793511000, 1793601000}));  // Nov 1 05:30Z, Nov 2 06:30Z
  EXPECT_EQ(OracleFireTimes(OracleCron::FromText("*/30 * * * *"), new_york, 1793511000 - 1800 - 900,
                            kOct31Noon + kHorizon, 4),
            (std::vector<int64_t>{1793509200, 1793511000, 1793512800, 1793514600}));
  EXPECT_EQ(OracleFireTimes(OracleCron::FromText("0 0 */2 * FRI"), cctz::utc_time_zone(),
                            1767225600, 1767225600 + kHorizon, 2),  // from 2026-01-01
            (std::vector<int64_t>{1767916800, 1769126400}));   // Jan 9, Jan 23
}

}  // namespace
}  // namespace sluice
