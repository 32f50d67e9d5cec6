// Runs a plugin's entry points inside a test process with a host that records what the
// plugin reports — errors, counters, log lines — so plugin tests need no sluice binary.
#ifndef SLUICE_PLUGIN_TESTING_HPP_
#define SLUICE_PLUGIN_TESTING_HPP_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sluice/plugin.h"

namespace sluice::sdk::testing {

struct PluginOutcome {
  int rc = 0;                          // what run/validate returned
  std::vector<std::string> errors;     // "config_path: message", in order
  std::map<int, int64_t> counters;     // sluice_counter -> total
  std::vector<std::string> log;        // lines passed to the host's log
};

struct PluginCall {
  std::string config_json = "{}";
  std::string workspace_dir;
  std::string output_path;
  std::vector<std::pair<std::string, std::string>> inputs;  // upstream task id, dataset path
  std::string task_id = "task";
};

namespace detail {

inline void RecordError(void* user, const char* config_path, const char* message) {
  static_cast<PluginOutcome*>(user)->errors.push_back(std::string(config_path ? config_path : "") +
                                                      ": " + (message ? message : ""));
}
inline void RecordLog(void* host, int, const char* message) {
  static_cast<PluginOutcome*>(host)->log.push_back(message ? message : "");
}
inline void RecordCounter(void* host, int counter, int64_t delta) {
  static_cast<PluginOutcome*>(host)->counters[counter] += delta;
}

}  // namespace detail

/// Calls `plugin.run` as task-exec would (attempt 1 of run "run" of DAG "dag"), except that
/// the host cannot exec_command: a plugin falls back to running its work itself.
inline PluginOutcome RunPlugin(const sluice_plugin_descriptor& plugin, const PluginCall& call) {
  PluginOutcome outcome;
  std::vector<sluice_input> inputs;
  for (const auto& [task, path] : call.inputs) inputs.push_back({task.c_str(), path.c_str()});
  sluice_host_api host{sizeof(sluice_host_api), &outcome, &detail::RecordLog,
                       &detail::RecordCounter, nullptr};
  sluice_run_context context{sizeof(sluice_run_context), "dag", "run", call.task_id.c_str(), 1,
                             call.config_json.c_str(), call.workspace_dir.c_str(),
                             call.output_path.c_str(), inputs.data(), inputs.size(), &host};
  outcome.rc = plugin.run(&context, &detail::RecordError, &outcome);
  return outcome;
}

/// Calls `plugin.validate` (when it has one) and returns what it reported.
inline PluginOutcome ValidatePlugin(const sluice_plugin_descriptor& plugin,
                                    const std::string& config_json) {
  PluginOutcome outcome;
  if (plugin.validate != nullptr) {
    outcome.rc = plugin.validate(config_json.c_str(), &detail::RecordError, &outcome);
  }
  return outcome;
}

}  // namespace sluice::sdk::testing

#endif  // SLUICE_PLUGIN_TESTING_HPP_
