// Alerts from the real `sluice scheduler` process to a real webhook receiver on loopback:
// dag_broken once per broken content, the outbox surviving restarts with nothing sent twice,
// and the resolved URL kept out of logs, the table and `sluice alerts list`.
#include <cstdlib>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/alert.h"
#include "tests/scheduler_daemon_test.h"
#include "tests/webhook_receiver.h"

namespace sluice::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kSecret = "SECRET-HOOK-789";

class AlertsSchedulerTest : public SchedulerDaemonTest {
 protected:
  void SetUp() override {
    SchedulerDaemonTest::SetUp();
    // Inherited by the scheduler the fixture starts, as a deployment's environment would be.
    ::setenv("SLUICE_TEST_HOOK", receiver_.Url(std::string("/services/T0/B0/") + kSecret).c_str(), 1);
    WriteFile(dir_ / "home" / "sluice.yaml",
              "alerts:\n"
              "  - webhook: \"${SLUICE_TEST_HOOK}\"\n"
              "    on: [dag_broken, failure, success]\n");
  }
  void TearDown() override {
    ::unsetenv("SLUICE_TEST_HOOK");
    SchedulerDaemonTest::TearDown();
  }

  // Everything a user or operator can read, to look for the secret in.
  void ExpectNoSecretAnywhere(int scheduler_logs) {
    for (int i = 1; i <= scheduler_logs; ++i) {
      EXPECT_EQ(SchedulerLog(i).find(kSecret), std::string::npos) << SchedulerLog(i);
      EXPECT_EQ(SchedulerLog(i).find(":" + std::to_string(receiver_.port())), std::string::npos)
          << "the receiver's address: " << SchedulerLog(i);
    }
    for (const char* args : {"alerts list", "alerts list --json"}) {
      CommandResult r = Sluice(args);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_NE(r.out.find("${SLUICE_TEST_HOOK}"), std::string::npos) << "as written: " << r.out;
      EXPECT_EQ(r.out.find(kSecret), std::string::npos) << r.out;
    }
    const std::string dump = CaptureCommand("sqlite3 " + (dir_ / "home" / "sluice.db").string() +
                                            " 'SELECT * FROM alerts'");
    EXPECT_FALSE(dump.empty());
    EXPECT_EQ(dump.find(kSecret), std::string::npos) << dump;
  }

  WebhookReceiver receiver_;
};

TEST_F(AlertsSchedulerTest, ABrokenDagFileAlertsOncePerBrokenContentAcrossRescansAndRestarts) {
  WriteFile(dir_ / "dags" / "broken.yaml",
            "dag: orders\nschedule: \"@daily\"\ntasks:\n  - {id: a, plugin: shell, with: {comand: x}}\n");
  const pid_t first = StartScheduler();
  ASSERT_TRUE(receiver_.WaitForRequests(1, seconds(5))) << SchedulerLog(1);
  std::this_thread::sleep_for(milliseconds(2500));  // two rescans (--rescan 1) at least
  std::vector<WebhookReceiver::Request> requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 1u) << "once, not on every rescan";
  const nlohmann::json payload = nlohmann::json::parse(requests[0].body);
  const std::string text = payload.at("text");
  EXPECT_NE(text.find("broken.yaml is broken"), std::string::npos) << text;
  EXPECT_NE(requests[0].body.find("comand"), std::string::npos) << "the error excerpt";
  EXPECT_NE(requests[0].body.find("broken.yaml:4:"), std::string::npos) << "with its line";

  // Broken differently: a new alert.
  WriteFile(dir_ / "dags" / "broken.yaml",
            "dag: orders\nschedule: \"@daily\"\ntasks:\n  - {id: a, plugn: shell}\n");
  ASSERT_TRUE(receiver_.WaitForRequests(2, seconds(5))) << SchedulerLog(1);
  // Recorded delivered before the stop (a stop mid-request would resend it, same id).
  ASSERT_TRUE(WaitFor([&] {
    nlohmann::json alerts = Json("alerts list --json");
    return alerts.size() == 2 && alerts[0].at("state") == "delivered";
  }, seconds(5)));
  EXPECT_EQ(StopScheduler(first), 0);

  // The same broken content after a restart: nothing new.
  const pid_t second = StartScheduler();
  std::this_thread::sleep_for(milliseconds(2000));
  EXPECT_EQ(receiver_.Requests().size(), 2u) << SchedulerLog(2);
  EXPECT_EQ(StopScheduler(second), 0);

  std::set<std::string> ids;
  for (const auto& r : receiver_.Requests()) ids.insert(r.Header("x-sluice-alert-id"));
  EXPECT_EQ(ids.size(), 2u);
  nlohmann::json listed = Json("alerts list --json");
  ASSERT_EQ(listed.size(), 2u);
  for (const auto& a : listed) {
    EXPECT_EQ(a.at("kind"), "dag_broken");
    EXPECT_EQ(a.at("state"), "delivered");
    EXPECT_EQ(a.at("dag_id"), "orders");
  }
  EXPECT_NE(SchedulerLog(1).find("to ${SLUICE_TEST_HOOK}: delivered (HTTP 200)"), std::string::npos)
      << SchedulerLog(1);
  ExpectNoSecretAnywhere(2);
}

