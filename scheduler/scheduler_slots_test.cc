#include "scheduler/scheduler_slots.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

DagSpec Dag(const std::string& id, int max_active_tasks) {
  DagSpec dag;
  dag.id = id;
  dag.max_active_tasks = max_active_tasks;
  return dag;
}

TaskSpec Task(const std::string& pool = "") {
  TaskSpec t;
  t.id = "t";
  t.pool = pool;
  return t;
}

TEST(SchedulerSlotsTest, GlobalParallelismSpansEveryDag) {
  SchedulerSlots slots(2, {});
  const DagSpec a = Dag("a", 16), b = Dag("b", 16);
  EXPECT_TRUE(slots.TryAcquire(a, Task()));
  EXPECT_TRUE(slots.TryAcquire(b, Task()));
  EXPECT_FALSE(slots.TryAcquire(a, Task()));
  EXPECT_EQ(slots.available(), 0u);
  slots.Release(b, Task());
  EXPECT_EQ(slots.available(), 1u);
  EXPECT_TRUE(slots.TryAcquire(a, Task()));
  EXPECT_EQ(slots.running(), 2u);
}

TEST(SchedulerSlotsTest, MaxActiveTasksLimitsOneDagAndNotTheOthers) {
  SchedulerSlots slots(10, {});
  const DagSpec narrow = Dag("narrow", 1), wide = Dag("wide", 16);
  EXPECT_TRUE(slots.TryAcquire(narrow, Task()));
  EXPECT_FALSE(slots.TryAcquire(narrow, Task()));
  EXPECT_TRUE(slots.TryAcquire(wide, Task()));
  EXPECT_TRUE(slots.TryAcquire(wide, Task()));
  slots.Release(narrow, Task());
  EXPECT_TRUE(slots.TryAcquire(narrow, Task()));
}

TEST(SchedulerSlotsTest, APoolIsSharedByEveryDagAndARefusalTakesNothing) {
  SchedulerSlots slots(10, {{"mysql", 2}});
  const DagSpec a = Dag("a", 16), b = Dag("b", 1);
  EXPECT_TRUE(slots.TryAcquire(a, Task("mysql")));
  EXPECT_TRUE(slots.TryAcquire(b, Task("mysql")));
  EXPECT_FALSE(slots.TryAcquire(a, Task("mysql"))) << "both slots taken";
  EXPECT_TRUE(slots.TryAcquire(a, Task())) << "tasks outside the pool go on";
  EXPECT_FALSE(slots.TryAcquire(b, Task())) << "b's own limit";
  EXPECT_EQ(slots.running_in_pool("mysql"), 2);
  EXPECT_EQ(slots.running(), 3u) << "refusals took no slot anywhere";
  slots.Release(a, Task("mysql"));
  EXPECT_EQ(slots.running_in_pool("mysql"), 1);
  EXPECT_TRUE(slots.TryAcquire(a, Task("mysql")));
}

TEST(SchedulerSlotsTest, AnUndeclaredPoolDoesNotBlockForever) {
  SchedulerSlots slots(3, {});
  const DagSpec a = Dag("a", 16);
  EXPECT_TRUE(slots.TryAcquire(a, Task("gone")));
  EXPECT_TRUE(slots.TryAcquire(a, Task("gone")));
}

TEST(SchedulerSlotsTest, ReconfiguredLimitsKeepTheRunningAttemptsAndApplyToTheNextOnes) {
  SchedulerSlots slots(3, {{"db", 2}});
  const DagSpec a = Dag("a", 16);
  ASSERT_TRUE(slots.TryAcquire(a, Task("db")));
  ASSERT_TRUE(slots.TryAcquire(a, Task("db")));
  ASSERT_TRUE(slots.TryAcquire(a, Task()));
  // Lowered below what runs: nothing new starts until enough have ended.
  slots.Reconfigure(2, {{"db", 1}});
  EXPECT_EQ(slots.available(), 0u);
  slots.Release(a, Task());
  EXPECT_FALSE(slots.TryAcquire(a, Task())) << "still 2 running, the new parallelism";
  slots.Release(a, Task("db"));
  EXPECT_FALSE(slots.TryAcquire(a, Task("db"))) << "the pool now has 1 slot, and it is taken";
  EXPECT_TRUE(slots.TryAcquire(a, Task()));
  // Raised: room at once.
  slots.Reconfigure(8, {{"db", 4}});
  EXPECT_TRUE(slots.TryAcquire(a, Task("db")));
  EXPECT_EQ(slots.running_in_pool("db"), 2);
  EXPECT_EQ(slots.running(), 3u);
}

}  // namespace
}  // namespace sluice
