#include "scheduler/dag_board.h"

namespace sluice {

void DagBoard::SetDag(const std::string& dag_id, std::shared_ptr<const RegisteredDag> dag) {
  std::lock_guard<std::mutex> lock(mutex_);
  dags_[dag_id].dag = std::move(dag);
}

void DagBoard::RemoveDag(const std::string& dag_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  dags_.erase(dag_id);
}

void DagBoard::SetNextFire(const std::string& dag_id,
                           std::optional<std::chrono::system_clock::time_point> next_fire) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = dags_.find(dag_id);
  if (it != dags_.end()) it->second.next_fire = next_fire;
}

std::map<std::string, DagBoardEntry> DagBoard::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dags_;
}

std::optional<DagBoardEntry> DagBoard::Find(const std::string& dag_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = dags_.find(dag_id);
  if (it == dags_.end()) return std::nullopt;
  return it->second;
}

}  // namespace sluice
