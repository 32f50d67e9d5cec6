// Alerts of real runs (`sluice run`, which delivers them before it exits) at a real webhook
// receiver on loopback: a failure, retries, a storm collapsed into one message, and the
// recovery that follows a failed run.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/sluice_cli.h"
#include "tests/webhook_receiver.h"

namespace sluice::testing {
namespace {

using nlohmann::json;

class AlertsRunTest : public SluiceCliTest {
 protected:
  // `sluice run DAG` with the receiver's URL in the variable the DAG's routes name.
  CommandResult RunWithHook(const std::string& dag) {
    return Sluice("run " + dag, "ALERT_HOOK=" + receiver_.Url("/hook"));
  }

  std::vector<json> Bodies() const {
    std::vector<json> out;
    for (const auto& r : receiver_.Requests()) out.push_back(json::parse(r.body));
    return out;
  }

  WebhookReceiver receiver_;
};

TEST_F(AlertsRunTest, AFailedTaskSendsOneMessageNamingTheTaskItsErrorAndItsLog) {
  WriteFile(dir_ / "dags" / "nightly.yaml", R"(
alerts: [{webhook: "${ALERT_HOOK}", on: [failure, success]}]
tasks:
  - {id: extract, plugin: shell, with: {command: "echo connection refused >&2; exit 7"}}
  - {id: load, plugin: shell, depends_on: extract, with: {command: "true"}}
)");
  EXPECT_EQ(RunWithHook("nightly").exit_code, 1);
  const std::vector<json> bodies = Bodies();
  ASSERT_EQ(bodies.size(), 1u) << "one failure; no success for a failed run";
  const std::string text = bodies[0]["text"];
  EXPECT_NE(text.find("nightly"), std::string::npos) << text;
  EXPECT_NE(text.find("extract"), std::string::npos) << text;
  const std::string blocks = bodies[0]["blocks"].dump();
  EXPECT_NE(blocks.find("command exited with code 7"), std::string::npos) << blocks;
  EXPECT_NE(blocks.find("/runs/" + OnlyRunId() + "/tasks/extract/attempts/1/log"),
            std::string::npos)
      << blocks;
}

TEST_F(AlertsRunTest, RetriesOfOneRunArriveTogetherAndTheSuccessSeparately) {
  WriteFile(dir_ / "dags" / "flaky.yaml", R"(
alerts: [{webhook: "${ALERT_HOOK}", on: [retry, success]}]
tasks:
  - id: flaky
    plugin: test.crashy
    retries: 2
    retry_delay: 10ms
    with: {mode: flaky, fail_times: 2, counter_file: counter.txt}
)");
  ASSERT_EQ(RunWithHook("flaky").exit_code, 0);
  const std::vector<json> bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u) << "the two retries collapse; then the success";
  std::string all;
  for (const json& b : bodies) all += b.dump() + "\n";
  EXPECT_NE(all.find("flaky failure 1"), std::string::npos) << all;
  EXPECT_NE(all.find("flaky failure 2"), std::string::npos) << all;
  EXPECT_NE(all.find("succeeded"), std::string::npos) << all;
}

TEST_F(AlertsRunTest, AStormOfFailuresInOneRunIsOneMessageNamingEveryTask) {
  WriteFile(dir_ / "dags" / "storm.yaml", R"(
alerts: [{webhook: "${ALERT_HOOK}", on: [failure]}]
tasks:
  - {id: t1, plugin: shell, with: {command: "exit 1"}}
  - {id: t2, plugin: shell, with: {command: "exit 1"}}
  - {id: t3, plugin: shell, with: {command: "exit 1"}}
  - {id: t4, plugin: shell, with: {command: "exit 1"}}
  - {id: t5, plugin: shell, with: {command: "exit 1"}}
)");
  EXPECT_EQ(RunWithHook("storm").exit_code, 1);
  const std::vector<json> bodies = Bodies();
  ASSERT_EQ(bodies.size(), 1u);
  const std::string text = bodies[0]["text"];
  EXPECT_NE(text.find("5 tasks failed"), std::string::npos) << text;
  for (const char* t : {"t1", "t2", "t3", "t4", "t5"}) {
    EXPECT_NE(text.find(t), std::string::npos) << t << " in " << text;
  }
}

TEST_F(AlertsRunTest, TheFirstSuccessAfterAFailedRunIsARecoveryAndTheNextIsNot) {
  WriteFile(dir_ / "dags" / "daily.yaml", R"(
alerts: [{webhook: "${ALERT_HOOK}", on: [failure, recovery]}]
tasks:
  - {id: work, plugin: shell, with: {command: "test -f fixed"}}
)");
  EXPECT_EQ(RunWithHook("daily").exit_code, 1);
  WriteFile(dir_ / "fixed", "");
  EXPECT_EQ(RunWithHook("daily").exit_code, 0);
  EXPECT_EQ(RunWithHook("daily").exit_code, 0);
  const std::vector<json> bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u) << "a failure, a recovery, and nothing for the third run";
  EXPECT_NE(bodies[0]["text"].get<std::string>().find("work"), std::string::npos);
  EXPECT_NE(bodies[1]["text"].get<std::string>().find("recovered"), std::string::npos)
      << bodies[1].dump();
  // Each alert is recorded delivered.
  const CommandResult list = Sluice("alerts list --json");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const json alerts = json::parse(list.out);
  ASSERT_EQ(alerts.size(), 2u) << list.out;
  for (const json& a : alerts) EXPECT_EQ(a["state"], "delivered") << a.dump();
}

