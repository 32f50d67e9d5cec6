#include "scheduler/scheduler_slots.h"

namespace sluice {

bool SchedulerSlots::TryAcquire(const DagSpec& dag, const TaskSpec& task) {
  if (running_ >= parallelism_) return false;
  int& dag_running = per_dag_[dag.id];
  if (dag_running >= dag.max_active_tasks) return false;
  if (!task.pool.empty()) {
    const auto pool = pools_.find(task.pool);
    if (pool != pools_.end() && per_pool_[task.pool] >= pool->second) return false;
    ++per_pool_[task.pool];
  }
  ++dag_running;
  ++running_;
  return true;
}

void SchedulerSlots::Release(const DagSpec& dag, const TaskSpec& task) {
  if (running_ > 0) --running_;
  if (auto it = per_dag_.find(dag.id); it != per_dag_.end() && --it->second <= 0) {
    per_dag_.erase(it);
  }
  if (task.pool.empty()) return;
  if (auto it = per_pool_.find(task.pool); it != per_pool_.end() && --it->second <= 0) {
    per_pool_.erase(it);
  }
}

int SchedulerSlots::running_in_pool(const std::string& pool) const {
  const auto it = per_pool_.find(pool);
  return it == per_pool_.end() ? 0 : it->second;
}

}  // namespace sluice
