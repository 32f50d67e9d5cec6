// Checks a task's `with:` settings: the plugin's JSON Schema, the plugin's own validate(),
// and the templates inside every string.
#ifndef SLUICE_SCHEDULER_TASK_CONFIG_CHECK_H_
#define SLUICE_SCHEDULER_TASK_CONFIG_CHECK_H_

#include <string>
#include <vector>

#include "runtime/plugin_catalog.h"
#include "scheduler/problem_list.h"
#include "scheduler/yaml_json.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace sluice {

struct TaskConfigContext {
  std::string task_label;                // "task 'load'"
  const PluginInfo* plugin = nullptr;    // nullptr when the plugin is unknown: templates only
  const PluginCatalog* catalog = nullptr;
  const std::vector<std::string>* param_names = nullptr;
  bool watermark_declared = false;       // the task has `watermark:`, so {{ watermark }} is known
  bool file_trigger_declared = false;    // the DAG has `trigger:`, so {{ trigger_file }} is known
  YamlPosition with_position;            // the `with` key, or the task when it has none
};

/// Reports every problem of `with` (a mapping, or null for no settings) and returns it as
/// JSON object text. REQUIRES: with.IsMap() || with.IsNull() || !with.IsDefined().
std::string CheckTaskConfig(const YAML::Node& with, const TaskConfigContext& context,
                            ProblemList& problems);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_TASK_CONFIG_CHECK_H_
