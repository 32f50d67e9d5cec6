#include "scheduler/dag_parser.h"

#include <set>

#include <cctz/time_zone.h>
#include <yaml-cpp/yaml.h>

#include "scheduler/alert_routes.h"
#include "scheduler/dag_values.h"
#include "scheduler/dependency_check.h"
#include "scheduler/file_glob.h"
#include "scheduler/schedule.h"
#include "scheduler/task_parser.h"
#include "scheduler/task_policy_keys.h"
#include "scheduler/zoned_time.h"

namespace sluice {
namespace {

// One key of the top-level mapping and its value; `present` is false when the file lacks it.
struct Entry {
  YAML::Node key, value;
  bool present = false;
};

// The entries of the top-level mapping, found first so they can be read in dependency
// order (tasks need params and defaults) wherever they appear in the file.
struct TopLevel {
  Entry dag, description, schedule, timezone, start_date, end_date, catchup, max_active_runs,
      max_active_tasks, run_timeout, sla, trigger, alerts, params, defaults, tasks;
};

// Every top-level key and where TopLevel keeps it, in the order "valid keys are" lists them.
const std::vector<std::pair<std::string, Entry TopLevel::*>>& TopLevelSlots() {
  static const std::vector<std::pair<std::string, Entry TopLevel::*>> kSlots = {
      {"dag", &TopLevel::dag},
      {"description", &TopLevel::description},
      {"schedule", &TopLevel::schedule},
      {"timezone", &TopLevel::timezone},
      {"start_date", &TopLevel::start_date},
      {"end_date", &TopLevel::end_date},
      {"catchup", &TopLevel::catchup},
      {"max_active_runs", &TopLevel::max_active_runs},
      {"max_active_tasks", &TopLevel::max_active_tasks},
      {"run_timeout", &TopLevel::run_timeout},
      {"sla", &TopLevel::sla},
      {"trigger", &TopLevel::trigger},
      {"alerts", &TopLevel::alerts},
      {"params", &TopLevel::params},
      {"defaults", &TopLevel::defaults},
      {"tasks", &TopLevel::tasks}};
  return kSlots;
}
const std::vector<std::string>& TopLevelKeys() {
  static const std::vector<std::string> kKeys = [] {
    std::vector<std::string> keys;
    for (const auto& [name, slot] : TopLevelSlots()) keys.push_back(name);
    return keys;
  }();
  return kKeys;
}
const std::vector<std::string>& TriggerKeys() {
  static const std::vector<std::string> kKeys = {"files"};
  return kKeys;
}
constexpr const char* kTopLevel = "";

void ReadDagId(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (top.dag.present) {
    const std::optional<std::string> id =
        ReadScalar(top.dag.key, top.dag.value, kTopLevel, "a DAG id",
                   "write a name of letters, digits, '_', '.' and '-'", problems);
    if (!id) return;
    dag.id = *id;
    if (!IsValidId(*id)) {
      problems.Add(PositionOf(top.dag.value, top.dag.key), "invalid DAG id '" + *id + "'",
                   "use only letters, digits, '_', '.' and '-', e.g. '" + SanitizedId(*id) + "'");
    }
  } else if (!IsValidId(dag.id)) {
    problems.Add({}, "the file name '" + dag.id + "' is not a valid DAG id",
                 "rename the file, or set `dag:` to a name of letters, digits, '_', '.' and '-'");
  }
}

void ReadSchedule(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (!top.schedule.present) return;
  const std::string fix =
      "write a cron expression in quotes such as '0 6 * * *', or remove `schedule` to run the "
      "DAG only on demand";
  const std::optional<std::string> schedule = ReadScalar(
      top.schedule.key, top.schedule.value, kTopLevel, "a non-empty cron expression", fix, problems);
  if (!schedule) return;
  if (schedule->empty()) {
    problems.Add(PositionOf(top.schedule.value, top.schedule.key),
                 "`schedule` must be a non-empty cron expression, got ''", fix);
    return;
  }
  // The message says what is wrong and how to fix it ("... — write values from 0 to 59").
  if (const Status checked = Schedule::CheckExpression(*schedule); !checked.ok()) {
    problems.Add(PositionOf(top.schedule.value), "invalid `schedule` '" + *schedule + "': " + checked.message());
    return;
  }
  dag.schedule = *schedule;
}

void ReadTimezone(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (!top.timezone.present) return;
  const std::string fix = "use an IANA name such as 'UTC' or 'America/New_York'";
  const std::optional<std::string> name =
      ReadScalar(top.timezone.key, top.timezone.value, kTopLevel, "a time zone name", fix, problems);
  if (!name) return;
  cctz::time_zone zone;
  if (name->empty() || !cctz::load_time_zone(*name, &zone)) {
    problems.Add(PositionOf(top.timezone.value, top.timezone.key), "unknown time zone '" + *name + "'", fix);
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
  if (top.start_date.present) {
    dag.start_date = ReadDate(top.start_date.key, top.start_date.value, dag, DateAlone::kStartOfDay, problems);
  }
  if (top.end_date.present) {
    dag.end_date = ReadDate(top.end_date.key, top.end_date.value, dag, DateAlone::kEndOfDay, problems);
  }
  if (dag.start_date && dag.end_date && *dag.end_date < *dag.start_date) {
    problems.Add(PositionOf(top.end_date.value),
                 "`end_date` " + FormatZonedTime(*dag.end_date, dag.timezone) +
                     " is before `start_date` " + FormatZonedTime(*dag.start_date, dag.timezone),
                 "swap them, or remove `end_date`");
  }
}

// `catchup`, `max_active_runs`, `max_active_tasks`, `run_timeout` and `alerts`: how runs of
// the DAG go, and who hears of them.
void ReadRunLimits(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (top.catchup.present) {
    if (auto catchup = ReadBool(top.catchup.key, top.catchup.value, kTopLevel,
                                "write 'catchup: true' to run every interval missed while the "
                                "scheduler was down, or 'catchup: false' to run only the latest",
                                problems)) {
      dag.catchup = *catchup;
    }
  }
  if (top.max_active_runs.present) {
    if (auto runs = ReadPositiveInt(top.max_active_runs.key, top.max_active_runs.value, kTopLevel,
                                    "write a whole number of 1 or more, such as 1 for one run at a time",
                                    problems)) {
      dag.max_active_runs = *runs;
    }
  }
  if (top.max_active_tasks.present) {
    if (auto tasks = ReadPositiveInt(top.max_active_tasks.key, top.max_active_tasks.value, kTopLevel,
                                     "write a whole number of 1 or more, such as 16", problems)) {
      dag.max_active_tasks = *tasks;
    }
  }
  if (top.alerts.present) {
    dag.alerts = ReadAlertRoutes(top.alerts.key, top.alerts.value, "in `alerts`", problems);
  }
  if (top.sla.present) {
    if (auto sla = ReadDurationValue(top.sla.key, top.sla.value, kTopLevel, problems)) dag.sla = *sla;
  }
  if (top.run_timeout.present) {
    if (auto limit = ReadDurationValue(top.run_timeout.key, top.run_timeout.value, kTopLevel, problems)) {
      dag.run_timeout = *limit;
    }
  }
}

// `trigger: {files: PATTERN}`, resolved against the DAG file's folder (so after `file` is set).
void ReadTrigger(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (!top.trigger.present) return;
  const std::string form = "write 'trigger: {files: \"incoming/*.csv\"}'";
  if (!top.trigger.value.IsMap()) {
    problems.Add(PositionOf(top.trigger.value, top.trigger.key),
                 "`trigger` must be a mapping, got " + DescribeYamlValue(top.trigger.value), form);
    return;
  }
  const std::string where = "in `trigger`";
  bool has_files = false;
  ForEachKnownKey(top.trigger.value, TriggerKeys(), where, problems,
                  [&](const std::string&, const YAML::Node& key, const YAML::Node& value) {
    has_files = true;  // the only key
    const std::optional<std::string> pattern =
        ReadScalar(key, value, where, "a file pattern", form, problems);
    if (!pattern) return;
    if (const std::optional<FileGlobProblem> problem = CheckFileGlob(*pattern)) {
      problems.Add(PositionOf(value, key),
                   "invalid `files` pattern '" + *pattern + "' in `trigger`: " + problem->what,
                   problem->how_to_fix);
      return;
    }
    ResolvedFileGlob resolved = ResolveFileGlob(dag.file, *pattern);
    FileTriggerSpec spec;
    spec.pattern = std::move(resolved.pattern);
    spec.as_written = *pattern;
    spec.directory = std::move(resolved.directory);
    spec.name_glob = std::move(resolved.name_glob);
    spec.line = PositionOf(key).line;
    dag.file_trigger = std::move(spec);
  });
  if (!has_files) {
    problems.Add(PositionOf(top.trigger.key), "`trigger` has no `files`",
                 "name the files whose arrival starts a run, e.g. 'files: \"incoming/*.csv\"'");
  }
}

void ReadParams(const TopLevel& top, DagSpec& dag, ProblemList& problems) {
  if (!top.params.present || top.params.value.IsNull()) return;
  if (!top.params.value.IsMap()) {
    problems.Add(PositionOf(top.params.value),
                 "`params` must be a mapping of parameter names to default values, got " +
                     DescribeYamlValue(top.params.value),
                 "write e.g. 'params: {region: eu}'");
    return;
  }
  std::vector<std::pair<std::string, int>> seen;  // name, line
  for (const auto& entry : top.params.value) {
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

TaskDefaults ReadDefaults(const TopLevel& top, const std::set<std::string>* declared_pools,
                          ProblemList& problems) {
  TaskDefaults defaults;
  if (!top.defaults.present || top.defaults.value.IsNull()) return defaults;
  if (!top.defaults.value.IsMap()) {
    problems.Add(PositionOf(top.defaults.value),
                 "`defaults` must be a mapping, got " + DescribeYamlValue(top.defaults.value),
                 "set retries, retry_delay, timeout, pool or trigger_rule on indented lines under 'defaults:'");
    return defaults;
  }
  const std::string where = "in `defaults`";
  ForEachKnownKey(top.defaults.value, TaskPolicyKeys(), where, problems,
                  [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) {
    ReadTaskPolicyKey(name, key, value, where, declared_pools, defaults, problems);
  });
  return defaults;
}

void ReadTasks(const TopLevel& top, const PluginCatalog& plugins, const TaskDefaults& defaults,
               const std::set<std::string>* declared_pools, DagSpec& dag, ProblemList& problems) {
  if (!top.tasks.present) {
    problems.Add({}, "missing required key `tasks`", "add a `tasks:` list with at least one task");
    return;
  }
  if (!top.tasks.value.IsSequence() || top.tasks.value.size() == 0) {
    const bool empty = top.tasks.value.IsNull() || top.tasks.value.IsSequence();
    problems.Add(PositionOf(top.tasks.value, top.tasks.key),
                 empty ? "`tasks` is empty" : "`tasks` must be a list of tasks, got " + DescribeYamlValue(top.tasks.value),
                 empty ? "add at least one task: '- id: NAME' with 'plugin: NAME' below it"
                       : "write each task as '- id: NAME' on its own line under 'tasks:'");
    return;
  }
  std::vector<std::string> param_names;
  for (const auto& [name, value] : dag.params) param_names.push_back(name);
  // Declared even when the trigger itself is broken: one error is enough.
  TaskParseContext context{&plugins, &param_names, defaults, declared_pools, top.trigger.present};
  std::vector<ParsedTask> tasks;
  tasks.reserve(top.tasks.value.size());
  size_t index = 0;
  for (const YAML::Node& node : top.tasks.value) {
    if (std::optional<ParsedTask> task = ParseTask(node, index++, context, problems)) {
      tasks.push_back(std::move(*task));
    }
  }
  CheckDependencies(tasks, problems);
  for (ParsedTask& task : tasks) dag.tasks.push_back(std::move(task.spec));
}

}  // namespace

void ParseDagDocument(const YAML::Node& root, const PluginCatalog& plugins, DagSpec& dag,
                      ProblemList& problems, const std::set<std::string>* declared_pools) {
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
    for (const auto& [slot_name, slot] : TopLevelSlots()) {
      if (slot_name != name) continue;
      Entry& entry = top.*slot;
      entry.key.reset(key);
      entry.value.reset(value);
      entry.present = true;
    }
  });
  ReadDagId(top, dag, problems);
  if (top.description.present && !top.description.value.IsNull()) {
    if (auto text = ReadScalar(top.description.key, top.description.value, kTopLevel, "text",
                               "write it on one line, or as a block after 'description: |'",
                               problems)) {
      dag.description = *text;
    }
  }
  ReadSchedule(top, dag, problems);
  ReadTimezone(top, dag, problems);
  ReadDateBounds(top, dag, problems);
  ReadRunLimits(top, dag, problems);
  ReadTrigger(top, dag, problems);
  ReadParams(top, dag, problems);
  const TaskDefaults defaults = ReadDefaults(top, declared_pools, problems);
  ReadTasks(top, plugins, defaults, declared_pools, dag, problems);
}

}  // namespace sluice
