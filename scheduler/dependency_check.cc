#include "scheduler/dependency_check.h"

#include <string>
#include <unordered_map>

#include "scheduler/dag_graph.h"
#include "scheduler/suggest.h"

namespace sluice {
namespace {

// Where task `from` names `to` in its `depends_on`.
YamlPosition EdgePosition(const ParsedTask& from, const std::string& to) {
  for (size_t i = 0; i < from.spec.depends_on.size(); ++i) {
    if (from.spec.depends_on[i] == to) return from.depends_on_positions[i];
  }
  return from.position;
}

}  // namespace

void CheckDependencies(const std::vector<ParsedTask>& tasks, ProblemList& problems) {
  std::unordered_map<std::string, size_t> first_with_id;
  std::vector<std::string> ids;
  first_with_id.reserve(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    const std::string& id = tasks[i].spec.id;
    if (id.empty()) continue;
    auto [found, inserted] = first_with_id.emplace(id, i);
    if (inserted) {
      ids.push_back(id);
    } else {
      problems.Add(tasks[i].id_position,
                   "duplicate task id '" + id + "' (first defined on line " +
                       std::to_string(tasks[found->second].id_position.line) + ")",
                   "give each task a unique `id`");
    }
  }

  // The graph used for cycles holds only the first task of each id and edges that resolve.
  DagSpec graph;
  std::vector<size_t> graph_to_task;
  for (size_t i = 0; i < tasks.size(); ++i) {
    const ParsedTask& task = tasks[i];
    const bool first_of_id = !task.spec.id.empty() && first_with_id.at(task.spec.id) == i;
    TaskSpec node;
    node.id = task.spec.id;
    for (size_t d = 0; d < task.spec.depends_on.size(); ++d) {
      const std::string& dependency = task.spec.depends_on[d];
      const YamlPosition where = task.depends_on_positions[d];
      if (!task.spec.id.empty() && dependency == task.spec.id) {
        problems.Add(where, task.label + " depends on itself",
                     "remove '" + dependency + "' from its `depends_on`");
      } else if (first_with_id.count(dependency) == 0) {
        const std::optional<std::string> closest = ClosestName(dependency, ids);
        problems.Add(where, task.label + " depends on unknown task '" + dependency + "'",
                     closest ? "did you mean '" + *closest + "'?"
                             : ids.empty() ? "no task has an id yet"
                                           : "known tasks: " + JoinNames(ids));
      } else {
        node.depends_on.push_back(dependency);
      }
    }
    if (first_of_id) {
      graph.tasks.push_back(std::move(node));
      graph_to_task.push_back(i);
    }
  }

  for (const std::vector<size_t>& cycle : FindCycles(graph)) {
    std::string path;
    for (size_t index : cycle) path += graph.tasks[index].id + " -> ";
    path += graph.tasks[cycle.front()].id;
    const ParsedTask& first = tasks[graph_to_task[cycle.front()]];
    const std::string& second = graph.tasks[cycle.size() > 1 ? cycle[1] : cycle[0]].id;
    problems.Add(EdgePosition(first, second),
                 "dependency cycle: " + path + " (each task depends on the next)",
                 "remove one of these `depends_on` entries");
  }
}

}  // namespace sluice
