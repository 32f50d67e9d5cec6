#include "scheduler/task_policy_keys.h"

#include <charconv>
#include <cstdlib>

#include <yaml-cpp/yaml.h>

#include "scheduler/dag_values.h"
#include "scheduler/duration.h"
#include "scheduler/suggest.h"

namespace sluice {
namespace {

constexpr TriggerRule kTriggerRules[] = {TriggerRule::kAllSuccess, TriggerRule::kAllDone,
                                         TriggerRule::kAllFailed,  TriggerRule::kOneFailed,
                                         TriggerRule::kOneSuccess, TriggerRule::kNoneFailed};

std::string In(std::string_view where) {
  return where.empty() ? std::string() : " " + std::string(where);
}

void ReadTriggerRule(const YAML::Node& key, const YAML::Node& value, std::string_view where,
                     TaskPolicy& policy, ProblemList& problems) {
  std::vector<std::string> names;
  for (TriggerRule rule : kTriggerRules) names.emplace_back(TriggerRuleName(rule));
  const std::optional<std::string> text =
      ReadScalar(key, value, where, "a trigger rule", "write one of " + JoinNames(names), problems);
  if (!text) return;
  for (TriggerRule rule : kTriggerRules) {
    if (*text == TriggerRuleName(rule)) {
      policy.trigger_rule = rule;
      return;
    }
  }
  const std::optional<std::string> closest = ClosestName(*text, names);
  problems.Add(PositionOf(value), "unknown trigger rule '" + *text + "'" + In(where),
               (closest ? "did you mean '" + *closest + "'? " : std::string()) + "write one of " +
                   JoinNames(names));
}

void ReadBackoff(const YAML::Node& key, const YAML::Node& value, std::string_view where,
                 TaskPolicy& policy, ProblemList& problems) {
  constexpr std::string_view kFix = "write 'fixed' (every retry waits retry_delay) or "
                                    "'exponential' (each wait doubles)";
  const std::optional<std::string> text = ReadScalar(key, value, where, "fixed or exponential", kFix, problems);
  if (!text) return;
  if (*text == "fixed") {
    policy.retry_backoff = RetryBackoff::kFixed;
  } else if (*text == "exponential") {
    policy.retry_backoff = RetryBackoff::kExponential;
  } else {
    problems.Add(PositionOf(value), "`retry_backoff`" + In(where) + " must be fixed or exponential, got '" +
                                        *text + "'",
                 std::string(kFix));
  }
}

void ReadJitter(const YAML::Node& key, const YAML::Node& value, std::string_view where,
                TaskPolicy& policy, ProblemList& problems) {
  if (value.IsScalar()) {
    const std::string& text = value.Scalar();
    char* end = nullptr;
    const double jitter = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size() && jitter >= 0 && jitter <= 1) {
      policy.retry_jitter = jitter;
      return;
    }
  }
  problems.Add(PositionOf(value, key),
               "`" + key.Scalar() + "`" + In(where) + " must be a fraction from 0 to 1, got " +
                   DescribeYamlValue(value),
               "write e.g. 0.1 (each wait grows by up to 10% at random) or 0 (no jitter)");
}

void ReadExitCodes(const YAML::Node& key, const YAML::Node& value, std::string_view where,
                   TaskPolicy& policy, ProblemList& problems) {
  constexpr std::string_view kFix = "write a list of exit codes from 1 to 255, e.g. [75, 111]";
  std::vector<int> codes;
  bool ok = true;
  auto add = [&](const YAML::Node& item) {
    int code = 0;
    if (item.IsScalar()) {
      const std::string& text = item.Scalar();
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), code);
      if (error == std::errc() && end == text.data() + text.size() && code >= 1 && code <= 255) {
        codes.push_back(code);
        return;
      }
    }
    ok = false;
    problems.Add(PositionOf(item, key),
                 "`retry_exit_codes`" + In(where) + " must list exit codes from 1 to 255, got " +
                     DescribeYamlValue(item),
                 std::string(kFix));
  };
  if (value.IsSequence() && value.size() > 0) {
    for (const YAML::Node& item : value) add(item);
  } else if (value.IsScalar()) {
    add(value);
  } else {
    ok = false;
    problems.Add(PositionOf(value, key),
                 "`retry_exit_codes`" + In(where) + " must be a list of exit codes, got " +
                     DescribeYamlValue(value),
                 std::string(kFix));
  }
  if (ok) policy.retry_exit_codes = std::move(codes);
}

}  // namespace

const char* TriggerRuleName(TriggerRule rule) {
  switch (rule) {
    case TriggerRule::kAllSuccess: return "all_success";
    case TriggerRule::kAllDone: return "all_done";
    case TriggerRule::kAllFailed: return "all_failed";
    case TriggerRule::kOneFailed: return "one_failed";
    case TriggerRule::kOneSuccess: return "one_success";
    case TriggerRule::kNoneFailed: return "none_failed";
  }
  return "all_success";
}

const std::vector<std::string>& TaskPolicyKeys() {
  static const std::vector<std::string> kKeys = {
      "retries",          "retry_delay", "retry_backoff", "max_retry_delay", "retry_jitter",
      "retry_exit_codes", "timeout",     "pool",          "trigger_rule"};
  return kKeys;
}

void ReadTaskPolicyKey(const std::string& name, const YAML::Node& key, const YAML::Node& value,
                       std::string_view where, const std::set<std::string>* declared_pools,
                       TaskPolicy& policy, ProblemList& problems) {
  if (name == "retries") {
    if (auto retries = ReadRetries(key, value, where, problems)) policy.retries = *retries;
  } else if (name == "retry_delay") {
    if (auto delay = ReadDurationValue(key, value, where, problems)) policy.retry_delay = *delay;
  } else if (name == "retry_backoff") {
    ReadBackoff(key, value, where, policy, problems);
  } else if (name == "max_retry_delay") {
    if (auto cap = ReadDurationValue(key, value, where, problems)) policy.max_retry_delay = *cap;
  } else if (name == "retry_jitter") {
    ReadJitter(key, value, where, policy, problems);
  } else if (name == "retry_exit_codes") {
    ReadExitCodes(key, value, where, policy, problems);
  } else if (name == "timeout") {
    if (auto timeout = ReadDurationValue(key, value, where, problems)) policy.timeout = *timeout;
  } else if (name == "pool") {
    if (auto pool = ReadPoolName(key, value, where, problems)) {
      policy.pool = *pool;
      CheckPoolDeclared(*pool, PositionOf(value), where, declared_pools, problems);
    }
  } else if (name == "trigger_rule") {
    ReadTriggerRule(key, value, where, policy, problems);
  }
}

void CheckTaskPolicy(const TaskPolicy& policy, YamlPosition at, std::string_view where,
                     ProblemList& problems) {
  if (policy.max_retry_delay && *policy.max_retry_delay < policy.retry_delay) {
    problems.Add(at,
                 "`max_retry_delay` (" + FormatDuration(*policy.max_retry_delay) +
                     ") is shorter than `retry_delay` (" + FormatDuration(policy.retry_delay) +
                     ")" + In(where),
                 "raise max_retry_delay, or lower retry_delay");
  }
}

}  // namespace sluice
