// Retries with back-off, timeouts, trigger rules and run_timeout, end to end through
// `sluice run`: real attempt processes, their recorded history, and the tasks' own files.
#include <map>

#include "runtime/time_format.h"
#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

using nlohmann::json;


double SecondsBetween(const json& earlier_end, const json& later_start) {
  const std::optional<TimePoint> a = ParseUtc(earlier_end.get<std::string>());
  const std::optional<TimePoint> b = ParseUtc(later_start.get<std::string>());
  EXPECT_TRUE(a && b) << earlier_end << " " << later_start;
  if (!a || !b) return 0;
  return std::chrono::duration<double>(*b - *a).count();
}

class RetriesAndRulesTest : public SluiceCliTest {};

TEST_F(RetriesAndRulesTest, AFlakyTaskSucceedsOnItsThirdAttemptAfterGrowingWaits) {
  WriteFile(dir_ / "dags" / "flaky.yaml", R"(
tasks:
  - id: flaky
    plugin: test.crashy
    retries: 3
    retry_delay: 400ms
    retry_backoff: exponential
    retry_jitter: 0
    with: {mode: flaky, fail_times: 2, counter_file: counter.txt}
)");
  CommandResult r = Sluice("run flaky");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json attempts = TasksById(Json("runs show " + OnlyRunId() + " --json"))["flaky"]["attempts"];
  ASSERT_EQ(attempts.size(), 3u) << attempts.dump(2);
  EXPECT_EQ(attempts[0]["state"], "failed");
  EXPECT_EQ(attempts[1]["state"], "failed");
  EXPECT_EQ(attempts[2]["state"], "success");
  const double first_wait = SecondsBetween(attempts[0]["ended_at"], attempts[1]["started_at"]);
  const double second_wait = SecondsBetween(attempts[1]["ended_at"], attempts[2]["started_at"]);
  EXPECT_GE(first_wait, 0.4);
  EXPECT_GE(second_wait, 0.8) << "exponential: twice the first wait";
  EXPECT_LT(second_wait, 3.0);
}

TEST_F(RetriesAndRulesTest, OnlyListedExitCodesAreRetried) {
  // `temporary` exits 75 once, then succeeds; `permanent` exits 3, which is not listed.
  WriteFile(dir_ / "dags" / "codes.yaml", R"(
defaults:
  retries: 3
  retry_delay: 50ms
  retry_exit_codes: [75]
tasks:
  - id: temporary
    plugin: shell
    with: {command: "if [ -f seen ]; then exit 0; fi; touch seen; exit 75"}
  - {id: permanent, plugin: shell, with: {command: "exit 3"}}
)");
  CommandResult r = Sluice("run codes");
  EXPECT_EQ(r.exit_code, 1);
  auto tasks = TasksById(Json("runs show " + OnlyRunId() + " --json"));
  EXPECT_EQ(tasks["temporary"]["state"], "success");
  EXPECT_EQ(tasks["temporary"]["attempts"].size(), 2u);
  EXPECT_EQ(tasks["temporary"]["attempts"][0]["exit_code"], 75);
  EXPECT_EQ(tasks["permanent"]["state"], "failed");
  EXPECT_EQ(tasks["permanent"]["attempts"].size(), 1u) << "exit 3 is final";
}

TEST_F(RetriesAndRulesTest, AnAttemptHangingPastItsTimeoutIsKilledAndRetried) {
  // The first attempt hangs; the retry finds the marker the first one left and succeeds.
  WriteFile(dir_ / "dags" / "hangs.yaml", R"(
tasks:
  - id: hangs
    plugin: shell
    timeout: 500ms
    retries: 1
    retry_delay: 50ms
    with: {command: "if [ -f marker ]; then echo second; exit 0; fi; touch marker; exec sleep 30"}
)");
  const auto start = std::chrono::steady_clock::now();
  CommandResult r = Sluice("run hangs");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json attempts = TasksById(Json("runs show " + OnlyRunId() + " --json"))["hangs"]["attempts"];
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0]["state"], "timed_out");
  EXPECT_EQ(attempts[0]["signal"], 15) << "SIGTERM ended it";
  EXPECT_EQ(attempts[0]["error"], "timed out after 500ms");
  EXPECT_EQ(attempts[1]["state"], "success");
}

