#include "scheduler/dag_parser.h"

#include <cctz/time_zone.h>
#include <yaml-cpp/yaml.h>

#include "scheduler/dag_values.h"
#include "scheduler/dependency_check.h"
#include "scheduler/schedule.h"
#include "scheduler/task_parser.h"
#include "scheduler/zoned_time.h"

namespace sluice {
namespace {

const std::vector<std::string>& TopLevelKeys() {
  static const std::vector<std::string> kKeys = {"dag",        "description", "schedule",
                                                 "timezone",   "start_date",  "end_date",
                                                 "params",     "defaults",    "tasks"};
  return kKeys;
}
const std::vector<std::string>& DefaultsKeys() {
  static const std::vector<std::string> kKeys = {"retries", "retry_delay", "timeout"};
  return kKeys;
}
constexpr const char* kTopLevel = "";

// The entries of the top-level mapping, found first so they can be read in dependency
// order (tasks need params and defaults) wherever they appear in the file.
struct TopLevel {
  YAML::Node dag_key, dag, description_key, description, schedule_key, schedule, timezone_key,
      timezone, start_date_key, start_date, end_date_key, end_date, params_key, params,
      defaults_key, defaults, tasks_key, tasks;
  bool has_dag = false, has_description = false, has_schedule = false, has_timezone = false,
       has_start_date = false, has_end_date = false, has_params = false, has_defaults = false,
       has_tasks = false;
};

void ReadDagId(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (top.has_dag) {
    const std::optional<std::string> id =
        ReadScalar(top.dag_key, top.dag, kTopLevel, "a DAG id",
                   "write a name of letters, digits, '_', '.' and '-'", problems);
    if (!id) return;
    dag.id = *id;
    if (!IsValidId(*id)) {
      problems.Add(PositionOf(top.dag, top.dag_key), "invalid DAG id '" + *id + "'",
                   "use only letters, digits, '_', '.' and '-', e.g. '" + SanitizedId(*id) + "'");
    }
  } else if (!IsValidId(dag.id)) {
    problems.Add({}, "the file name '" + dag.id + "' is not a valid DAG id",
                 "rename the file, or set `dag:` to a name of letters, digits, '_', '.' and '-'");
  }
}

void ReadSchedule(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (!top.has_schedule) return;
  const std::string fix =
      "write a cron expression in quotes such as '0 6 * * *', or remove `schedule` to run the "
      "DAG only on demand";
  const std::optional<std::string> schedule = ReadScalar(
      top.schedule_key, top.schedule, kTopLevel, "a non-empty cron expression", fix, problems);
  if (!schedule) return;
  if (schedule->empty()) {
    problems.Add(PositionOf(top.schedule, top.schedule_key),
                 "`schedule` must be a non-empty cron expression, got ''", fix);
    return;
  }
  // The message says what is wrong and how to fix it ("... — write values from 0 to 59").
  if (const Status checked = Schedule::CheckExpression(*schedule); !checked.ok()) {
    problems.Add(PositionOf(top.schedule), "invalid `schedule` '" + *schedule + "': " + checked.message());
    return;
  }
  dag.schedule = *schedule;
}

void ReadTimezone(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (!top.has_timezone) return;
  const std::string fix = "use an IANA name such as 'UTC' or 'America/New_York'";
  const std::optional<std::string> name =
      ReadScalar(top.timezone_key, top.timezone, kTopLevel, "a time zone name", fix, problems);
  if (!name) return;
  cctz::time_zone zone;
  if (name->empty() || !cctz::load_time_zone(*name, &zone)) {
    problems.Add(PositionOf(top.timezone, top.timezone_key), "unknown time zone '" + *name + "'", fix);
    return;
  }
  dag.timezone = *name;
}

// `start_date` or `end_date`, read in the DAG's zone (so after `timezone`).
std::optional<std::chrono::system_clock::time_point> ReadDate(const YAML::Node& key,
                                                              const YAML::Node& value,
                                                              const DagSpec& dag, DateAlone date_alone,
                                                              ProblemList& problems) {
  const std::optional<std::string> text =
      ReadScalar(key, value, kTopLevel, "a date or date-time", std::string(kZonedTimeForms), problems);
  if (!text) return std::nullopt;
  Result<ZonedTimePoint> at = ParseZonedTime(*text, dag.timezone, date_alone);
  if (!at.ok()) {
    problems.Add(PositionOf(value), "invalid `" + key.Scalar() + "`: " + at.message());
    return std::nullopt;
  }
  return *at;
}

void ReadDateBounds(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (top.has_start_date) {
    dag.start_date = ReadDate(top.start_date_key, top.start_date, dag, DateAlone::kStartOfDay, problems);
  }
  if (top.has_end_date) {
    dag.end_date = ReadDate(top.end_date_key, top.end_date, dag, DateAlone::kEndOfDay, problems);
  }
  if (dag.start_date && dag.end_date && *dag.end_date < *dag.start_date) {
    problems.Add(PositionOf(top.end_date),
                 "`end_date` " + FormatZonedTime(*dag.end_date, dag.timezone) +
                     " is before `start_date` " + FormatZonedTime(*dag.start_date, dag.timezone),
                 "swap them, or remove `end_date`");
  }
}

void ReadParams(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (!top.has_params || top.params.IsNull()) return;
  if (!top.params.IsMap()) {
    problems.Add(PositionOf(top.params),
                 "`params` must be a mapping of parameter names to default values, got " +
                     DescribeYamlValue(top.params),
                 "write e.g. 'params: {region: eu}'");
    return;
  }
  std::vector<std::pair<std::string, int>> seen;  // name, line
  for (const auto& entry : top.params) {
    const std::string name = entry.first.Scalar();
    const YamlPosition where = PositionOf(entry.first);
    if (!IsValidParamName(name)) {
      problems.Add(where, "invalid parameter name '" + name + "'",
                   "use letters, digits and '_', not starting with a digit");
      continue;
    }
    bool repeated = false;
    for (const auto& [seen_name, seen_line] : seen) {
      if (seen_name != name) continue;
      problems.Add(where,
                   "duplicate parameter '" + name + "' (first on line " + std::to_string(seen_line) + ")",
                   "remove one of them");
      repeated = true;
    }
    if (repeated) continue;
    seen.emplace_back(name, where.line);
    const YAML::Node& value = entry.second;
    if (value.IsNull()) {
      dag.params.emplace_back(name, "");
    } else if (value.IsScalar()) {
      dag.params.emplace_back(name, value.Scalar());
    } else {
      problems.Add(PositionOf(value),
                   "parameter '" + name + "' must have a text, number or boolean default, got " +
                       DescribeYamlValue(value),
                   "write a single value after 'NAME:'");
    }
  }
}

TaskDefaults ReadDefaults(const TopLevel& top, ProblemList& problems) {
  TaskDefaults defaults;
  if (!top.has_defaults || top.defaults.IsNull()) return defaults;
  if (!top.defaults.IsMap()) {
    problems.Add(PositionOf(top.defaults),
                 "`defaults` must be a mapping, got " + DescribeYamlValue(top.defaults),
                 "set retries, retry_delay or timeout on indented lines under 'defaults:'");
    return defaults;
  }
  const std::string where = "in `defaults`";
  ForEachKnownKey(top.defaults, DefaultsKeys(), where, problems,
                  [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) {
    if (name == "retries") {
      if (auto retries = ReadRetries(key, value, where, problems)) defaults.retries = *retries;
    } else if (name == "retry_delay") {
      if (auto delay = ReadDurationValue(key, value, where, problems)) defaults.retry_delay = *delay;
    } else if (name == "timeout") {
      if (auto timeout = ReadDurationValue(key, value, where, problems)) defaults.timeout = *timeout;
    }
  });
  return defaults;
}

void ReadTasks(const TopLevel& top, const PluginCatalog& plugins, const TaskDefaults& defaults,
               DagSpec& dag, ProblemList& problems) {
  if (!top.has_tasks) {
    problems.Add({}, "missing required key `tasks`", "add a `tasks:` list with at least one task");
    return;
  }
  if (!top.tasks.IsSequence() || top.tasks.size() == 0) {
    const bool empty = top.tasks.IsNull() || top.tasks.IsSequence();
    problems.Add(PositionOf(top.tasks, top.tasks_key),
                 empty ? "`tasks` is empty" : "`tasks` must be a list of tasks, got " + DescribeYamlValue(top.tasks),
                 empty ? "add at least one task: '- id: NAME' with 'plugin: NAME' below it"
                       : "write each task as '- id: NAME' on its own line under 'tasks:'");
    return;
  }
  std::vector<std::string> param_names;
  for (const auto& [name, value] : dag.params) param_names.push_back(name);
  TaskParseContext context{&plugins, &param_names, defaults};
  std::vector<ParsedTask> tasks;
  tasks.reserve(top.tasks.size());
  size_t index = 0;
  for (const YAML::Node& node : top.tasks) {
    if (std::optional<ParsedTask> task = ParseTask(node, index++, context, problems)) {
      tasks.push_back(std::move(*task));
    }
  }
  CheckDependencies(tasks, problems);
  for (ParsedTask& task : tasks) dag.tasks.push_back(std::move(task.spec));
}

}  // namespace

void ParseDagDocument(const YAML::Node& root, const PluginCatalog& plugins, DagSpec& dag,
                      ProblemList& problems) {
  if (!root.IsMap()) {
    problems.Add(root.IsNull() ? YamlPosition{} : PositionOf(root),
                 root.IsNull() ? "the file is empty"
                               : "the top level must be a mapping of keys such as `dag` and `tasks`, got " +
                                     DescribeYamlValue(root),
                 "start the file with 'dag: NAME' and a 'tasks:' list");
    return;
  }
  TopLevel top;
  ForEachKnownKey(root, TopLevelKeys(), "at the top level", problems,
                  [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) {
    auto keep = [&](YAML::Node& key_slot, YAML::Node& value_slot, bool& has) {
      key_slot.reset(key);
      value_slot.reset(value);
      has = true;
    };
    if (name == "dag") keep(top.dag_key, top.dag, top.has_dag);
    if (name == "description") keep(top.description_key, top.description, top.has_description);
    if (name == "schedule") keep(top.schedule_key, top.schedule, top.has_schedule);
    if (name == "timezone") keep(top.timezone_key, top.timezone, top.has_timezone);
    if (name == "start_date") keep(top.start_date_key, top.start_date, top.has_start_date);
    if (name == "end_date") keep(top.end_date_key, top.end_date, top.has_end_date);
    if (name == "params") keep(top.params_key, top.params, top.has_params);
    if (name == "defaults") keep(top.defaults_key, top.defaults, top.has_defaults);
    if (name == "tasks") keep(top.tasks_key, top.tasks, top.has_tasks);
  });
  ReadDagId(top, dag, problems);
  if (top.has_description && !top.description.IsNull()) {
    if (auto text = ReadScalar(top.description_key, top.description, kTopLevel, "text",
                               "write it on one line, or as a block after 'description: |'",
                               problems)) {
      dag.description = *text;
    }
  }
  ReadSchedule(top, dag, problems);
  ReadTimezone(top, dag, problems);
  ReadDateBounds(top, dag, problems);
  ReadParams(top, dag, problems);
  const TaskDefaults defaults = ReadDefaults(top, problems);
  ReadTasks(top, plugins, defaults, dag, problems);
}

}  // namespace sluice
