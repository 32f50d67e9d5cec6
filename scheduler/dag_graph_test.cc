#include "scheduler/dag_graph.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

DagSpec Dag(const std::vector<std::pair<std::string, std::vector<std::string>>>& tasks) {
  DagSpec dag;
  for (const auto& [id, deps] : tasks) {
    TaskSpec task;
    task.id = id;
    task.depends_on = deps;
    dag.tasks.push_back(task);
  }
  return dag;
}

TEST(DagGraphTest, TopologicalOrderPutsDependenciesFirstAndKeepsFileOrderOtherwise) {
  const DagSpec dag = Dag({{"load", {"transform"}}, {"extract", {}}, {"transform", {"extract"}},
                           {"audit", {}}});
  EXPECT_EQ(TopologicalOrder(dag), (std::vector<size_t>{1, 2, 0, 3}));
}

TEST(DagGraphTest, TopologicalOrderLeavesOutTasksOnACycle) {
  const DagSpec dag = Dag({{"a", {"b"}}, {"b", {"a"}}, {"c", {}}});
  EXPECT_EQ(TopologicalOrder(dag), (std::vector<size_t>{2}));
}

TEST(DagGraphTest, FindsNoCycleInADag) {
  EXPECT_TRUE(FindCycles(Dag({{"a", {}}, {"b", {"a"}}, {"c", {"a", "b"}}})).empty());
}

TEST(DagGraphTest, ReportsEachCycleOnceStartingAtTheEarliestTask) {
  const auto cycles = FindCycles(Dag({{"x", {}}, {"a", {"c"}}, {"b", {"a"}}, {"c", {"b"}}}));
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0], (std::vector<size_t>{1, 3, 2}));
}

TEST(DagGraphTest, ReportsSeparateCyclesSeparately) {
  const auto cycles = FindCycles(Dag({{"a", {"b"}}, {"b", {"a"}}, {"c", {"d"}}, {"d", {"c"}}}));
  ASSERT_EQ(cycles.size(), 2u);
  EXPECT_EQ(cycles[0], (std::vector<size_t>{0, 1}));
  EXPECT_EQ(cycles[1], (std::vector<size_t>{2, 3}));
}

TEST(DagGraphTest, ReportsTwoCyclesThatShareATask) {
  // a <-> b and b <-> c form one strongly connected component with two cycles.
  const auto cycles = FindCycles(Dag({{"a", {"b"}}, {"b", {"a", "c"}}, {"c", {"b"}}}));
  EXPECT_EQ(cycles.size(), 2u);
}

TEST(DagGraphTest, IgnoresSelfDependenciesAndUnknownIds) {
  EXPECT_TRUE(FindCycles(Dag({{"a", {"a", "ghost"}}})).empty());
}

TEST(DagGraphTest, HandlesALongChainWithoutDeepRecursion) {
  std::vector<std::pair<std::string, std::vector<std::string>>> tasks;
  for (int i = 0; i < 30000; ++i) {
    tasks.push_back({"t" + std::to_string(i), i ? std::vector<std::string>{"t" + std::to_string(i - 1)}
                                                : std::vector<std::string>{}});
  }
  tasks[0].second = {"t29999"};  // closes one giant cycle
  const auto cycles = FindCycles(Dag(tasks));
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].size(), 30000u);
}

}  // namespace
}  // namespace sluice