TEST_F(AlertsSchedulerTest, PendingAlertsSurviveARestartAndAreSentOnceEach) {
  // Enqueued with no scheduler running, as a `sluice run` that ran out of time leaves them.
  for (const char* run : {"r1", "r2", "r3"}) {
    AlertEvent event;
    event.kind = "success";
    event.dag_id = "orders";
    event.run_id = run;
    Status s = EnqueueAlert(Store(), event, {{"${SLUICE_TEST_HOOK}", {"success"}, ""}});
    ASSERT_TRUE(s.ok()) << s.message();
  }
  // The first scheduler finds a receiver that hangs, and is stopped mid-delivery.
  receiver_.Script({}, {200, "", /*hang=*/true});
  const pid_t first = StartScheduler();
  ASSERT_TRUE(receiver_.WaitForRequests(1, seconds(5))) << SchedulerLog(1);
  const auto stop = std::chrono::steady_clock::now();
  EXPECT_EQ(StopScheduler(first), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - stop, seconds(3)) << "a hanging receiver never holds up a stop";
  for (const auto& a : Json("alerts list --json")) EXPECT_EQ(a.at("state"), "pending") << a.dump();

  receiver_.Script({}, {200});
  const pid_t second = StartScheduler();
  ASSERT_TRUE(WaitFor([&] {
    nlohmann::json alerts = Json("alerts list --json");
    for (const auto& a : alerts) if (a.at("state") != "delivered") return false;
    return alerts.size() == 3;
  }, seconds(5))) << SchedulerLog(2);
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(StopScheduler(second), 0);

  std::multiset<std::string> delivered;
  for (const auto& r : receiver_.Requests()) {
    if (r.answered == 200) delivered.insert(r.Header("x-sluice-alert-id"));
  }
  EXPECT_EQ(delivered.size(), 3u);
  EXPECT_EQ(std::set<std::string>(delivered.begin(), delivered.end()).size(), 3u) << "none twice";

  // The listing's filters.
  EXPECT_EQ(Json("alerts list --json --run r2").size(), 1u);
  EXPECT_EQ(Json("alerts list --json --dag orders --limit 2").size(), 2u);
  EXPECT_EQ(Json("alerts list --json --dag other").size(), 0u);
  CommandResult table = Sluice("alerts list --run r1");
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("ID"), std::string::npos);
  EXPECT_NE(table.out.find("success"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("delivered"), std::string::npos) << table.out;
  ExpectNoSecretAnywhere(2);
}

TEST_F(AlertsSchedulerTest, ARunsFailureAlertOutlivesAKill9AndIsDeliveredOnce) {
  WriteFile(dir_ / "dags" / "nightly.yaml", R"(
tasks:
  - {id: extract, plugin: shell, with: {command: "exit 3"}}
)");
  // The first try is told to come back in a second; the scheduler is killed meanwhile.
  receiver_.Script({{429, "1"}}, {200});
  ASSERT_EQ(Sluice("dags trigger nightly").exit_code, 0);
  const pid_t first = StartScheduler();
  ASSERT_TRUE(receiver_.WaitForRequests(1, seconds(10))) << SchedulerLog(1);
  ASSERT_TRUE(WaitFor([&] {
    const nlohmann::json alerts = Json("alerts list --json");
    return alerts.size() == 1 && alerts[0].at("attempts") == 1;
  }, seconds(5))) << "the 429 is recorded";
  EXPECT_EQ(StopScheduler(first, SIGKILL), 128 + SIGKILL);
  EXPECT_EQ(CountRuns("nightly", "failed"), 1u);

  const pid_t second = StartScheduler();
  ASSERT_TRUE(WaitFor([&] {
    const nlohmann::json alerts = Json("alerts list --json");
    return alerts.size() == 1 && alerts[0].at("state") == "delivered";
  }, seconds(10))) << SchedulerLog(2);
  EXPECT_EQ(StopScheduler(second), 0);

  const auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].answered, 429);
  EXPECT_EQ(requests[1].answered, 200);
  EXPECT_EQ(requests[0].Header("x-sluice-alert-id"), requests[1].Header("x-sluice-alert-id"));
  EXPECT_GE(requests[1].at - requests[0].at, milliseconds(1000)) << "Retry-After: 1 honoured";
  const std::string text = nlohmann::json::parse(requests[1].body).at("text");
  EXPECT_NE(text.find("extract"), std::string::npos) << text;
}

