// The scheduler's limits on attempts running at once, across all runs: the global
// `parallelism`, each DAG's `max_active_tasks`, and named pools (a task with `pool: NAME`
// takes one of the pool's slots; docs/configuration.md).
#ifndef SLUICE_SCHEDULER_SCHEDULER_SLOTS_H_
#define SLUICE_SCHEDULER_SCHEDULER_SLOTS_H_

#include <map>
#include <string>
#include <utility>

#include "scheduler/task_slots.h"

namespace sluice {

class SchedulerSlots final : public TaskSlots {
 public:
  /// `pools`: name -> slots. A task naming a pool missing here (the config changed after its
  /// DAG was loaded) is limited only by the other limits.
  SchedulerSlots(size_t parallelism, std::map<std::string, int> pools)
      : parallelism_(parallelism), pools_(std::move(pools)) {}

  /// New limits (the config was read again). Attempts running keep their slots, even beyond
  /// a lowered limit: no new one starts until enough of them have ended.
  void Reconfigure(size_t parallelism, std::map<std::string, int> pools) {
    parallelism_ = parallelism;
    pools_ = std::move(pools);
  }

  bool TryAcquire(const DagSpec& dag, const TaskSpec& task) override;
  void Release(const DagSpec& dag, const TaskSpec& task) override;

  size_t available() const override { return parallelism_ > running_ ? parallelism_ - running_ : 0; }
  size_t running() const { return running_; }
  int running_in_pool(const std::string& pool) const;

 private:
  size_t parallelism_;
  std::map<std::string, int> pools_;
  size_t running_ = 0;
  std::map<std::string, int> per_dag_;
  std::map<std::string, int> per_pool_;
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_SCHEDULER_SLOTS_H_
