#include "scheduler/schedule.h"

#include <cctz/time_zone.h>

#include <algorithm>
#include <cctype>

#include "scheduler/cron_expression.h"
#include "scheduler/cron_search.h"
#include "scheduler/duration.h"
#include "scheduler/zoned_time.h"

namespace sluice {
namespace {

using TimePoint = Schedule::TimePoint;

// Far enough for any expression that can fire at all (see NextAfter).
constexpr std::chrono::hours kSearchHorizon(24 * 366 * 100);

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

constexpr std::string_view kEvery = "@every";

// "@every", in any case, alone or followed by a space.
bool StartsWithEvery(std::string_view text) {
  text = Trimmed(text);
  if (text.size() < kEvery.size()) return false;
  for (size_t i = 0; i < kEvery.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != kEvery[i]) return false;
  }
  return text.size() == kEvery.size() || IsSpace(text[kEvery.size()]);
}

// "@every DURATION": a whole number of seconds, at least one.
// REQUIRES: StartsWithEvery(text).
Result<std::chrono::seconds> ParseEvery(std::string_view text) {
  const std::string_view duration_text = Trimmed(Trimmed(text).substr(kEvery.size()));
  if (duration_text.empty()) {
    return Status::Error("'@every' needs a duration \u2014 write e.g. '@every 30m' or '@every 1h30m'");
  }
  const Result<Duration> duration = ParseDuration(duration_text);
  if (!duration.ok()) {
    return Status::Error("'" + std::string(duration_text) +
                         "' after '@every' is not a duration \u2014 write " + std::string(kDurationForms));
  }
  if (*duration < std::chrono::seconds(1) || duration->count() % 1000 != 0) {
    return Status::Error("'@every " + std::string(duration_text) +
                         "' is not a whole number of seconds of at least 1s \u2014 write e.g. "
                         "'@every 30s' or '@every 5m'");
  }
  return std::chrono::duration_cast<std::chrono::seconds>(*duration);
}

CctzSeconds ToCctz(TimePoint t) { return std::chrono::floor<cctz::seconds>(t); }
TimePoint FromCctz(CctzSeconds t) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(t.time_since_epoch()));
}

}  // namespace

struct Schedule::State {
  std::string expression;
  std::string zone_name;
  cctz::time_zone zone;
  std::optional<CronExpression> cron;  // set unless `every` is
  std::chrono::seconds every{0};
  std::optional<TimePoint> start;
  std::optional<TimePoint> end;
};

Status Schedule::CheckExpression(std::string_view expression) {
  if (StartsWithEvery(expression)) return ParseEvery(expression).status();
  return CronExpression::Parse(expression).status();
}

Result<Schedule> Schedule::Create(std::string_view expression, const std::string& zone,
                                  std::optional<TimePoint> start, std::optional<TimePoint> end) {
  auto state = std::make_shared<State>();
  state->expression = std::string(expression);
  state->zone_name = zone;
  if (!cctz::load_time_zone(zone, &state->zone)) {
    return Status::Error("unknown time zone '" + zone +
                         "' \u2014 use an IANA name such as 'UTC' or 'America/New_York'");
  }
  if (StartsWithEvery(expression)) {
    Result<std::chrono::seconds> every = ParseEvery(expression);
    if (!every.ok()) return every.status();
    state->every = *every;
  } else {
    Result<CronExpression> cron = CronExpression::Parse(expression);
    if (!cron.ok()) return cron.status();
    state->cron = std::move(cron).value();
  }
  if (start && end && *end < *start) {
    return Status::Error("end_date " + FormatZonedTime(*end, zone) + " is before start_date " +
                         FormatZonedTime(*start, zone) + " \u2014 swap them, or remove end_date");
  }
  state->start = start;
  state->end = end;
  return Schedule(std::move(state));
}

