// Trigger rules in the planner: readable cases first, then random DAGs checked against an
// oracle that decides each task once all of its upstream tasks have ended, in graph order —
// not incrementally as the planner does.
#include <gtest/gtest.h>

#include <random>

#include "scheduler/dag_edges_test_util.h"
#include "scheduler/planner.h"

namespace sluice {
namespace {

// "id:dep1,dep2" with the trigger rule of every task given alongside.
DagSpec MakeDag(const std::vector<std::pair<std::string, TriggerRule>>& tasks) {
  std::vector<std::string> edges;
  for (const auto& [text, rule] : tasks) edges.push_back(text);
  DagSpec dag = DagFromEdges(edges);
  for (size_t i = 0; i < tasks.size(); ++i) dag.tasks[i].trigger_rule = tasks[i].second;
  return dag;
}

constexpr TriggerRule kAllSuccess = TriggerRule::kAllSuccess;

TEST(PlannerTriggerRuleTest, ACleanupWithAllDoneRunsAfterAFailureAndTheRunStillFails) {
  DagSpec dag = MakeDag({{"extract", kAllSuccess}, {"load:extract", kAllSuccess},
                         {"cleanup:load", TriggerRule::kAllDone}});
  Planner p(dag);
  p.TakeReady(5);
  EXPECT_EQ(p.Failed(0), std::vector<size_t>({1})) << "load never runs";
  EXPECT_EQ(p.status(1), TaskStatus::kUpstreamFailed);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({2})) << "cleanup runs whatever happened";
  p.Succeeded(2);
  EXPECT_TRUE(p.Finished());
  EXPECT_FALSE(p.RunSucceeded()) << "extract failed";
}

TEST(PlannerTriggerRuleTest, AFailureNotifierIsSkippedWhenNothingFailsAndTheRunSucceeds) {
  DagSpec dag = MakeDag({{"a", kAllSuccess}, {"b", kAllSuccess},
                         {"notify:a,b", TriggerRule::kOneFailed}});
  Planner p(dag);
  p.TakeReady(5);
  EXPECT_TRUE(p.Succeeded(0).empty()) << "b may still fail";
  EXPECT_EQ(p.Succeeded(1), std::vector<size_t>({2}));
  EXPECT_EQ(p.status(2), TaskStatus::kSkipped);
  EXPECT_TRUE(p.Finished());
  EXPECT_TRUE(p.RunSucceeded()) << "a skipped task does not fail the run";
}

TEST(PlannerTriggerRuleTest, OneFailedStartsAtTheFirstFailureWithoutWaitingForTheRest) {
  DagSpec dag = MakeDag({{"a", kAllSuccess}, {"b", kAllSuccess},
                         {"alarm:a,b", TriggerRule::kOneFailed}});
  Planner p(dag);
  p.TakeReady(5);
  p.Failed(0);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({2})) << "b is still running";
}

TEST(PlannerTriggerRuleTest, OneSuccessStartsAtTheFirstSuccess) {
  DagSpec dag = MakeDag({{"mirror1", kAllSuccess}, {"mirror2", kAllSuccess},
                         {"use:mirror1,mirror2", TriggerRule::kOneSuccess}});
  Planner p(dag);
  p.TakeReady(5);
  p.Failed(0);
  EXPECT_TRUE(p.TakeReady(5).empty());
  p.Succeeded(1);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({2}));
}

TEST(PlannerTriggerRuleTest, NoneFailedRunsPastASkippedBranchButAllSuccessDoesNot) {
  // `check` is skipped (all_failed, and a succeeded); none_failed runs after it, all_success
  // is skipped in turn.
  DagSpec dag = MakeDag({{"a", kAllSuccess}, {"check:a", TriggerRule::kAllFailed},
                         {"report:a,check", TriggerRule::kNoneFailed},
                         {"strict:a,check", kAllSuccess}});
  Planner p(dag);
  p.TakeReady(5);
  const std::vector<size_t> settled = p.Succeeded(0);
  EXPECT_EQ(p.status(1), TaskStatus::kSkipped);
  EXPECT_EQ(p.status(3), TaskStatus::kSkipped);
  EXPECT_EQ(settled.size(), 2u);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({2}));
}

TEST(PlannerTriggerRuleTest, RestoreSettlesWhatTheRulesDecideAndReadiesTheRest) {
  DagSpec dag = MakeDag({{"a", kAllSuccess}, {"b", kAllSuccess},
                         {"onfail:a", TriggerRule::kOneFailed},
                         {"done:a,b", TriggerRule::kAllDone},
                         {"after:onfail", kAllSuccess}});
  Planner p(dag);
  // a succeeded and b failed before a restart; nothing downstream was recorded.
  const std::vector<size_t> settled =
      p.Restore({TaskStatus::kSuccess, TaskStatus::kFailed, TaskStatus::kPending,
                 TaskStatus::kPending, TaskStatus::kPending});
  EXPECT_EQ(settled, std::vector<size_t>({2, 4})) << "onfail skipped, then after skipped";
  EXPECT_EQ(p.status(4), TaskStatus::kSkipped);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({3}));
}

