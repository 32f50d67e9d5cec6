// `kill -HUP` (what `systemctl reload` sends) to the real `sluice scheduler`: parallelism,
// pools, global alert routes and the alerts' link address are taken again from sluice.yaml
// without a restart (a new HTTP address is said to need one), and a file with problems is
// refused while the settings in force stay.
// Concurrency is measured by the tasks themselves, not read from the scheduler's log.
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/http_client.h"
#include "tests/scheduler_daemon_test.h"
#include "tests/webhook_receiver.h"

namespace sluice::testing {
namespace {

using std::chrono::seconds;

// Each task marks itself running, notes how many are running, and holds for a second.
constexpr const char* kOverlapScript =
    "mkdir -p running; touch running/$1; ls running | wc -l >> peak; sleep 1; rm running/$1\n";

constexpr const char* kWide = R"(
tasks:
  - {id: a, plugin: shell, with: {command: "sh overlap.sh a"}}
  - {id: b, plugin: shell, with: {command: "sh overlap.sh b"}}
  - {id: c, plugin: shell, with: {command: "sh overlap.sh c"}}
)";

class SchedulerReloadTest : public SchedulerDaemonTest {
 protected:
  void SetUp() override {
    SchedulerDaemonTest::SetUp();
    ::setenv("SLUICE_TEST_HOOK", receiver_.Url("/hook").c_str(), 1);  // the scheduler inherits it
    WriteFile(dir_ / "overlap.sh", kOverlapScript);
    WriteFile(dir_ / "dags" / "wide.yaml", kWide);
    WriteFile(dir_ / "dags" / "pooled.yaml",
              "tasks:\n  - {id: p, plugin: shell, pool: warehouse, with: {command: 'true'}}\n");
    WriteFile(dir_ / "dags" / "failing.yaml",
              "tasks:\n  - {id: f, plugin: shell, with: {command: 'sleep 2; exit 3'}}\n");
  }
  void TearDown() override {
    ::unsetenv("SLUICE_TEST_HOOK");
    SchedulerDaemonTest::TearDown();
  }

  // The most tasks of `wide` the tasks saw running at once, over the runs since the last call.
  int TakePeak() {
    std::istringstream lines(ReadFile(dir_ / "peak"));
    int peak = 0;
    for (int n = 0; lines >> n;) peak = std::max(peak, n);
    std::filesystem::remove(dir_ / "peak");
    return peak;
  }

  bool RunWideOnce(size_t done_before) {
    if (Sluice("dags trigger wide").exit_code != 0) return false;
    return WaitFor([&] { return CountRuns("wide", "success") == done_before + 1; }, seconds(30));
  }

  bool LogSays(const std::string& text) {
    return WaitFor([&] { return SchedulerLog(1).find(text) != std::string::npos; }, seconds(10));
  }

  WebhookReceiver receiver_;
};

TEST_F(SchedulerReloadTest, SighupTakesNewLimitsPoolsAndAlertRoutesAndRefusesABrokenFile) {
  WriteFile(dir_ / "home" / "sluice.yaml", "parallelism: 1\nlisten: 127.0.0.1:0\n");
  const pid_t scheduler = StartScheduler("--listen ''");  // the address from sluice.yaml
  const int port = HttpPort();
  ASSERT_GT(port, 0);
  ASSERT_TRUE(RunWideOnce(0));
  EXPECT_EQ(TakePeak(), 1) << "parallelism 1 runs one task at a time";
  EXPECT_NE(SchedulerLog(1).find("pool 'warehouse' in task 'p' is not declared"), std::string::npos)
      << SchedulerLog(1);
  // A run going on while the settings change: its failure goes to the route added meanwhile.
  ASSERT_EQ(Sluice("dags trigger failing").exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return CountRuns("failing", "running") == 1; }, seconds(10)));

  WriteFile(dir_ / "home" / "sluice.yaml",
            "parallelism: 3\n"
            "listen: 127.0.0.1:1\n"
            "pools: {warehouse: 1}\n"
            "ui_url: https://sluice.example.com\n"
            "alerts:\n"
            "  - webhook: \"${SLUICE_TEST_HOOK}\"\n"
            "    on: [failure]\n");
  ASSERT_EQ(::kill(scheduler, SIGHUP), 0);
  ASSERT_TRUE(LogSays("settings reloaded: parallelism 3, pools warehouse 1, 1 global alert "
                      "route(s), workspace_retention 7d"))
      << SchedulerLog(1);
  EXPECT_TRUE(LogSays("pooled: fixed, scheduled again")) << SchedulerLog(1);
  EXPECT_TRUE(LogSays("reload: `listen` changed to 127.0.0.1:1: the HTTP server moves there at "
                      "the next restart"))
      << SchedulerLog(1);
  EXPECT_EQ(HttpClient(port).Get("/api/v1/health").status, 200) << "it stays where it was";

  // The new global route gets the failure of the run that was going on, linking to the new
  // address.
  ASSERT_TRUE(receiver_.WaitForRequests(1, std::chrono::milliseconds(20000))) << SchedulerLog(1);
  const std::string alert = receiver_.Requests()[0].body;
  EXPECT_NE(alert.find("https://sluice.example.com/runs/"), std::string::npos) << alert;
  EXPECT_NE(alert.find("failing"), std::string::npos) << alert;

  ASSERT_TRUE(RunWideOnce(1));
  EXPECT_EQ(TakePeak(), 3) << "the new parallelism lets the three tasks run together";
  ASSERT_EQ(Sluice("dags trigger pooled").exit_code, 0);
  EXPECT_TRUE(WaitFor([&] { return CountRuns("pooled", "success") == 1; }, seconds(20)));

  // A file with a problem: refused where it is wrong, the scheduler goes on as it was.
  WriteFile(dir_ / "home" / "sluice.yaml", "parallelism: 3\npools: {warehouse: 0}\n");
  ASSERT_EQ(::kill(scheduler, SIGHUP), 0);
  ASSERT_TRUE(LogSays("reload refused, the settings in force are kept:")) << SchedulerLog(1);
  EXPECT_NE(SchedulerLog(1).find("sluice.yaml:2:"), std::string::npos) << SchedulerLog(1);
  ASSERT_TRUE(RunWideOnce(2)) << "still running after the refused reload";
  EXPECT_EQ(TakePeak(), 3) << "the settings in force were kept";
  EXPECT_EQ(CountRuns("pooled", "success"), 1u);
  EXPECT_EQ(StopScheduler(scheduler), 0);
}

}  // namespace
}  // namespace sluice::testing
