// Runs one shell command for the `shell` plugin and says how it ended.
#ifndef SLUICE_PLUGINS_SHELL_RUN_COMMAND_H_
#define SLUICE_PLUGINS_SHELL_RUN_COMMAND_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::shell {

struct ShellCommand {
  std::string command;  // passed to `/bin/sh -c` as one argument, never re-quoted
  std::vector<std::pair<std::string, std::string>> env;  // added to (or replacing in) ours
  std::string cwd;  // empty: this process's current folder
};

/// Runs `command` and waits for it. The child inherits this process's stdin, stdout, stderr
/// and process group (the host kills the group on timeout). Returns nullopt when the command
/// exited with code 0, otherwise why it failed, e.g. "command exited with code 3".
std::optional<std::string> RunShellCommand(const ShellCommand& command);

}  // namespace sluice::shell

#endif  // SLUICE_PLUGINS_SHELL_RUN_COMMAND_H_
