// What the scheduler's event loop knows about its DAGs, published for the HTTP API's threads:
// every DAG that loads (its spec, shared and immutable) and when its schedule fires next.
//
// The loop owns the registry and its clocks and is the only writer; API threads read copies.
// Broken files are not here: the dag_files table holds them with their errors, written by the
// same loop, so the API reads those from the state database.
#ifndef SLUICE_SCHEDULER_DAG_BOARD_H_
#define SLUICE_SCHEDULER_DAG_BOARD_H_

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "scheduler/dag_registry.h"

namespace sluice {

struct DagBoardEntry {
  std::shared_ptr<const RegisteredDag> dag;
  std::optional<std::chrono::system_clock::time_point> next_fire;  // nullopt: none scheduled
};

class DagBoard {
 public:
  /// Sets (or replaces) a loaded DAG; its next fire is kept.
  void SetDag(const std::string& dag_id, std::shared_ptr<const RegisteredDag> dag);
  void RemoveDag(const std::string& dag_id);
  void SetNextFire(const std::string& dag_id,
                   std::optional<std::chrono::system_clock::time_point> next_fire);

  /// Every DAG, by id.
  std::map<std::string, DagBoardEntry> Snapshot() const;
  std::optional<DagBoardEntry> Find(const std::string& dag_id) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, DagBoardEntry> dags_;
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DAG_BOARD_H_
