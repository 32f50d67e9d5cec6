// The dependency graph of a DAG: topological order and cycle detection. Task indexes refer
// to DagSpec::tasks; `depends_on` entries that name no task are ignored.
#ifndef SLUICE_SCHEDULER_DAG_GRAPH_H_
#define SLUICE_SCHEDULER_DAG_GRAPH_H_

#include <cstddef>
#include <vector>

#include "scheduler/dag.h"

namespace sluice {

/// For each task, the indexes of the tasks it depends on (resolved `depends_on`).
std::vector<std::vector<size_t>> DependencyIndexes(const DagSpec& dag);

/// Every task after all of its dependencies; among tasks that are ready at the same time,
/// file order. Tasks on a cycle (and those after them) are left out, so the result is
/// shorter than `dag.tasks` exactly when the graph has a cycle.
std::vector<size_t> TopologicalOrder(const DagSpec& dag);

/// Dependency cycles, each as task indexes where every task depends on the next and the
/// last depends on the first. Each reported cycle has an edge no earlier one has, and once
/// one edge of each is removed the graph is acyclic, so a user fixing them one at a time
/// sees every cycle up front. Self-dependencies are not reported here.
std::vector<std::vector<size_t>> FindCycles(const DagSpec& dag);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DAG_GRAPH_H_