TEST_F(RetriesAndRulesTest, TriggerRulesDecideWhatRunsAfterAFailure) {
  // extract fails. Each task writes a file when it runs, so what ran is seen independently
  // of sluice's own records.
  WriteFile(dir_ / "dags" / "rules.yaml", R"(
tasks:
  - {id: extract, plugin: shell, with: {command: "touch ran.extract; exit 1"}}
  - {id: other, plugin: shell, with: {command: "touch ran.other"}}
  - {id: load, plugin: shell, depends_on: extract, with: {command: "touch ran.load"}}
  - {id: cleanup, plugin: shell, depends_on: load, trigger_rule: all_done,
     with: {command: "touch ran.cleanup"}}
  - {id: alarm, plugin: shell, depends_on: [extract, other], trigger_rule: one_failed,
     with: {command: "touch ran.alarm"}}
  - {id: either, plugin: shell, depends_on: [extract, other], trigger_rule: one_success,
     with: {command: "touch ran.either"}}
  - {id: on_all_failed, plugin: shell, depends_on: cleanup, trigger_rule: all_failed,
     with: {command: "touch ran.on_all_failed"}}
  - {id: tidy, plugin: shell, depends_on: [other, on_all_failed], trigger_rule: none_failed,
     with: {command: "touch ran.tidy"}}
  - {id: strict, plugin: shell, depends_on: [other, on_all_failed], with: {command: "touch ran.strict"}}
)");
  CommandResult r = Sluice("run rules");
  EXPECT_EQ(r.exit_code, 1) << "extract failed, so the run failed";
  auto tasks = TasksById(Json("runs show " + OnlyRunId() + " --json"));
  const std::map<std::string, std::string> expected = {
      {"extract", "failed"},          {"other", "success"},   {"load", "upstream_failed"},
      {"cleanup", "success"},         {"alarm", "success"},   {"either", "success"},
      {"on_all_failed", "skipped"},   {"tidy", "success"},    {"strict", "skipped"}};
  for (const auto& [task, state] : expected) {
    EXPECT_EQ(tasks[task]["state"], state) << task;
    EXPECT_EQ(std::filesystem::exists(dir_ / ("ran." + task)), state == "success" || state == "failed")
        << task << " ran (or not) as its state says";
  }
  EXPECT_EQ(Json("runs show " + OnlyRunId() + " --json")["state"], "failed");
}

TEST_F(RetriesAndRulesTest, ASkippedNotifierLeavesTheRunSuccessful) {
  WriteFile(dir_ / "dags" / "quiet.yaml", R"(
tasks:
  - {id: work, plugin: shell, with: {command: "true"}}
  - {id: alarm, plugin: shell, depends_on: work, trigger_rule: one_failed, with: {command: "true"}}
)");
  CommandResult r = Sluice("run quiet");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const json run = Json("runs show " + OnlyRunId() + " --json");
  EXPECT_EQ(run["state"], "success");
  EXPECT_EQ(TasksById(run)["alarm"]["state"], "skipped");
}

TEST_F(RetriesAndRulesTest, RunTimeoutStopsTheRunAndCancelsWhatDidNotStart) {
  WriteFile(dir_ / "dags" / "long.yaml", R"(
run_timeout: 1s
tasks:
  - {id: slow, plugin: shell, retries: 3, with: {command: "exec sleep 30"}}
  - {id: after, plugin: shell, depends_on: slow, with: {command: "touch ran.after"}}
)");
  const auto start = std::chrono::steady_clock::now();
  CommandResult r = Sluice("run long");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_GE(took, std::chrono::seconds(1));
  EXPECT_LT(took, std::chrono::seconds(10));
  const json run = Json("runs show " + OnlyRunId() + " --json");
  EXPECT_EQ(run["state"], "failed");
  auto tasks = TasksById(run);
  ASSERT_EQ(tasks["slow"]["attempts"].size(), 1u) << "a run past its timeout retries nothing";
  EXPECT_EQ(tasks["slow"]["attempts"][0]["state"], "timed_out");
  EXPECT_EQ(tasks["slow"]["attempts"][0]["error"], "the run reached its run_timeout of 1s");
  EXPECT_EQ(tasks["after"]["state"], "cancelled");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "ran.after"));
}

}  // namespace
}  // namespace sluice
