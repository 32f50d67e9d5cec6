#include "scheduler/dag_values.h"

#include <charconv>
#include <limits>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "scheduler/duration.h"
#include "scheduler/suggest.h"

namespace sluice {
namespace {

bool IsPoolChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == '-';
}

std::string Where(std::string_view where) {
  return where.empty() ? std::string() : " " + std::string(where);
}

}  // namespace

bool IsValidId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!IsIdChar(c)) return false;
  }
  return true;
}

std::string SanitizedId(std::string_view id) {
  std::string out(id);
  for (char& c : out) {
    if (!IsIdChar(c)) c = '_';
  }
  return out.empty() ? "my_name" : out;
}

bool IsValidParamName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool IsValidPoolName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsPoolChar(c)) return false;
  }
  return true;
}

std::string SanitizedPoolName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (!IsPoolChar(c)) c = '_';
  }
  return out.empty() ? "my_pool" : out;
}

void ForEachKnownKey(const YAML::Node& map, const std::vector<std::string>& known,
                     std::string_view where, ProblemList& problems,
                     const std::function<void(const std::string& name, const YAML::Node& key,
                                              const YAML::Node& value)>& visit) {
  // Mappings in DAG files have a handful of keys: a linear scan beats any set here.
  std::vector<std::pair<std::string, int>> seen;  // key, line
  for (const auto& entry : map) {
    const YAML::Node& key = entry.first;
    const std::string name = key.IsScalar() ? key.Scalar() : std::string();
    const YamlPosition position = PositionOf(key);
    bool repeated = false;
    for (const auto& [seen_name, seen_line] : seen) {
      if (seen_name == name && key.IsScalar()) {
        problems.Add(position,
                     "duplicate key '" + name + "'" + Where(where) + " (first on line " +
                         std::to_string(seen_line) + ")",
                     "remove one of them");
        repeated = true;
        break;
      }
    }
    if (repeated) continue;
    seen.emplace_back(name, position.line);
    bool is_known = false;
    for (const std::string& k : known) is_known = is_known || k == name;
    if (!is_known) {
      const std::optional<std::string> closest = ClosestName(name, known);
      problems.Add(position, "unknown key '" + (key.IsScalar() ? name : DescribeYamlValue(key)) + "'" + Where(where),
                   closest ? "did you mean '" + *closest + "'?" : "valid keys are: " + JoinNames(known));
      continue;
    }
    visit(name, key, entry.second);
  }
}

std::optional<std::string> ReadScalar(const YAML::Node& key, const YAML::Node& value,
                                      std::string_view where, std::string_view expected,
                                      std::string_view how_to_fix, ProblemList& problems) {
  if (value.IsScalar()) return value.Scalar();
  problems.Add(PositionOf(value, key),
               "`" + key.Scalar() + "`" + Where(where) + " must be " + std::string(expected) +
                   ", got " + DescribeYamlValue(value),
               std::string(how_to_fix));
  return std::nullopt;
}

std::optional<int> ReadRetries(const YAML::Node& key, const YAML::Node& value,
                               std::string_view where, ProblemList& problems) {
  if (value.IsScalar()) {
    const std::string& text = value.Scalar();
    int retries = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), retries);
    if (error == std::errc() && end == text.data() + text.size() && retries >= 0 &&
        !text.empty() && text[0] != '-') {
      return retries;
    }
  }
  problems.Add(PositionOf(value, key),
               "`" + key.Scalar() + "`" + Where(where) + " must be a non-negative integer, got " +
                   DescribeYamlValue(value),
               "write a whole number such as 3");
  return std::nullopt;
}

std::optional<int> ReadPositiveInt(const YAML::Node& key, const YAML::Node& value,
                                   std::string_view where, std::string_view how_to_fix,
                                   ProblemList& problems) {
  if (value.IsScalar()) {
    const std::string& text = value.Scalar();
    int number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error == std::errc() && end == text.data() + text.size() && number >= 1) return number;
  }
  problems.Add(PositionOf(value, key),
               "`" + key.Scalar() + "`" + Where(where) + " must be a positive integer, got " +
                   DescribeYamlValue(value),
               std::string(how_to_fix));
  return std::nullopt;
}

std::optional<bool> ReadBool(const YAML::Node& key, const YAML::Node& value,
                             std::string_view where, std::string_view how_to_fix,
                             ProblemList& problems) {
  if (value.IsScalar()) {
    const nlohmann::json converted = YamlToJson(value);
    if (converted.is_boolean()) return converted.get<bool>();
  }
  problems.Add(PositionOf(value, key),
               "`" + key.Scalar() + "`" + Where(where) + " must be true or false, got " +
                   DescribeYamlValue(value),
               std::string(how_to_fix));
  return std::nullopt;
}

std::optional<std::string> ReadPoolName(const YAML::Node& key, const YAML::Node& value,
                                        std::string_view where, ProblemList& problems) {
  constexpr std::string_view kFix =
      "write the name of a pool declared in the scheduler config, such as 'warehouse'";
  const std::optional<std::string> name =
      ReadScalar(key, value, where, "a pool name", kFix, problems);
  if (!name) return std::nullopt;
  if (!name->empty() && !IsValidPoolName(*name)) {
    problems.Add(PositionOf(value), "invalid pool name '" + *name + "'" + Where(where),
                 "use only letters, digits, '_' and '-', e.g. '" + SanitizedPoolName(*name) + "'");
    return std::nullopt;
  }
  return name;
}

void CheckPoolDeclared(const std::string& pool, YamlPosition at, std::string_view where,
                       const std::set<std::string>* declared_pools, ProblemList& problems) {
  if (pool.empty() || declared_pools == nullptr || declared_pools->count(pool) > 0) return;
  const std::vector<std::string> declared(declared_pools->begin(), declared_pools->end());
  const std::optional<std::string> closest = ClosestName(pool, declared);
  problems.Add(at, "pool '" + pool + "'" + Where(where) + " is not declared in the scheduler config",
               (closest ? "did you mean '" + *closest + "'? " : std::string()) +
                   (declared.empty() ? "no pools are declared" : "declared pools: " + JoinNames(declared)) +
                   "; to declare it, add '" + pool + ": SLOTS' under `pools:` in HOME/sluice.yaml");
}

std::optional<Duration> ReadDurationValue(const YAML::Node& key, const YAML::Node& value,
                                          std::string_view where, ProblemList& problems) {
  const std::string name = key.Scalar();
  if (value.IsScalar()) {
    Result<Duration> duration = ParseDuration(value.Scalar());
    if (duration.ok()) {
      // A zero limit would fail everything at once; "no limit" is written by leaving it out.
      const bool is_limit = name == "timeout" || name == "run_timeout" ||
                            name == "max_retry_delay" || name == "sla" ||
                            name == "workspace_retention";
      if (is_limit && duration->count() == 0) {
        const char* fix = name == "timeout"     ? "remove it to run without a timeout"
                          : name == "run_timeout" ? "remove it to let runs take as long as they need"
                          : name == "sla"         ? "remove it for no SLA"
                          : name == "workspace_retention"
                              ? "write how long finished runs keep their tasks' outputs for "
                                "clears and retries, e.g. 7d (the default)"
                              : "remove it to let the waits grow without a cap";
        problems.Add(PositionOf(value), "`" + name + "`" + Where(where) + " must be longer than 0s", fix);
        return std::nullopt;
      }
      return *duration;
    }
  }
  problems.Add(PositionOf(value, key),
               "`" + name + "`" + Where(where) + " must be a duration, got " + DescribeYamlValue(value),
               "write " + std::string(kDurationForms));
  return std::nullopt;
}

}  // namespace sluice
