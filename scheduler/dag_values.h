// Reading the typed values of a DAG file (names, counts, durations, key sets), each
// reporting a problem in the same words wherever the value appears.
//
// `where` phrases name the enclosing place for messages: "at the top level",
// "in `defaults`", "in task 'load'".
#ifndef SLUICE_SCHEDULER_DAG_VALUES_H_
#define SLUICE_SCHEDULER_DAG_VALUES_H_

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/dag.h"
#include "scheduler/problem_list.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace sluice {

/// DAG and task ids: [A-Za-z0-9_.-]+
bool IsValidId(std::string_view id);
/// `id` with every character IsValidId rejects replaced by '_', to suggest a fix.
std::string SanitizedId(std::string_view id);
/// Parameter names: [A-Za-z_][A-Za-z0-9_]*
bool IsValidParamName(std::string_view name);
/// Pool names: [A-Za-z0-9_-]+
bool IsValidPoolName(std::string_view name);
/// `name` with every character IsValidPoolName rejects replaced by '_', to suggest a fix.
std::string SanitizedPoolName(std::string_view name);

/// Calls `visit(name, key, value)` for each entry of the mapping `map` whose key is in
/// `known`, and reports unknown keys (with the closest known key, or the list of them) and
/// repeated keys. REQUIRES: map.IsMap().
void ForEachKnownKey(const YAML::Node& map, const std::vector<std::string>& known,
                     std::string_view where, ProblemList& problems,
                     const std::function<void(const std::string& name, const YAML::Node& key,
                                              const YAML::Node& value)>& visit);

/// `value` as text when it is a scalar; otherwise reports "`NAME` WHERE must be
/// `expected`, got ..." with `how_to_fix`.
std::optional<std::string> ReadScalar(const YAML::Node& key, const YAML::Node& value,
                                      std::string_view where, std::string_view expected,
                                      std::string_view how_to_fix, ProblemList& problems);

/// `retries`: a non-negative integer.
std::optional<int> ReadRetries(const YAML::Node& key, const YAML::Node& value,
                               std::string_view where, ProblemList& problems);

/// An integer of at least 1 (`max_active_runs`, pool slots); otherwise reports "`NAME` WHERE
/// must be a positive integer, got ..." with `how_to_fix`.
std::optional<int> ReadPositiveInt(const YAML::Node& key, const YAML::Node& value,
                                   std::string_view where, std::string_view how_to_fix,
                                   ProblemList& problems);

/// `true` or `false` (any case, unquoted: YAML 1.2, so `yes` and `no` are not booleans).
std::optional<bool> ReadBool(const YAML::Node& key, const YAML::Node& value,
                             std::string_view where, std::string_view how_to_fix,
                             ProblemList& problems);

/// `pool`: a pool name; "" (written quoted) means no pool.
std::optional<std::string> ReadPoolName(const YAML::Node& key, const YAML::Node& value,
                                        std::string_view where, ProblemList& problems);

/// Reports `pool` (named WHERE, at `at`) when `declared_pools` is given and lacks it.
/// Nothing to check for an empty `pool` or a null `declared_pools`.
void CheckPoolDeclared(const std::string& pool, YamlPosition at, std::string_view where,
                       const std::set<std::string>* declared_pools, ProblemList& problems);

/// `retry_delay`, `timeout`, `max_retry_delay`, `run_timeout`, `sla`, `workspace_retention`:
/// a duration (see duration.h).
/// The limits (all but retry_delay) must be above zero.
std::optional<Duration> ReadDurationValue(const YAML::Node& key, const YAML::Node& value,
                                          std::string_view where, ProblemList& problems);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DAG_VALUES_H_
