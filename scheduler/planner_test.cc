#include "scheduler/planner.h"

#include <gtest/gtest.h>

#include "scheduler/dag_edges_test_util.h"

namespace sluice {
namespace {

DagSpec MakeDag(std::initializer_list<std::string> tasks) { return DagFromEdges(tasks); }

TEST(PlannerTest, RootsAreReadyInFileOrderAndLimitedByMax) {
  DagSpec dag = MakeDag({"a", "b", "c:a"});
  Planner p(dag);
  EXPECT_EQ(p.TakeReady(1), std::vector<size_t>({0}));
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({1}));
  EXPECT_TRUE(p.TakeReady(5).empty()) << "c waits for a";
  EXPECT_EQ(p.status(2), TaskStatus::kPending);
}

TEST(PlannerTest, TheLongestChainStartsFirstAndEqualChainsKeepFileOrder) {
  // Without durations every task counts 1: b heads b -> c -> d, a is alone, e heads e -> f.
  DagSpec dag = MakeDag({"a", "b", "c:b", "d:c", "e", "f:e"});
  Planner p(dag);
  EXPECT_EQ(p.chain_seconds(1), 3.0);
  EXPECT_EQ(p.TakeReady(1), std::vector<size_t>({1}));
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({4, 0}));
  // Expected durations outweigh the count of tasks: a alone takes longer than b's chain.
  Planner weighted(dag, {10, 1, 1, 1, 2, 2});
  EXPECT_EQ(weighted.chain_seconds(0), 10.0);
  EXPECT_EQ(weighted.chain_seconds(4), 4.0);
  EXPECT_EQ(weighted.TakeReady(5), std::vector<size_t>({0, 4, 1}));
  // Equal chains: the order of the file.
  DagSpec flat = MakeDag({"x", "y", "z"});
  Planner even(flat);
  EXPECT_EQ(even.TakeReady(5), std::vector<size_t>({0, 1, 2}));
}

TEST(PlannerTest, TaskBecomesReadyOnlyWhenEveryUpstreamSucceeded) {
  DagSpec dag = MakeDag({"a", "b", "c:a,b"});
  Planner p(dag);
  p.TakeReady(2);
  p.Succeeded(0);
  EXPECT_TRUE(p.TakeReady(5).empty());
  p.Succeeded(1);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({2}));
  p.Succeeded(2);
  EXPECT_TRUE(p.Finished());
  EXPECT_TRUE(p.RunSucceeded());
}

TEST(PlannerTest, FailureMarksWholeDownstreamButIndependentBranchGoesOn) {
  // a -> b -> d, a -> c, e independent, f depends on e and d.
  DagSpec dag = MakeDag({"a", "b:a", "c:a", "d:b", "e", "f:e,d"});
  Planner p(dag);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({0, 4}));
  std::vector<size_t> marked = p.Failed(0);
  std::sort(marked.begin(), marked.end());
  EXPECT_EQ(marked, std::vector<size_t>({1, 2, 3, 5}));
  EXPECT_EQ(p.status(5), TaskStatus::kUpstreamFailed);
  EXPECT_FALSE(p.Finished()) << "e is still running";
  p.Succeeded(4);
  EXPECT_TRUE(p.TakeReady(5).empty()) << "f must not run: d never will";
  EXPECT_TRUE(p.Finished());
  EXPECT_FALSE(p.RunSucceeded());
}

TEST(PlannerTest, RetryReturnsTaskToReadyQueue) {
  DagSpec dag = MakeDag({"a", "b:a"});
  Planner p(dag);
  p.TakeReady(1);
  p.WaitForRetry(0);
  EXPECT_EQ(p.status(0), TaskStatus::kUpForRetry);
  EXPECT_TRUE(p.TakeReady(5).empty());
  p.RetryNow(0);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({0}));
  p.Succeeded(0);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({1}));
}

TEST(PlannerTest, DiamondFailureMarksSharedDescendantOnce) {
  DagSpec dag = MakeDag({"a", "b:a", "c:a", "d:b,c"});
  Planner p(dag);
  p.TakeReady(1);
  EXPECT_EQ(p.Failed(0).size(), 3u);
  EXPECT_TRUE(p.Finished());
}

TEST(PlannerTest, CancelStopsEverythingNotRunningAndRunFinishesWhenRunningEnds) {
  DagSpec dag = MakeDag({"a", "b", "c:a", "d"});
  Planner p(dag);
  EXPECT_EQ(p.TakeReady(1), std::vector<size_t>({0}));
  EXPECT_EQ(p.CancelNotStarted(), std::vector<size_t>({1, 2, 3}));
  EXPECT_TRUE(p.TakeReady(5).empty());
  EXPECT_FALSE(p.Finished()) << "a is still running";
  EXPECT_TRUE(p.Failed(0).empty()) << "c is already cancelled, not upstream_failed";
  EXPECT_EQ(p.status(2), TaskStatus::kCancelled);
  EXPECT_TRUE(p.Finished());
}

TEST(PlannerTest, RefusedTasksStayReadyAheadOfLaterOnes) {
  DagSpec dag = MakeDag({"a", "b", "c"});
  Planner p(dag);
  // a is refused (its pool is full): b and c start, a keeps its place.
  EXPECT_EQ(p.TakeReadyIf(5, [](size_t t) { return t != 0; }), std::vector<size_t>({1, 2}));
  EXPECT_EQ(p.status(0), TaskStatus::kReady);
  EXPECT_EQ(p.TakeReadyIf(5, [](size_t) { return true; }), std::vector<size_t>({0}));
}

TEST(PlannerTest, RestoredRunGoesOnFromWhereTheDatabaseLeftIt) {
  DagSpec dag = MakeDag({"a", "b:a", "c:b", "d", "e:d", "f"});
  Planner p(dag);
  // a succeeded, b was running when the scheduler died, d failed and e never ran, f is
  // waiting for a retry.
  p.Restore({TaskStatus::kSuccess, TaskStatus::kRunning, TaskStatus::kPending,
             TaskStatus::kFailed, TaskStatus::kUpstreamFailed, TaskStatus::kUpForRetry});
  EXPECT_TRUE(p.TakeReady(5).empty()) << "b is still running; c waits for it, f for its delay";
  EXPECT_EQ(p.status(1), TaskStatus::kRunning);
  // The caller settles b's lost attempt: retried.
  p.WaitForRetry(1);
  p.RetryNow(1);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({1}));
  EXPECT_FALSE(p.Finished());
  p.Succeeded(1);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({2}));
  p.Succeeded(2);
  p.RetryNow(5);
  EXPECT_EQ(p.TakeReady(5), std::vector<size_t>({5}));
  p.Succeeded(5);
  EXPECT_TRUE(p.Finished());
  EXPECT_FALSE(p.RunSucceeded()) << "d failed before the restart";
}

}  // namespace
}  // namespace sluice
