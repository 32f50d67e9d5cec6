// The body of `sluice task-exec`: runs exactly one attempt of one task in this process.
//
// Reads an AttemptSpec from stdin, loads the one plugin it names, runs it, and reports
// counters and the outcome as JSON lines on file descriptor 3. stdout and stderr are the
// attempt's log. A plugin that crashes takes only this process down; the engine reads the
// signal from the exit status.
#ifndef SLUICE_RUNTIME_TASK_EXEC_H_
#define SLUICE_RUNTIME_TASK_EXEC_H_

#include <string>

#include "runtime/attempt_protocol.h"
#include "runtime/plugin_catalog.h"

namespace sluice {

/// Exit codes of task-exec: 0 the plugin succeeded, 1 it failed, 2 it could not be started.
int RunTaskExec();

/// The same with the AttemptSpec text already in hand (the attempt server's children).
/// REQUIRES: stdout/stderr are the attempt's log and descriptor 3 its report channel.
int RunAttempt(const std::string& spec_text);
int RunAttempt(const AttemptSpec& spec);

/// A sluice_error_fn collecting every problem a plugin reports into the std::string at
/// `user`, "; "-separated, each prefixed by its place in `with:` when it has one.
void CollectPluginError(void* user, const char* config_path, const char* message);

/// The first line of every attempt's log: which task, attempt, run, and plugin file.
std::string AttemptLogHeader(const AttemptSpec& spec, const PluginInfo& plugin);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_TASK_EXEC_H_
