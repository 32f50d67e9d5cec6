// One function per CLI verb. Each returns the process exit code (see cli_context.h).
#ifndef SLUICE_SCHEDULER_CLI_COMMANDS_H_
#define SLUICE_SCHEDULER_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "scheduler/cli/cli_context.h"

namespace sluice::cli {

struct RunOptions {
  std::string dag;  // id or file
  std::vector<std::string> params;  // "name=value"
  int parallelism = 0;              // 0: number of cores
  bool quiet = false;
  bool lines = false;  // plain lines even on a terminal
};
int RunDagCommand(CliContext& ctx, const RunOptions& options);
int TaskExecCommand();
int AttemptServerCommand();  // `task-exec --server`, on descriptor 3

int DagsValidateCommand(CliContext& ctx, const std::vector<std::string>& paths);
int DagsListCommand(CliContext& ctx, bool json);
struct WatermarkOptions {
  std::string dag_id;
  std::string reset_task;  // empty: list
  bool json = false;
};
int DagsWatermarksCommand(CliContext& ctx, const WatermarkOptions& options);
struct NextOptions {
  std::string dag;    // id or file
  int count = 5;
  std::string after;  // ISO 8601; empty: now
};
int DagsNextCommand(CliContext& ctx, const NextOptions& options);

struct SchedulerCliOptions {
  int parallelism = 0;          // 0: the config's, else the number of cores
  double grace_seconds = 30;    // after SIGTERM, before running attempts are terminated
  double rescan_seconds = 60;   // the DAG folder's periodic rescan
  std::string listen;          // the HTTP API, UI and /metrics; "off": none; empty: sluice.yaml's
  std::string api_token_file;  // empty: sluice.yaml's, else $SLUICE_API_TOKEN, else HOME/api-token
};
int SchedulerCommand(CliContext& ctx, const SchedulerCliOptions& options);

struct TriggerOptions {
  std::string dag;
  std::vector<std::string> params;  // "name=value"
};
int DagsTriggerCommand(CliContext& ctx, const TriggerOptions& options);
int DagsPauseCommand(CliContext& ctx, const std::string& dag_id, bool paused);
struct BackfillOptions {
  std::string dag;
  std::string from, to;  // ISO 8601, or dates in the DAG's zone
  std::vector<std::string> params;
  int max_runs = 10000;
};
int DagsBackfillCommand(CliContext& ctx, const BackfillOptions& options);

int PluginsListCommand(CliContext& ctx, bool json);

int RunsListCommand(CliContext& ctx, const std::string& dag_id, int limit, bool json);
int RunsShowCommand(CliContext& ctx, const std::string& run_id, bool json);
int TasksLogsCommand(CliContext& ctx, const std::string& run_id, const std::string& task_id,
                     int attempt);

struct AlertListOptions {
  std::string dag_id;  // empty: every DAG
  std::string run_id;  // empty: every run
  int limit = 50;      // <= 0: all
  bool json = false;
};
int AlertsListCommand(CliContext& ctx, const AlertListOptions& options);

int DataSchemaCommand(const std::string& file, bool json);
int DataHeadCommand(const std::string& file, int64_t rows, bool json);

}  // namespace sluice::cli

#endif  // SLUICE_SCHEDULER_CLI_COMMANDS_H_
