// Retry, timeout and trigger-rule keys of tasks and `defaults:`, through the loader.
#include <gtest/gtest.h>

#include "scheduler/dag_loader.h"
#include "scheduler/fake_plugin_catalog_test_util.h"
#include "scheduler/task_policy_keys.h"

namespace sluice {
namespace {

using std::chrono::seconds;

std::string Lines(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

DagLoadResult Load(const std::string& text) {
  return LoadDagText("/dags/d.yaml", text, CorpusPluginCatalog(), nullptr);
}

// The diagnostics of one task written as `- {id: a, plugin: shell, KEYS, with: ...}`.
std::string ErrorsOfTask(const std::string& keys) {
  return Lines(Load("tasks:\n  - {id: a, plugin: shell, " + keys + ", with: {command: x}}\n").diagnostics);
}

TEST(TaskPolicyKeysTest, TasksInheritEveryPolicyKeyFromDefaultsUnlessTheySetTheirOwn) {
  const DagLoadResult result = Load(R"(
run_timeout: 2h
defaults:
  retries: 4
  retry_delay: 10s
  retry_backoff: exponential
  max_retry_delay: 5m
  retry_jitter: 0.25
  retry_exit_codes: [75, 111]
  timeout: 1h
  trigger_rule: all_done
tasks:
  - {id: a, plugin: shell, with: {command: x}}
  - id: b
    plugin: shell
    depends_on: a
    retries: 0
    retry_backoff: fixed
    retry_jitter: 0
    retry_exit_codes: 3
    trigger_rule: one_failed
    with: {command: x}
)");
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  const DagSpec& dag = *result.dag;
  EXPECT_EQ(dag.run_timeout, std::chrono::hours(2));
  const TaskSpec& a = dag.tasks[0];
  EXPECT_EQ(a.retries, 4);
  EXPECT_EQ(a.retry_delay, seconds(10));
  EXPECT_EQ(a.retry_backoff, RetryBackoff::kExponential);
  EXPECT_EQ(a.max_retry_delay, std::chrono::minutes(5));
  EXPECT_EQ(a.retry_jitter, 0.25);
  EXPECT_EQ(a.retry_exit_codes, std::vector<int>({75, 111}));
  EXPECT_EQ(a.timeout, std::chrono::hours(1));
  EXPECT_EQ(a.trigger_rule, TriggerRule::kAllDone);
  const TaskSpec& b = dag.tasks[1];
  EXPECT_EQ(b.retries, 0);
  EXPECT_EQ(b.retry_backoff, RetryBackoff::kFixed);
  EXPECT_EQ(b.retry_jitter, 0.0);
  EXPECT_EQ(b.retry_exit_codes, std::vector<int>({3}));
  EXPECT_EQ(b.trigger_rule, TriggerRule::kOneFailed);
  EXPECT_EQ(b.max_retry_delay, std::chrono::minutes(5)) << "not set by b: from defaults";
}

TEST(TaskPolicyKeysTest, WithoutThemTasksKeepTheDocumentedDefaults) {
  const DagLoadResult result = Load("tasks:\n  - {id: a, plugin: shell, with: {command: x}}\n");
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  const TaskSpec& a = result.dag->tasks[0];
  EXPECT_EQ(a.retries, 0);
  EXPECT_EQ(a.retry_delay, seconds(30));
  EXPECT_EQ(a.retry_backoff, RetryBackoff::kFixed);
  EXPECT_FALSE(a.max_retry_delay.has_value());
  EXPECT_EQ(a.retry_jitter, 0.1);
  EXPECT_TRUE(a.retry_exit_codes.empty());
  EXPECT_EQ(a.trigger_rule, TriggerRule::kAllSuccess);
  EXPECT_FALSE(result.dag->run_timeout.has_value());
}

TEST(TaskPolicyKeysTest, AMisspelledTriggerRuleGetsTheClosestAndTheList) {
  EXPECT_EQ(ErrorsOfTask("trigger_rule: all_sucess"),
            "/dags/d.yaml:2:42: error: unknown trigger rule 'all_sucess' in task 'a' \u2014 did "
            "you mean 'all_success'? write one of all_success, all_done, all_failed, one_failed, "
            "one_success, none_failed\n");
}

TEST(TaskPolicyKeysTest, BadRetryValuesSayWhatToWrite) {
  EXPECT_EQ(ErrorsOfTask("retry_backoff: linear"),
            "/dags/d.yaml:2:43: error: `retry_backoff` in task 'a' must be fixed or exponential, "
            "got 'linear' \u2014 write 'fixed' (every retry waits retry_delay) or 'exponential' "
            "(each wait doubles)\n");
  EXPECT_NE(ErrorsOfTask("retry_jitter: 1.5").find("`retry_jitter` in task 'a' must be a fraction "
                                                   "from 0 to 1, got '1.5'"),
            std::string::npos);
  EXPECT_NE(ErrorsOfTask("retry_exit_codes: [0]").find("must list exit codes from 1 to 255, got '0'"),
            std::string::npos);
  EXPECT_NE(ErrorsOfTask("retry_exit_codes: []").find("must be a list of exit codes"),
            std::string::npos);
  EXPECT_NE(ErrorsOfTask("max_retry_delay: 0s").find("`max_retry_delay` in task 'a' must be longer than 0s"),
            std::string::npos);
}

TEST(TaskPolicyKeysTest, AMaxRetryDelayShorterThanTheDelayIsAnError) {
  EXPECT_EQ(ErrorsOfTask("retry_delay: 1m, max_retry_delay: 30s"),
            "/dags/d.yaml:2:5: error: `max_retry_delay` (30s) is shorter than `retry_delay` (1m) "
            "in task 'a' \u2014 raise max_retry_delay, or lower retry_delay\n");
}

TEST(TaskPolicyKeysTest, RunTimeoutMustBeALimitAboveZero) {
  EXPECT_NE(Lines(Load("run_timeout: 0s\ntasks:\n  - {id: a, plugin: shell, with: {command: x}}\n")
                      .diagnostics)
                .find("/dags/d.yaml:1:14: error: `run_timeout` must be longer than 0s"),
            std::string::npos);
}

TEST(TaskPolicyKeysTest, EveryRuleNameReadsBackAsItsRule) {
  for (TriggerRule rule : {TriggerRule::kAllSuccess, TriggerRule::kAllDone, TriggerRule::kAllFailed,
                           TriggerRule::kOneFailed, TriggerRule::kOneSuccess,
                           TriggerRule::kNoneFailed}) {
    const std::string name = TriggerRuleName(rule);
    const DagLoadResult result = Load("tasks:\n  - {id: a, plugin: shell, trigger_rule: " + name +
                                      ", with: {command: x}}\n");
    ASSERT_TRUE(result.dag.has_value()) << name << ": " << Lines(result.diagnostics);
    EXPECT_EQ(result.dag->tasks[0].trigger_rule, rule) << name;
  }
}

}  // namespace
}  // namespace sluice