TEST_F(AlertsSchedulerTest, AnAlertWhoseDelivererWasKilledIsSentByTheNextSchedulerAtOnce) {
  // The first delivery hangs; the scheduler is killed mid-request.
  receiver_.Script({WebhookAnswer(200, "", /*hang_up=*/true)}, WebhookAnswer(200));
  WriteFile(dir_ / "dags" / "fails.yaml",
            "tasks:\n  - {id: boom, plugin: shell, with: {command: 'exit 1'}}\n");
  ASSERT_EQ(Sluice("dags trigger fails").exit_code, 0);
  const pid_t first = StartScheduler();
  ASSERT_TRUE(receiver_.WaitForRequests(1, seconds(10))) << SchedulerLog(1);
  EXPECT_EQ(StopScheduler(first, SIGKILL), 128 + SIGKILL);
  const auto restarted = std::chrono::steady_clock::now();
  const pid_t second = StartScheduler();
  ASSERT_TRUE(receiver_.WaitForRequests(2, seconds(30))) << SchedulerLog(2);
  // Without the dead claimer's release it waited out the lease: connect + request timeouts
  // and a margin, about 45 s.
  EXPECT_LT(std::chrono::steady_clock::now() - restarted, seconds(10));
  const std::vector<WebhookReceiver::Request> requests = receiver_.Requests();
  EXPECT_EQ(requests[0].Header("x-sluice-alert-id"), requests[1].Header("x-sluice-alert-id"));
  EXPECT_EQ(requests[1].answered, 200);
  ASSERT_TRUE(WaitFor([&] { return Json("alerts list --json")[0].at("state") == "delivered"; },
                      seconds(5)));
  EXPECT_EQ(StopScheduler(second), 0);
}

TEST_F(AlertsSchedulerTest, RetriesKeepTheirWaitsAcrossAKill9AndEachRetryAlertArrivesOnce) {
  WriteFile(dir_ / "home" / "sluice.yaml",
            "alerts:\n  - webhook: \"${SLUICE_TEST_HOOK}\"\n    on: [retry, success]\n");
  // Fails twice, then succeeds; the waits are 1 s, then 2 s.
  WriteFile(dir_ / "dags" / "flaky.yaml", R"(
tasks:
  - id: flaky
    plugin: shell
    retries: 3
    retry_delay: 1s
    retry_backoff: exponential
    retry_jitter: 0
    with: {command: "echo x >> tries; test $$(wc -l < tries) -ge 3"}
)");
  ASSERT_EQ(Sluice("dags trigger flaky").exit_code, 0);
  const pid_t first = StartScheduler();
  // Killed during the second wait (after the second attempt failed).
  ASSERT_TRUE(WaitFor([&] { return ReadFile(dir_ / "tries") == "x\nx\n"; }, seconds(10)));
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(StopScheduler(first, SIGKILL), 128 + SIGKILL);
  const pid_t second = StartScheduler();
  ASSERT_TRUE(WaitFor([&] { return CountRuns("flaky", "success") == 1; }, seconds(10)))
      << SchedulerLog(2);
  ASSERT_TRUE(WaitFor([&] {
    const nlohmann::json alerts = Json("alerts list --json");
    if (alerts.size() != 3) return false;
    for (const auto& a : alerts) {
      if (a.at("state") != "delivered" && a.at("state") != "collapsed") return false;
    }
    return true;
  }, seconds(10))) << Json("alerts list --json").dump(2);
  EXPECT_EQ(StopScheduler(second), 0);

  EXPECT_EQ(ReadFile(dir_ / "tries"), "x\nx\nx\n") << "three attempts, none twice";
  const std::vector<AttemptRecord> attempts = Attempts(Runs("flaky")[0].run_id);
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_GE(Seconds(Time(attempts[0].ended_at), Time(attempts[1].started_at)), 1.0);
  EXPECT_GE(Seconds(Time(attempts[1].ended_at), Time(attempts[2].started_at)), 2.0)
      << "the exponential wait holds across the restart";
  // Two retry alerts (one message, or two) and one success, each id delivered once.
  std::multiset<std::string> ids;
  std::string bodies;
  for (const auto& r : receiver_.Requests()) {
    if (r.answered == 200) ids.insert(r.Header("x-sluice-alert-id"));
    bodies += r.body;
  }
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << "none twice";
  EXPECT_NE(bodies.find("succeeded"), std::string::npos) << bodies;
  EXPECT_NE(bodies.find("retry"), std::string::npos) << bodies;
}

TEST_F(AlertsSchedulerTest, ALiteralWebhookUrlInTheConfigStopsTheSchedulerWithoutEchoingIt) {
  WriteFile(dir_ / "home" / "sluice.yaml",
            std::string("alerts:\n  - {webhook: \"https://hooks.example/") + kSecret +
                "\", on: [failure]}\n");
  CommandResult r = Sluice("scheduler");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("sluice.yaml:2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("environment variable"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(kSecret), std::string::npos) << r.err;
}

}  // namespace
}  // namespace sluice::testing