TEST_F(AlertsRunTest, ALateRunAndALateTaskRaiseOneSlaMissEachAndAPromptTaskNone) {
  WriteFile(dir_ / "dags" / "late.yaml", R"(
sla: 400ms
alerts: [{webhook: "${ALERT_HOOK}", on: [sla_miss]}]
tasks:
  - {id: quick, plugin: shell, sla: 5s, with: {command: "true"}}
  - {id: slow, plugin: shell, sla: 200ms, with: {command: "sleep 1.2"}}
)");
  ASSERT_EQ(RunWithHook("late").exit_code, 0);
  const std::vector<json> bodies = Bodies();
  ASSERT_EQ(bodies.size(), 2u) << "the run's and slow's; none for quick";
  std::string all;
  for (const json& b : bodies) all += b["text"].get<std::string>() + "\n";
  EXPECT_NE(all.find("missed its SLA"), std::string::npos) << all;
  EXPECT_NE(all.find("slow"), std::string::npos) << all;
  EXPECT_EQ(all.find("quick"), std::string::npos) << all;
  const std::string blocks = bodies[0]["blocks"].dump() + bodies[1]["blocks"].dump();
  EXPECT_NE(blocks.find("the run had not ended 400ms after its logical date"), std::string::npos)
      << blocks;
  EXPECT_NE(blocks.find("the task had not ended 200ms after its run started"), std::string::npos)
      << blocks;
}

TEST_F(AlertsRunTest, ARunClearedAfterItsSlaIsNotLate) {
  WriteFile(dir_ / "dags" / "prompt.yaml", R"(
sla: 500ms
alerts: [{webhook: "${ALERT_HOOK}", on: [sla_miss]}]
tasks:
  - {id: work, plugin: shell, with: {command: "true"}}
)");
  ASSERT_EQ(RunWithHook("prompt").exit_code, 0);
  const std::string run_id = OnlyRunId();
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  ASSERT_EQ(Sluice("tasks clear " + run_id + " work").exit_code, 0);
  ASSERT_EQ(Sluice("runs resume " + run_id, "ALERT_HOOK=" + receiver_.Url("/hook")).exit_code, 0);
  EXPECT_TRUE(receiver_.Requests().empty()) << "neither the prompt run nor its re-run was late";
  EXPECT_EQ(Json("alerts list --json").size(), 0u);
}

}  // namespace
}  // namespace sluice
