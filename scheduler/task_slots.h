// Who may start a task now: the limits that span runs (the scheduler's global parallelism, a
// DAG's max_active_tasks, pools) sit behind this seam, so one run's engine does not need to
// know about the others.
#ifndef SLUICE_SCHEDULER_TASK_SLOTS_H_
#define SLUICE_SCHEDULER_TASK_SLOTS_H_

#include <cstddef>

#include "scheduler/dag.h"

namespace sluice {

class TaskSlots {
 public:
  virtual ~TaskSlots() = default;
  /// Takes a slot for an attempt of `task` of `dag` when every limit has one free.
  virtual bool TryAcquire(const DagSpec& dag, const TaskSpec& task) = 0;
  /// Gives back the slot of an attempt that ended (or never started).
  virtual void Release(const DagSpec& dag, const TaskSpec& task) = 0;
  /// At most how many attempts could start now, whatever their DAG and pool: the engine
  /// looks at no more ready tasks than this (a run of 10,000 ready tasks and 2 slots must
  /// not consider all 10,000 on every step).
  virtual size_t available() const = 0;
};

/// At most `limit` attempts at once, whatever their DAG: `sluice run --parallelism`.
class CountingSlots final : public TaskSlots {
 public:
  explicit CountingSlots(size_t limit) : limit_(limit) {}
  bool TryAcquire(const DagSpec&, const TaskSpec&) override {
    if (taken_ >= limit_) return false;
    ++taken_;
    return true;
  }
  void Release(const DagSpec&, const TaskSpec&) override {
    if (taken_ > 0) --taken_;
  }
  size_t available() const override { return limit_ > taken_ ? limit_ - taken_ : 0; }
  size_t taken() const { return taken_; }

 private:
  size_t limit_;
  size_t taken_ = 0;
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_TASK_SLOTS_H_