// --- random DAGs against the oracle ---

bool FailedLike(TaskStatus s) {
  return s == TaskStatus::kFailed || s == TaskStatus::kUpstreamFailed;
}

// What `rule` does once every upstream task has ended with `up`: run, or which state instead.
std::optional<TaskStatus> OracleWithoutRunning(TriggerRule rule, const std::vector<TaskStatus>& up) {
  if (up.empty()) return std::nullopt;
  const auto count = [&](auto pred) { return std::count_if(up.begin(), up.end(), pred); };
  const auto n = static_cast<long>(up.size());
  const long succeeded = count([](TaskStatus s) { return s == TaskStatus::kSuccess; });
  const long failed = count(FailedLike);
  const long skipped = count([](TaskStatus s) { return s == TaskStatus::kSkipped; });
  switch (rule) {
    case TriggerRule::kAllSuccess:
      if (succeeded == n) return std::nullopt;
      return failed > 0 ? TaskStatus::kUpstreamFailed : TaskStatus::kSkipped;
    case TriggerRule::kAllDone: return std::nullopt;
    case TriggerRule::kAllFailed:
      if (failed == n) return std::nullopt;
      return TaskStatus::kSkipped;
    case TriggerRule::kOneFailed:
      if (failed > 0) return std::nullopt;
      return TaskStatus::kSkipped;
    case TriggerRule::kOneSuccess:
      if (succeeded > 0) return std::nullopt;
      return failed > 0 ? TaskStatus::kUpstreamFailed : TaskStatus::kSkipped;
    case TriggerRule::kNoneFailed:
      if (failed == 0 && succeeded + skipped == n) return std::nullopt;
      return TaskStatus::kUpstreamFailed;
  }
  return std::nullopt;
}

TEST(PlannerTriggerRuleTest, RandomDagsEndAsTheOracleDecides) {
  std::mt19937 random(20261207);
  const TriggerRule rules[] = {TriggerRule::kAllSuccess, TriggerRule::kAllDone,
                               TriggerRule::kAllFailed,  TriggerRule::kOneFailed,
                               TriggerRule::kOneSuccess, TriggerRule::kNoneFailed};
  for (int round = 0; round < 2000; ++round) {
    const size_t n = 1 + random() % 9;
    DagSpec dag;
    std::vector<bool> fails(n);
    std::vector<std::vector<size_t>> upstream(n);
    for (size_t i = 0; i < n; ++i) {
      TaskSpec spec;
      spec.id = "t" + std::to_string(i);
      spec.trigger_rule = rules[random() % 6];
      for (size_t j = 0; j < i; ++j) {
        if (random() % 3 == 0) {
          spec.depends_on.push_back("t" + std::to_string(j));
          upstream[i].push_back(j);
        }
      }
      fails[i] = random() % 3 == 0;
      dag.tasks.push_back(spec);
    }
    // Oracle: in file order (a topological order here), every upstream task has ended.
    std::vector<TaskStatus> expected(n);
    for (size_t i = 0; i < n; ++i) {
      std::vector<TaskStatus> up;
      for (size_t j : upstream[i]) up.push_back(expected[j]);
      const std::optional<TaskStatus> instead = OracleWithoutRunning(dag.tasks[i].trigger_rule, up);
      expected[i] = instead ? *instead : fails[i] ? TaskStatus::kFailed : TaskStatus::kSuccess;
    }
    // The planner, with tasks finishing in a random order among those running.
    Planner p(dag);
    std::vector<size_t> running;
    for (int step = 0; !p.Finished() && step < 1000; ++step) {
      for (size_t t : p.TakeReady(1 + random() % 3)) running.push_back(t);
      ASSERT_FALSE(running.empty()) << "round " << round << ": nothing runs, nothing is ready";
      const size_t pick = random() % running.size();
      const size_t t = running[pick];
      running.erase(running.begin() + static_cast<long>(pick));
      if (fails[t]) p.Failed(t); else p.Succeeded(t);
    }
    ASSERT_TRUE(p.Finished()) << "round " << round;
    bool run_ok = true;
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(TaskStatusName(p.status(i)), std::string(TaskStatusName(expected[i])))
          << "round " << round << ", task t" << i;
      run_ok = run_ok && !FailedLike(expected[i]);
    }
    EXPECT_EQ(p.RunSucceeded(), run_ok) << "round " << round;
  }
}

}  // namespace
}  // namespace sluice
