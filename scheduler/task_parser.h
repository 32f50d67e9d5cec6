// Reads one entry of `tasks:` into a TaskSpec, reporting every problem of the entry.
#ifndef SLUICE_SCHEDULER_TASK_PARSER_H_
#define SLUICE_SCHEDULER_TASK_PARSER_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runtime/plugin_catalog.h"
#include "scheduler/dag.h"
#include "scheduler/problem_list.h"
#include "scheduler/yaml_json.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace sluice {

/// Values from the DAG's `defaults:` that a task inherits unless it sets its own.
using TaskDefaults = TaskPolicy;

/// A task as read, with the positions the cross-task checks report at.
struct ParsedTask {
  TaskSpec spec;             // spec.id is empty when the task has no usable id
  std::string label;         // "task 'load'", or "task #3" without an id
  YamlPosition position;     // the task's first key
  YamlPosition id_position;
  std::vector<YamlPosition> depends_on_positions;  // parallel to spec.depends_on
};

struct TaskParseContext {
  const PluginCatalog* catalog = nullptr;
  const std::vector<std::string>* param_names = nullptr;
  TaskDefaults defaults;
  const std::set<std::string>* declared_pools = nullptr;  // nullptr: pools are not checked
  bool file_trigger_declared = false;  // the DAG has `trigger:`: {{ trigger_file }} is known
};

/// Reads `node`, the `index`th (0-based) entry of `tasks:`. Returns nullopt only when the
/// entry is not a mapping at all.
std::optional<ParsedTask> ParseTask(const YAML::Node& node, size_t index,
                                    const TaskParseContext& context, ProblemList& problems);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_TASK_PARSER_H_
