// `sluice dags next` through the real binary. Each printed time is read back by a parser of
// the test's own (date, time and offset to Unix seconds) and compared with instants computed
// independently (by hand and with Python's zoneinfo), so both the instant and the offset
// printed beside it are checked.
#include <ctime>
#include <vector>

#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

// "2026-03-08T03:00:00-04:00" -> Unix seconds; -1 when the line is not of that form.
int64_t UnixSecondsOf(const std::string& line) {
  int year, month, day, hour, minute, second, offset_hours, offset_minutes;
  char sign;
  if (line.size() != 25 ||
      std::sscanf(line.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &year, &month, &day, &hour,
                  &minute, &second, &sign, &offset_hours, &offset_minutes) != 9 ||
      (sign != '+' && sign != '-')) {
    return -1;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const int64_t offset = (sign == '-' ? -1 : 1) * (offset_hours * 3600 + offset_minutes * 60);
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::vector<int64_t> Instants(const std::vector<std::string>& lines) {
  std::vector<int64_t> out;
  for (const std::string& line : lines) out.push_back(UnixSecondsOf(line));
  return out;
}

// A DAG file in `dags_dir` with one shell task and the given top-level keys.
void WriteDag(const std::filesystem::path& dags_dir, const std::string& id,
              const std::string& top_level_keys) {
  WriteFile(dags_dir / (id + ".yaml"),
            "dag: " + id + "\n" + top_level_keys +
                "tasks:\n  - id: hello\n    plugin: shell\n    with: {command: \"true\"}\n");
}

class DagsNextCliTest : public SluiceCliTest {};

TEST_F(DagsNextCliTest, SpringForwardMovesASkippedFixedTimeToTheChange) {
  WriteDag(dir_ / "dags", "nightly", "schedule: \"30 2 * * *\"\ntimezone: America/New_York\n");
  const CommandResult r = Sluice("dags next nightly -n 3 --after 2026-03-07T12:00:00Z");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_EQ(lines, (std::vector<std::string>{"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00",
                                             "2026-03-10T02:30:00-04:00"}));
  // 2026-03-08T07:00Z, 2026-03-09T06:30Z, 2026-03-10T06:30Z
  EXPECT_EQ(Instants(lines), (std::vector<int64_t>{1772953200, 1773037800, 1773124200}));
  EXPECT_EQ(r.err, "");
}

TEST_F(DagsNextCliTest, FallBackRepeatsWildcardTimesAndReadsLocalAfterInTheDagsZone) {
  WriteDag(dir_ / "dags", "half_hourly", "schedule: \"*/30 * * * *\"\ntimezone: America/New_York\n");
  const CommandResult r = Sluice("dags next half_hourly --after 2026-11-01T00:00");  // default -n 5
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_EQ(lines, (std::vector<std::string>{"2026-11-01T00:30:00-04:00", "2026-11-01T01:00:00-04:00",
                                             "2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00",
                                             "2026-11-01T01:30:00-05:00"}));
  // 04:30Z, 05:00Z, 05:30Z, 06:00Z, 06:30Z: real time goes on across the repeated hour.
  EXPECT_EQ(Instants(lines),
            (std::vector<int64_t>{1793507400, 1793509200, 1793511000, 1793512800, 1793514600}));
}

TEST_F(DagsNextCliTest, EndDateStopsTheListAndSaysWhyOnStderr) {
  WriteDag(dir_ / "dags", "window", "schedule: \"0 6 * * *\"\ntimezone: Asia/Kathmandu\nend_date: 2026-01-02\n");
  const CommandResult r = Sluice("dags next window --after 2025-12-31T12:00:00Z");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out), (std::vector<std::string>{"2026-01-01T06:00:00+05:45", "2026-01-02T06:00:00+05:45"}));
  EXPECT_EQ(Instants(Lines(r.out)).front(), 1767226500);  // 2026-01-01T00:15Z
  EXPECT_EQ(r.err, "no more fire times: DAG 'window' ends at its end_date, 2026-01-02T23:59:59+05:45\n");

  const CommandResult past = Sluice("dags next window --after 2026-02-01");
  EXPECT_EQ(past.exit_code, 0);
  EXPECT_EQ(past.out, "");
  EXPECT_NE(past.err.find("no more fire times"), std::string::npos);
}

TEST_F(DagsNextCliTest, ADagWithoutScheduleSaysSoAndFails) {
  WriteDag(dir_ / "dags", "manual", "");
  const CommandResult r = Sluice("dags next manual");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("DAG 'manual' has no `schedule`: it runs only when triggered"), std::string::npos)
      << r.err;
}

TEST_F(DagsNextCliTest, AnUnreadableAfterIsInvalidInput) {
  WriteDag(dir_ / "dags", "nightly", "schedule: \"@daily\"\n");
  const CommandResult r = Sluice("dags next nightly --after tomorrow");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--after: 'tomorrow' is not an ISO 8601 date or date-time"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace sluice::testing
