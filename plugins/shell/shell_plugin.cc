// The `shell` plugin: runs the task's `command` with /bin/sh -c.
#include <string>
#include <vector>

#include <sluice/plugin.hpp>

#include "run_command.h"

namespace sluice::shell {
namespace {

// Reads the task's configuration. The host has checked it against kConfigSchema when the DAG
// was loaded; these checks only guard a configuration changed by template rendering.
ShellCommand ParseConfig(const nlohmann::json& config) {
  ShellCommand out;
  const auto command = config.find("command");
  if (command == config.end() || !command->is_string()) {
    throw sdk::Failure("`command` must be a string", "/command");
  }
  out.command = command->get<std::string>();
  if (const auto env = config.find("env"); env != config.end()) {
    if (!env->is_object()) throw sdk::Failure("`env` must be a mapping of strings", "/env");
    for (const auto& [key, value] : env->items()) {
      if (!value.is_string()) throw sdk::Failure("`env." + key + "` must be a string", "/env/" + key);
      out.env.emplace_back(key, value.get<std::string>());
    }
  }
  if (const auto cwd = config.find("cwd"); cwd != config.end()) {
    if (!cwd->is_string()) throw sdk::Failure("`cwd` must be a string", "/cwd");
    out.cwd = cwd->get<std::string>();
  }
  return out;
}

sdk::ExecPlan PlanFor(const ShellCommand& command) {
  sdk::ExecPlan plan;
  plan.argv = {"/bin/sh", "-c", command.command};
  for (const auto& [name, value] : command.env) plan.env.push_back(name + "=" + value);
  plan.cwd = command.cwd;
  return plan;
}

struct ShellPlugin {
  static constexpr const char* kName = "shell";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_OTHER;
  static constexpr const char* kSummary = "Runs a command with /bin/sh -c";
  static constexpr const char* kConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "shell",
  "description": "Runs a command with /bin/sh -c. The attempt fails when the command exits with a non-zero code or is killed by a signal. Its output goes to the attempt's log.",
  "type": "object",
  "additionalProperties": false,
  "required": ["command"],
  "properties": {
    "command": {
      "type": "string",
      "minLength": 1,
      "description": "The command line, run as `/bin/sh -c COMMAND`; pipes, redirections and $VARIABLES work as in a shell."
    },
    "env": {
      "type": "object",
      "additionalProperties": {"type": "string"},
      "description": "Environment variables added to the command's environment, replacing inherited ones of the same name."
    },
    "cwd": {
      "type": "string",
      "minLength": 1,
      "description": "The folder the command runs in. Default: the current folder of the task's process."
    }
  }
})json";

  // The whole attempt is one command: the host starts it directly.
  static bool PlanExec(const nlohmann::json& config, sdk::ExecPlan& plan) {
    plan = PlanFor(ParseConfig(config));
    return true;
  }

  static void Run(sdk::Context& context) {
    ShellCommand command = ParseConfig(context.config());
    if (context.CanExec()) {
      // Run by a host that did not use plan_exec: still become the shell, not its parent.
      sdk::ExecPlan plan = PlanFor(command);
      context.Exec(plan.argv, plan.env, plan.cwd);
    }
    if (auto failure = RunShellCommand(command)) {
      throw sdk::Failure(*failure);
    }
  }
};

}  // namespace
}  // namespace sluice::shell

SLUICE_PLUGIN(sluice::shell::ShellPlugin)
