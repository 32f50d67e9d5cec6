#include "scheduler/task_parser.h"

#include <yaml-cpp/yaml.h>

#include "scheduler/dag_values.h"
#include "scheduler/suggest.h"
#include "scheduler/task_config_check.h"
#include "scheduler/task_policy_keys.h"

namespace sluice {
namespace {

const std::vector<std::string>& TaskKeys() {
  static const std::vector<std::string> kKeys = [] {
    std::vector<std::string> keys = {"id", "plugin", "depends_on", "with"};
    for (const std::string& key : TaskPolicyKeys()) keys.push_back(key);
    keys.push_back("watermark");
    keys.push_back("sla");
    return keys;
  }();
  return kKeys;
}

std::string KnownPlugins(const PluginCatalog& catalog) {
  const std::vector<std::string> names = catalog.Names();
  if (names.empty()) return "no plugins are installed; check SLUICE_PLUGIN_PATH";
  return "known plugins: " + JoinNames(names);
}

// The task's id, read before its other keys so every message can name the task.
void ReadId(const YAML::Node& node, size_t index, ParsedTask& task, ProblemList& problems) {
  task.label = "task #" + std::to_string(index + 1);
  for (const auto& entry : node) {
    if (!entry.first.IsScalar() || entry.first.Scalar() != "id") continue;
    task.id_position = PositionOf(entry.second, entry.first);
    const std::optional<std::string> id =
        ReadScalar(entry.first, entry.second, "in " + task.label, "a task name",
                   "use letters, digits, '_', '.' and '-'", problems);
    if (!id) return;
    if (!IsValidId(*id)) {
      problems.Add(task.id_position, "invalid task id '" + *id + "'",
                   "use only letters, digits, '_', '.' and '-', e.g. '" + SanitizedId(*id) + "'");
    }
    // Even an invalid id names the task, so that its dependents do not report it as unknown.
    task.spec.id = *id;
    task.label = "task '" + *id + "'";
    return;
  }
  problems.Add(task.position, task.label + " has no `id`",
               "add 'id: NAME' using letters, digits, '_', '.' and '-'");
}

void ReadDependsOn(const YAML::Node& key, const YAML::Node& value, ParsedTask& task,
                   ProblemList& problems) {
  const std::string where = "in " + task.label;
  auto add = [&](const YAML::Node& item) {
    const std::optional<std::string> id = ReadScalar(
        key, item, where, "a task id or a list of task ids", "write 'depends_on: [a, b]'", problems);
    if (!id) return;
    for (const std::string& existing : task.spec.depends_on) {
      if (existing == *id) {
        problems.Add(PositionOf(item), task.label + " lists '" + *id + "' twice in `depends_on`",
                     "remove the second one");
        return;
      }
    }
    task.spec.depends_on.push_back(*id);
    task.depends_on_positions.push_back(PositionOf(item));
  };
  if (value.IsNull()) return;
  if (value.IsSequence()) {
    for (const YAML::Node& item : value) add(item);
  } else {
    add(value);
  }
}

// `watermark: {column: COLUMN, initial: VALUE}`. Both are required: without `initial` the
// first run's query would compare against nothing, which each database treats differently.
void ReadWatermark(const YAML::Node& key, const YAML::Node& value, ParsedTask& task,
                   ProblemList& problems) {
  const std::string where = "in `watermark` of " + task.label;
  constexpr std::string_view kForm = "write 'watermark: {column: COLUMN, initial: VALUE}'";
  if (!value.IsMap()) {
    problems.Add(PositionOf(value, key),
                 "`watermark` in " + task.label + " must be a mapping, got " + DescribeYamlValue(value),
                 std::string(kForm));
    return;
  }
  WatermarkSpec spec;
  bool has_column = false, has_initial = false;
  ForEachKnownKey(value, {"column", "initial"}, where, problems,
                  [&](const std::string& name, const YAML::Node& k, const YAML::Node& v) {
    if (name == "column") {
      if (auto column = ReadScalar(k, v, where, "a column name of the task's output",
                                   std::string(kForm), problems)) {
        spec.column = *column;
        has_column = !column->empty();
      }
    } else if (auto initial = ReadScalar(k, v, where, "a value such as '1970-01-01 00:00:00' or 0",
                                         std::string(kForm), problems)) {
      spec.initial = *initial;
      has_initial = true;
    }
  });
  if (!has_column) {
    problems.Add(PositionOf(key), "`watermark` in " + task.label + " has no `column`",
                 "name the output column whose largest value marks what was extracted, e.g. "
                 "'column: updated_at'");
  }
  if (!has_initial) {
    problems.Add(PositionOf(key), "`watermark` in " + task.label + " has no `initial`",
                 "give the value '{{ watermark }}' has before the first successful run, e.g. "
                 "'initial: \"1970-01-01 00:00:00\"' or 'initial: 0'");
  }
  if (has_column && has_initial) task.spec.watermark = std::move(spec);
}

}  // namespace

std::optional<ParsedTask> ParseTask(const YAML::Node& node, size_t index,
                                    const TaskParseContext& context, ProblemList& problems) {
  ParsedTask task;
  task.position = PositionOf(node);
  if (!node.IsMap()) {
    problems.Add(task.position,
                 "task #" + std::to_string(index + 1) + " must be a mapping with `id` and `plugin`, got " +
                     DescribeYamlValue(node),
                 "write '- id: NAME' and, indented below it, 'plugin: NAME'");
    return std::nullopt;
  }
  ReadId(node, index, task, problems);
  task.spec.line = task.position.line;
  // An undeclared pool of the defaults is reported at `defaults`, not at every task.
  static_cast<TaskPolicy&>(task.spec) = context.defaults;

  const std::string where = "in " + task.label;
  const PluginInfo* plugin = nullptr;
  bool plugin_known = false;  // false also when missing or unreadable: skip the schema check
  bool has_plugin = false;
  YAML::Node with;
  bool with_malformed = false;  // then the schema check would only add noise
  YamlPosition with_position = task.position;
  bool watermark_key_seen = false;  // even a broken one: its templates then get no extra error
  ForEachKnownKey(node, TaskKeys(), where, problems,
                  [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) {
    if (name == "plugin") {
      has_plugin = true;
      const std::optional<std::string> plugin_name = ReadScalar(
          key, value, where, "a plugin name", KnownPlugins(*context.catalog), problems);
      if (!plugin_name) return;
      task.spec.plugin = *plugin_name;
      plugin = context.catalog->Find(*plugin_name);
      plugin_known = plugin != nullptr;
      if (!plugin_known) {
        const std::optional<std::string> closest = ClosestName(*plugin_name, context.catalog->Names());
        problems.Add(PositionOf(value, key), "unknown plugin '" + *plugin_name + "' " + where,
                     (closest ? "did you mean '" + *closest + "'? " : "") + KnownPlugins(*context.catalog));
      }
    } else if (name == "depends_on") {
      ReadDependsOn(key, value, task, problems);
    } else if (name == "with") {
      with_position = PositionOf(key);
      if (value.IsMap() || value.IsNull()) {
        with.reset(value);
      } else {
        with_malformed = true;
        problems.Add(PositionOf(value), "`with` " + where + " must be a mapping of settings, got " +
                                            DescribeYamlValue(value),
                     "put the settings on indented lines under 'with:'");
      }
    } else if (name == "watermark") {
      watermark_key_seen = true;
      ReadWatermark(key, value, task, problems);
    } else if (name == "sla") {
      if (auto sla = ReadDurationValue(key, value, where, problems)) task.spec.sla = *sla;
    } else {
      ReadTaskPolicyKey(name, key, value, where, context.declared_pools, task.spec, problems);
    }
  });
  CheckTaskPolicy(task.spec, task.position, where, problems);
  if (!has_plugin) {
    problems.Add(task.position, task.label + " has no `plugin`",
                 "add 'plugin: NAME'; " + KnownPlugins(*context.catalog));
  }

  TaskConfigContext config_context;
  config_context.task_label = task.label;
  config_context.plugin = plugin_known && !with_malformed ? plugin : nullptr;
  config_context.catalog = context.catalog;
  config_context.param_names = context.param_names;
  config_context.watermark_declared = watermark_key_seen;
  config_context.file_trigger_declared = context.file_trigger_declared;
  config_context.with_position = with_position;
  task.spec.with_json = CheckTaskConfig(with, config_context, problems);
  return task;
}

}  // namespace sluice
