// `sluice tasks clear`, `sluice runs retry` and `sluice runs resume` (rerun_commands.cc).
#ifndef SLUICE_SCHEDULER_CLI_RERUN_COMMANDS_H_
#define SLUICE_SCHEDULER_CLI_RERUN_COMMANDS_H_

#include <string>
#include <vector>

#include "scheduler/cli/cli_context.h"
#include "scheduler/cli/foreground_run.h"

namespace sluice::cli {

struct ClearOptions {
  std::string run_id;
  std::vector<std::string> task_ids;
  bool downstream = false;
  bool upstream = false;
};
int TasksClearCommand(CliContext& ctx, const ClearOptions& options);

int RunsRetryCommand(CliContext& ctx, const std::string& run_id);

struct TaskRunOptions {
  std::string run_id;
  std::string task_id;
  bool ignore_deps = false;
  ForegroundOptions foreground;
};
int TasksRunCommand(CliContext& ctx, const TaskRunOptions& options);

struct ResumeOptions {
  std::string run_id;
  ForegroundOptions foreground;
};
int RunsResumeCommand(CliContext& ctx, const ResumeOptions& options);

}  // namespace sluice::cli

#endif  // SLUICE_SCHEDULER_CLI_RERUN_COMMANDS_H_
