// The web UI end to end in a real browser: the real `sluice scheduler` serves the UI and API
// on a free loopback port, and tests/ui/e2e.mjs drives Debian's Chromium through it with
// Playwright — trigger the SiCooperative job and watch it succeed, read its source and a
// task's output, trigger it again with a param changed, backfill it over two days, read a
// broken DAG's source (its error's line marked), trigger a DAG whose middle
// task fails until a marker file exists, read the failure in the attempt's log, create the
// marker, Clear with downstream, watch the run succeed; then, with the event stream cut,
// watch another run succeed by polling. The state database, read here on a
// connection of our own, must agree with what the browser saw.
//
// Screenshots of every step stay in BUILD/test-output/ui-e2e/ after the test, pass or fail.
#include <algorithm>
#include <cstdlib>
#include <regex>
#include <string>

#include "tests/scheduler_daemon_test.h"

namespace sluice::testing {
namespace {

constexpr const char* kToken = "e2e-token-5b1d0c";

// first -> middle -> last; middle fails (exit 3, a message on stderr) until `marker` exists.
std::string FlakyDag(const std::filesystem::path& marker) {
  const std::string m = ShellQuote(marker.string());
  return R"(dag: flaky
description: Fails in the middle until the marker file exists
tasks:
  - {id: first, plugin: shell, with: {command: "echo first ran"}}
  - id: middle
    plugin: shell
    depends_on: [first]
    with:
      command: >-
        if test -f )" + m + R"(; then echo marker found; else
        echo "middle: marker is missing, create it and clear me" >&2; exit 3; fi
  - {id: last, plugin: shell, depends_on: [middle], with: {command: "echo last ran"}}
)";
}

class UiE2eTest : public SchedulerDaemonTest {
 protected:
  void SetUp() override {
    SchedulerDaemonTest::SetUp();
    out_ = std::filesystem::path(SLUICE_BINARY_DIR) / "test-output" / "ui-e2e";
    std::filesystem::remove_all(out_);
    std::filesystem::create_directories(out_);
    ::setenv("SLUICE_API_TOKEN", kToken, 1);  // inherited by the scheduler we start
  }
  void TearDown() override {
    ::unsetenv("SLUICE_API_TOKEN");
    SchedulerDaemonTest::TearDown();
  }

  // The SiCooperative DAG of dags/, its source and outputs in this test's folder.
  void WriteSicooperativeDag() {
    std::string yaml = ReadFile(std::string(SLUICE_SOURCE_DIR) + "/dags/sicooperative.yaml");
    const auto set = [&](const std::string& key, const std::string& value) {
      const std::regex line("\n  " + key + ": [^\n]*");
      ASSERT_TRUE(std::regex_search(yaml, line)) << key;
      yaml = std::regex_replace(yaml, line, "\n  " + key + ": " + value);
    };
    set("source_db", (dir_ / "src" / "sicooperative.db").string());
    set("example_dir", std::string(SLUICE_SOURCE_DIR) + "/examples/sicooperative");
    set("output_dir", (dir_ / "lake").string());
    WriteFile(dir_ / "dags" / "sicooperative.yaml", yaml);
  }

  std::vector<AttemptRecord> AttemptsOf(const std::string& run_id, const std::string& task_id) {
    Result<std::vector<AttemptRecord>> attempts = Store().ListAttempts(run_id, task_id);
    EXPECT_TRUE(attempts.ok()) << attempts.message();
    return attempts.ok() ? *attempts : std::vector<AttemptRecord>();
  }

