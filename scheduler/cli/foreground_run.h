// Driving one run in the foreground with the progress view — `sluice run` and
// `sluice runs resume` — and the DAG lookup both need.
#ifndef SLUICE_SCHEDULER_CLI_FOREGROUND_RUN_H_
#define SLUICE_SCHEDULER_CLI_FOREGROUND_RUN_H_

#include <optional>
#include <string>
#include <vector>

#include "scheduler/cli/cli_context.h"
#include "scheduler/dag_folder.h"
#include "scheduler/run_engine.h"
#include "scheduler/run_request.h"

namespace sluice::cli {

struct ForegroundOptions {
  int parallelism = 0;  // 0: number of cores
  bool quiet = false;   // only the final line
  bool lines = false;   // plain lines even on a terminal
  std::vector<std::string> force_ready;  // RunSettings::force_ready
};

/// Runs `prepared` of `dag` to its end (Ctrl-C interrupts it), shows progress, then delivers
/// the alerts it raised. Returns the exit code: 0 when the run succeeded.
int RunInForeground(CliContext& ctx, const DagSpec& dag, const PreparedRun& prepared,
                    const ForegroundOptions& options, RunStart how);

/// The DAG `id_or_file` loaded from the DAG folder; nullopt after printing why not (its
/// problems, for a broken file).
std::optional<DagLoadResult> LoadDagOrReport(CliContext& ctx, const std::string& id_or_file);

}  // namespace sluice::cli

#endif  // SLUICE_SCHEDULER_CLI_FOREGROUND_RUN_H_
