// The keys a task and the DAG's `defaults:` share (TaskPolicy in dag.h): retries and their
// timing, timeout, pool, trigger rule. One reader for both, so each key means and reports
// the same wherever it is written.
#ifndef SLUICE_SCHEDULER_TASK_POLICY_KEYS_H_
#define SLUICE_SCHEDULER_TASK_POLICY_KEYS_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/dag.h"
#include "scheduler/problem_list.h"
#include "scheduler/yaml_json.h"

namespace sluice {

/// The shared keys, in the order messages list them.
const std::vector<std::string>& TaskPolicyKeys();

/// Reads the shared key `name` (one of TaskPolicyKeys()) into `policy`; a bad value is
/// reported and leaves `policy` as it was. `declared_pools` (may be null) checks `pool`.
void ReadTaskPolicyKey(const std::string& name, const YAML::Node& key, const YAML::Node& value,
                       std::string_view where, const std::set<std::string>* declared_pools,
                       TaskPolicy& policy, ProblemList& problems);

/// Checks the combination of a task's final values (its own over the defaults), reported
/// at `at`: a `max_retry_delay` shorter than `retry_delay`.
void CheckTaskPolicy(const TaskPolicy& policy, YamlPosition at, std::string_view where,
                     ProblemList& problems);

/// The name a DAG file uses for `rule` ("all_success", ...).
const char* TriggerRuleName(TriggerRule rule);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_TASK_POLICY_KEYS_H_