  std::filesystem::path out_;
};

TEST_F(UiE2eTest, TriggerWatchReadTheFailedLogClearWithDownstreamAndWatchTheRerunInChromium) {
#if !SLUICE_UI_BUILT
  GTEST_SKIP() << "configured with -DSLUICE_UI=OFF: there is no UI to test";
#endif
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/chromium"))
      << "Debian's chromium is needed: ops/dev/install-deps.sh installs it";
  ASSERT_TRUE(std::filesystem::exists(std::string(SLUICE_SOURCE_DIR) +
                                      "/tests/npm/node_modules/playwright-core"))
      << "run: npm ci --prefix tests/npm";
  WriteSicooperativeDag();
  const std::filesystem::path marker = dir_ / "marker";
  WriteFile(dir_ / "dags" / "flaky.yaml", FlakyDag(marker));
  // Broken on line 3: the UI marks that line of its source.
  WriteFile(dir_ / "dags" / "broken.yaml", "dag: broken\ntasks:\n  - {id: x, plugin: no.such.plugin}\n");

  StartScheduler();  // on a free loopback port, which its log announces
  const int port = HttpPort();
  ASSERT_GT(port, 0) << SchedulerLog(1);
  const std::string url = "http://127.0.0.1:" + std::to_string(port);

  const std::string node_log = (out_ / "e2e.log").string();
  const std::string command =
      std::string(SLUICE_NODE) + " " + SLUICE_SOURCE_DIR + "/tests/ui/e2e.mjs --url " + url +
      " --token " + kToken + " --out " + ShellQuote(out_.string()) + " --marker " +
      ShellQuote(marker.string()) + " --good-file " +
      ShellQuote((dir_ / "dags" / "sicooperative.yaml").string()) +
      " --params-output " + ShellQuote((dir_ / "lake-by-params").string()) +
      " --backfill-from 2026-01-01 --backfill-to 2026-01-02" +
      " --broken broken --broken-line 3 --timeout 240 >" + ShellQuote(node_log) + " 2>&1";
  const int status = std::system(command.c_str());
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  ASSERT_EQ(exit_code, 0) << "the browser steps failed (screenshots in " << out_ << "):\n"
                          << ReadFile(node_log);

  // A screenshot of every step.
  for (const char* step : {"01-dag-list", "02-token-dialog", "03-good-triggered", "04-good-success",
                           "05-good-graph", "06-good-output", "07-params-dialog",
                           "08-backfill-queued", "09-broken-source", "10-flaky-failed",
                           "11-flaky-log", "12-flaky-cleared", "13-flaky-rerun-success",
                           "14-polling-fallback"}) {
    const auto png = out_ / (std::string(step) + ".png");
    ASSERT_TRUE(std::filesystem::exists(png)) << png;
    EXPECT_EQ(ReadFile(png).substr(1, 3), "PNG") << png;
  }

  // What the browser saw is what the database holds.
  // Three triggered (live updates, params, polling) and two backfilled: 03:00 in
  // America/Sao_Paulo (UTC-3 all year since 2019) on each day is 06:00 UTC.
  ASSERT_TRUE(WaitFor([&] { return CountRuns("sicooperative", "success") == 5; }, std::chrono::seconds(60)))
      << "the backfilled runs did not both succeed";
  const std::vector<RunRecord> good = Runs("sicooperative");
  ASSERT_EQ(good.size(), 5u);
  int with_params = 0;
  std::vector<std::string> backfilled;
  for (const RunRecord& run : good) {
    EXPECT_EQ(run.state, "success");
    if (run.trigger == "backfill") {
      backfilled.push_back(run.logical_date);
      continue;
    }
    EXPECT_EQ(run.trigger, "manual") << "triggered from the UI";
    with_params += run.params_json.find("lake-by-params") != std::string::npos;
  }
  EXPECT_EQ(with_params, 1);
  std::sort(backfilled.begin(), backfilled.end());
  ASSERT_EQ(backfilled.size(), 2u);
  EXPECT_EQ(backfilled[0].substr(0, 19), "2026-01-01T06:00:00");
  EXPECT_EQ(backfilled[1].substr(0, 19), "2026-01-02T06:00:00");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "lake" / "movimento_mensal.csv"));
  EXPECT_EQ(ReadFile(dir_ / "lake-by-params" / "movimento_mensal.csv"),
            ReadFile(dir_ / "lake" / "movimento_mensal.csv"))
      << "the run with params wrote the same report where the param said";

  const std::vector<RunRecord> flaky = Runs("flaky");
  ASSERT_EQ(flaky.size(), 1u) << "cleared and re-run in place, not a new run";
  EXPECT_EQ(flaky[0].state, "success");
  const std::vector<AttemptRecord> middle = AttemptsOf(flaky[0].run_id, "middle");
  ASSERT_EQ(middle.size(), 2u);
  EXPECT_EQ(middle[0].state, "failed");
  EXPECT_EQ(middle[0].exit_code, 3);
  EXPECT_EQ(middle[1].state, "success");
  EXPECT_EQ(AttemptsOf(flaky[0].run_id, "last").size(), 1u)
      << "last never ran before the clear (upstream failed), then once";
  EXPECT_EQ(AttemptsOf(flaky[0].run_id, "first").size(), 1u)
      << "first was upstream of the cleared task: not run again";
}

}  // namespace
}  // namespace sluice::testing
