#include "run_command.h"

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

extern char** environ;

namespace sluice::shell {
namespace {

constexpr const char* kShell = "/bin/sh";

// Owns what posix_spawn's attribute objects hold and destroys them on every path out.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  bool has_attr = false;
  bool has_actions = false;
  ~SpawnSetup() {
    if (has_actions) posix_spawn_file_actions_destroy(&actions);
    if (has_attr) posix_spawnattr_destroy(&attr);
  }
};

std::string ErrnoText(int error) { return std::strerror(error); }

// Our environment with `added` on top. Only called when there is something to add, so a task
// without `env:` hands `environ` over as it is.
std::vector<std::string> MergedEnvironment(
    const std::vector<std::pair<std::string, std::string>>& added) {
  std::vector<std::string> out;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    bool replaced = false;
    for (const auto& [key, value] : added) {
      if (text.size() > key.size() && text[key.size()] == '=' && text.starts_with(key)) {
        replaced = true;
        break;
      }
    }
    if (!replaced) out.emplace_back(text);
  }
  for (const auto& [key, value] : added) out.push_back(key + "=" + value);
  return out;
}

std::string SignalName(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

// The child must start with default handling of the signals a host commonly ignores or
// blocks: an ignored SIGPIPE would break pipelines like `yes | head`, and a blocked SIGTERM
// would make the host's timeout kill wait for SIGKILL.
std::optional<std::string> PrepareSpawn(const ShellCommand& command, SpawnSetup& setup) {
  if (int rc = posix_spawnattr_init(&setup.attr); rc != 0) {
    return "cannot prepare to start the command: " + ErrnoText(rc);
  }
  setup.has_attr = true;
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP}) sigaddset(&defaults, sig);
  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  if (int rc = posix_spawnattr_setsigdefault(&setup.attr, &defaults); rc != 0) {
    return "cannot prepare to start the command: " + ErrnoText(rc);
  }
  if (int rc = posix_spawnattr_setsigmask(&setup.attr, &empty_mask); rc != 0) {
    return "cannot prepare to start the command: " + ErrnoText(rc);
  }
  if (int rc = posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
      rc != 0) {
    return "cannot prepare to start the command: " + ErrnoText(rc);
  }
  if (command.cwd.empty()) return std::nullopt;
  if (int rc = posix_spawn_file_actions_init(&setup.actions); rc != 0) {
    return "cannot prepare to start the command: " + ErrnoText(rc);
  }
  setup.has_actions = true;
  if (int rc = posix_spawn_file_actions_addchdir_np(&setup.actions, command.cwd.c_str()); rc != 0) {
    return "cannot prepare to start the command in cwd '" + command.cwd + "': " + ErrnoText(rc);
  }
  return std::nullopt;
}

// posix_spawn reports a failed chdir and a failed exec alike; tell the user which it was.
std::string SpawnFailure(const ShellCommand& command, int error) {
  if (!command.cwd.empty()) {
    struct stat info;
    if (stat(command.cwd.c_str(), &info) != 0) {
      return "cwd '" + command.cwd + "' does not exist (" + ErrnoText(errno) +
             "); create it or fix `cwd:`";
    }
    if (!S_ISDIR(info.st_mode)) {
      return "cwd '" + command.cwd + "' is not a folder; fix `cwd:`";
    }
  }
  return std::string("cannot start ") + kShell + ": " + ErrnoText(error);
}

}  // namespace

std::optional<std::string> RunShellCommand(const ShellCommand& command) {
  SpawnSetup setup;
  if (auto failure = PrepareSpawn(command, setup)) return failure;

  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  char** env = environ;
  if (!command.env.empty()) {
    env_storage = MergedEnvironment(command.env);
    envp.reserve(env_storage.size() + 1);
    for (std::string& entry : env_storage) envp.push_back(entry.data());
    envp.push_back(nullptr);
    env = envp.data();
  }
  char arg0[] = "sh";
  char arg1[] = "-c";
  char* argv[] = {arg0, arg1, const_cast<char*>(command.command.c_str()), nullptr};

  // Whatever this process buffered must reach the log before the command's own output.
  std::fflush(stdout);
  pid_t pid = 0;
  if (int rc = posix_spawn(&pid, kShell, setup.has_actions ? &setup.actions : nullptr,
                           &setup.attr, argv, env);
      rc != 0) {
    return SpawnFailure(command, rc);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "lost track of the command (waitpid: " + ErrnoText(errno) + ")";
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 0) return std::nullopt;
    return "command exited with code " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) return "command was killed by signal " + SignalName(WTERMSIG(status));
  return "command ended in an unexpected way (wait status " + std::to_string(status) + ")";
}

}  // namespace sluice::shell
