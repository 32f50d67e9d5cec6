// The attempt server: a small single-threaded process that forks one child per task attempt.
//
// Starting a process costs milliseconds on some machines (exec and dynamic linking), and the
// shell plugin must start a second one for its command. So instead of exec'ing
// `sluice task-exec` for every attempt, the engine starts `sluice task-exec --server` once
// and asks it for attempts: the server forks, and the child — already initialised — becomes
// the attempt's own `task-exec` process: own process group, stdout/stderr to the attempt's
// log, report channel on descriptor 3, exactly as if it had been exec'ed. A crash in a
// plugin still takes down only its attempt.
//
// The server is single-threaded, so fork() is safe; the engine (which will have threads)
// never forks. If the engine goes away, the server kills (SIGKILL) the attempts it started and
// exits; if the server dies, the engine fails the attempts in flight and starts a new one.
#ifndef SLUICE_RUNTIME_ATTEMPT_SERVER_H_
#define SLUICE_RUNTIME_ATTEMPT_SERVER_H_

#include <memory>
#include <string>

#include "runtime/process_launcher.h"

namespace sluice {

/// The server's main loop; `socket_fd` is its end of the engine's socket pair. Returns the
/// process exit code.
int RunAttemptServer(int socket_fd);

/// A ProcessLauncher that hands attempts to an attempt server started from `sluice_binary`
/// (as `SLUICE_BINARY task-exec --server`). LaunchSpec::argv is ignored: every launch is a
/// task-exec attempt whose spec is LaunchSpec::stdin_data.
std::unique_ptr<ProcessLauncher> MakeAttemptServerLauncher(const std::string& sluice_binary);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_ATTEMPT_SERVER_H_