Result<Schedule> Schedule::ForDag(const DagSpec& dag) {
  if (dag.schedule.empty()) {
    return Status::Error("DAG '" + dag.id +
                         "' has no `schedule`: it runs only when triggered \u2014 add e.g. "
                         "'schedule: \"0 6 * * *\"' to " + dag.file + " to run it on a clock");
  }
  return Create(dag.schedule, dag.timezone, dag.start_date, dag.end_date);
}

Result<std::optional<TimePoint>> Schedule::NextAfter(TimePoint after) const {
  const State& s = *state_;
  // Nothing fires before start: searching after the instant just before it finds it too.
  if (s.start && after < *s.start) after = *s.start - TimePoint::duration(1);
  const TimePoint horizon = after + kSearchHorizon;
  const TimePoint limit = s.end ? std::min(*s.end, horizon) : horizon;
  std::optional<TimePoint> next;
  if (s.cron) {
    if (std::optional<CctzSeconds> at = NextCronFireTime(*s.cron, s.zone, ToCctz(after), ToCctz(limit))) {
      next = FromCctz(*at);
    }
  } else {
    const TimePoint anchor = s.start.value_or(TimePoint());  // TimePoint() is the Unix epoch
    if (after < anchor) {
      next = anchor;
    } else {
      const auto every = std::chrono::duration_cast<TimePoint::duration>(s.every);
      next = anchor + ((after - anchor) / every + 1) * every;
    }
    if (*next > limit) next.reset();
  }
  if (next || (s.end && *s.end <= horizon)) return next;
  return Status::Error("schedule '" + s.expression + "' has no fire time in the 100 years after " +
                       FormatZonedTime(after, s.zone_name));
}

Result<std::optional<TimePoint>> Schedule::LatestAtOrBefore(TimePoint at) const {
  const State& s = *state_;
  if (s.end && at > *s.end) at = *s.end;
  if (s.start && at < *s.start) return std::optional<TimePoint>();
  if (!s.cron) {
    const TimePoint anchor = s.start.value_or(TimePoint());
    const auto every = std::chrono::duration_cast<TimePoint::duration>(s.every);
    if (at < anchor) return std::optional<TimePoint>();
    return std::optional<TimePoint>(anchor + ((at - anchor) / every) * every);
  }
  // Cron fires on whole seconds: the latest fire at or before `at` is the latest before the
  // second after the one `at` falls in.
  const TimePoint second = std::chrono::floor<std::chrono::seconds>(at);
  Result<std::optional<TimePoint>> latest = PreviousBefore(second + std::chrono::seconds(1));
  if (!latest.ok()) return latest.status();
  if (*latest && s.start && **latest < *s.start) return std::optional<TimePoint>();
  return latest;
}

Result<std::optional<TimePoint>> Schedule::PreviousBefore(TimePoint fire) const {
  const State& s = *state_;
  if (!s.cron) return std::optional<TimePoint>(fire - std::chrono::duration_cast<TimePoint::duration>(s.every));
  // Walk forward through a window ending at `fire`; double it until it holds a fire.
  const CctzSeconds end = ToCctz(fire - TimePoint::duration(1));
  for (auto window = std::chrono::seconds(120); window <= kSearchHorizon; window *= 2) {
    CctzSeconds cursor = end - window;
    std::optional<CctzSeconds> last;
    while (std::optional<CctzSeconds> at = NextCronFireTime(*s.cron, s.zone, cursor, end)) {
      last = *at;
      cursor = *at;
    }
    if (last) return std::optional<TimePoint>(FromCctz(*last));
  }
  return Status::Error("schedule '" + s.expression + "' has no fire time in the 100 years before " +
                       FormatZonedTime(fire, s.zone_name));
}

const std::string& Schedule::expression() const { return state_->expression; }
const std::string& Schedule::zone_name() const { return state_->zone_name; }
std::optional<Schedule::TimePoint> Schedule::start() const { return state_->start; }
std::optional<Schedule::TimePoint> Schedule::end() const { return state_->end; }

}  // namespace sluice
