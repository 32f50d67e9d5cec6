// The `sluice` command line: parses arguments and hands each verb to its command function.
#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "scheduler/cli/commands.h"
#include "scheduler/cli/log_follow.h"
#include "scheduler/cli/rerun_commands.h"

namespace {

using namespace sluice::cli;

constexpr const char* kDescription =
    "sluice — a workflow orchestrator for data pipelines.\n"
    "Drop YAML DAG files into a folder; sluice validates them and runs their tasks through\n"
    "plugins, recording every run and attempt. See docs/cli.md for every verb.";

}  // namespace

int main(int argc, char** argv) {
  // task-exec is internal and hot: skip argument parsing entirely.
  if (argc >= 2 && std::string(argv[1]) == "task-exec") {
    if (argc == 2) return TaskExecCommand();
    if (argc == 3 && std::string(argv[2]) == "--server") return AttemptServerCommand();
  }

  CLI::App app(kDescription, "sluice");
  app.set_version_flag("--version", std::string("sluice ") + SLUICE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--home", global.home,
                 "Folder for the state database, logs and workspaces "
                 "[env SLUICE_HOME, default ./.sluice]");
  app.add_option("--dags", global.dags,
                 "Folder of DAG files [env SLUICE_DAGS, default ./dags]");

  int exit_code = kExitOk;

  // sluice run
  RunOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "Run a DAG now, in the foreground, with live progress");
  run_cmd->add_option("dag", run.dag, "DAG id (looked up in the DAG folder) or a DAG file path")
      ->required();
  run_cmd->add_option("-p,--param", run.params, "Override a param: name=value (repeatable)");
  run_cmd->add_option("-j,--parallelism", run.parallelism,
                      "Tasks run at once [default: number of cores]")
      ->check(CLI::PositiveNumber);
  run_cmd->add_flag("-q,--quiet", run.quiet, "Print only the final summary");
  run_cmd->add_flag("--lines", run.lines, "Plain log lines even on a terminal");

  // sluice task-exec (internal; listed for completeness)
  app.add_subcommand("task-exec", "Internal: run one task attempt (started by sluice itself)")
      ->group("");

  // sluice dags ...
  CLI::App* dags = app.add_subcommand("dags", "Validate and list DAG files, show their next fire times");
  dags->require_subcommand(1);
  std::vector<std::string> validate_paths;
  CLI::App* validate = dags->add_subcommand(
      "validate", "Check DAG files; print every problem as FILE:LINE:COL: error: ... (exit 2)");
  validate->add_option("paths", validate_paths, "DAG files or folders [default: the DAG folder]");
  bool dags_json = false;
  CLI::App* dags_list = dags->add_subcommand("list", "List the DAG folder's DAGs and their errors");
  dags_list->add_flag("--json", dags_json, "Print JSON");
  WatermarkOptions watermarks;
  CLI::App* dags_watermarks = dags->add_subcommand(
      "watermarks", "Show the watermarks of a DAG's incremental tasks, or reset one");
  dags_watermarks->add_option("dag", watermarks.dag_id, "The DAG's id")->required();
  dags_watermarks->add_option("--reset", watermarks.reset_task,
                              "Forget TASK's watermark: its next run starts from `initial`")
      ->type_name("TASK");
  dags_watermarks->add_flag("--json", watermarks.json, "Print JSON");
  NextOptions next;
  CLI::App* dags_next = dags->add_subcommand(
      "next",
      "Print a DAG's next fire times, one per line, in its time zone (ISO 8601 with offset).\n"
      "Cron schedules follow cronie, daylight-saving changes included; see docs/dag-reference.md");
  dags_next->add_option("dag", next.dag, "DAG id (looked up in the DAG folder) or a DAG file path")
      ->required();
  dags_next->add_option("-n,--count", next.count, "How many fire times [default 5]")
      ->check(CLI::Range(1, 100000));
  dags_next->add_option("--after", next.after,
                        "List fire times strictly after TIME: ISO 8601 with an offset or Z "
                        "(2026-03-08T06:00:00Z), or a date or local date-time in the DAG's zone "
                        "(2026-03-08, 2026-03-08T01:30) [default: now]")
      ->type_name("TIME");

  TriggerOptions trigger;
  CLI::App* dags_trigger = dags->add_subcommand(
      "trigger", "Queue a run of a DAG now; the running scheduler starts it within a second");
  dags_trigger->add_option("dag", trigger.dag, "DAG id or DAG file path")->required();
  dags_trigger->add_option("-p,--param", trigger.params,
                           "Override a param: name=value (repeatable)");
  std::string pause_dag, unpause_dag;
  CLI::App* dags_pause = dags->add_subcommand(
      "pause", "Stop creating runs of a DAG (runs already going on finish)");
  dags_pause->add_option("dag", pause_dag, "DAG id or DAG file path")->required();
  CLI::App* dags_unpause = dags->add_subcommand(
      "unpause", "Create runs of a DAG again; fires missed while paused follow `catchup`");
  dags_unpause->add_option("dag", unpause_dag, "DAG id or DAG file path")->required();
  BackfillOptions backfill;
  CLI::App* dags_backfill = dags->add_subcommand(
      "backfill",
      "Queue one run per schedule fire between --from and --to (both included), oldest first;\n"
      "the scheduler runs them max_active_runs at a time");
  dags_backfill->add_option("dag", backfill.dag, "DAG id or DAG file path")->required();
  dags_backfill->add_option("--from", backfill.from,
                            "First time: ISO 8601 (2026-03-01T00:00:00Z) or a date in the DAG's "
                            "zone (2026-03-01, the start of that day)")
      ->required()
      ->type_name("TIME");
  dags_backfill->add_option("--to", backfill.to,
                            "Last time, included: ISO 8601, or a date (the end of that day)")
      ->required()
      ->type_name("TIME");
  dags_backfill->add_option("-p,--param", backfill.params, "Override a param: name=value");
  dags_backfill->add_option("--max-runs", backfill.max_runs,
                            "Refuse ranges with more fires than this [default 10000]")
      ->check(CLI::PositiveNumber);

  // sluice scheduler
  SchedulerCliOptions scheduler_options;
  CLI::App* scheduler_cmd = app.add_subcommand(
      "scheduler",
      "Run the scheduler daemon in the foreground: every DAG of the folder on its schedule,\n"
      "hot-reloading files, until SIGTERM or Ctrl-C. Settings: HOME/sluice.yaml\n"
      "(docs/configuration.md), read again on SIGHUP without stopping anything");
  scheduler_cmd->add_option("-j,--parallelism", scheduler_options.parallelism,
                            "Task attempts at once over all DAGs [default: sluice.yaml's, else "
                            "the number of cores]")
      ->check(CLI::PositiveNumber);
  scheduler_cmd->add_option("--grace", scheduler_options.grace_seconds,
                            "Seconds running attempts may go on after SIGTERM before they are "
                            "terminated (and retried by the next scheduler) [default 30]")
      ->check(CLI::NonNegativeNumber);
  scheduler_cmd->add_option("--rescan", scheduler_options.rescan_seconds,
                            "Seconds between full rescans of the DAG folder, the backstop of "
                            "file notifications [default 60]")
      ->check(CLI::PositiveNumber);
  scheduler_cmd->add_option("--listen", scheduler_options.listen,
                            "Serve the HTTP API, web UI and /metrics on HOST:PORT (port 0: any "
                            "free port; 'off': no HTTP) [default: `listen` in HOME/sluice.yaml, "
                            "else 127.0.0.1:8080]");
  scheduler_cmd->add_option("--api-token-file", scheduler_options.api_token_file,
                            "The file holding the bearer token that API calls which change state "
                            "need [default: `api_token_file` in HOME/sluice.yaml, else "
                            "$SLUICE_API_TOKEN, else HOME/api-token, created with a random token "
                            "on first start]");

  // sluice plugins list
  CLI::App* plugins = app.add_subcommand("plugins", "Inspect installed plugins");
  plugins->require_subcommand(1);
  bool plugins_json = false;
  CLI::App* plugins_list = plugins->add_subcommand(
      "list", "List plugins (name, version, kind, ABI, path) and files that failed to load");
  plugins_list->add_flag("--json", plugins_json, "Print JSON");

  // sluice runs ...
  CLI::App* runs = app.add_subcommand("runs", "Inspect run history, and retry or resume runs");
  runs->require_subcommand(1);
  std::string runs_dag;
  int runs_limit = 50;
  bool runs_json = false;
  CLI::App* runs_list = runs->add_subcommand("list", "List runs, newest first");
  runs_list->add_option("dag", runs_dag, "Only this DAG's runs");
  runs_list->add_option("-n,--limit", runs_limit, "At most this many runs (0: all) [default 50]");
  runs_list->add_flag("--json", runs_json, "Print JSON");
  std::string show_run;
  bool show_json = false;
  CLI::App* runs_show = runs->add_subcommand("show", "Show a run's tasks and attempts");
  runs_show->add_option("run_id", show_run, "The run's id")->required();
  runs_show->add_flag("--json", show_json, "Print JSON");
  std::string retry_run;
  CLI::App* runs_retry = runs->add_subcommand(
      "retry", "Queue a finished run's failed, upstream_failed and cancelled tasks again");
  runs_retry->add_option("run_id", retry_run, "The run's id")->required();
  ResumeOptions resume;
  CLI::App* runs_resume = runs->add_subcommand(
      "resume", "Run a queued (cleared) run, or one whose process died, here in the foreground "
                "(when no scheduler is running)");
  runs_resume->add_option("run_id", resume.run_id, "The run's id")->required();
  runs_resume->add_option("-j,--parallelism", resume.foreground.parallelism,
                          "Task attempts at once [default: number of cores]")
      ->check(CLI::PositiveNumber);
  runs_resume->add_flag("-q,--quiet", resume.foreground.quiet, "Only print the final line");
  runs_resume->add_flag("--lines", resume.foreground.lines, "Plain progress lines even on a terminal");

  // sluice tasks logs
  CLI::App* tasks = app.add_subcommand("tasks", "Inspect task attempts, and run tasks again");
  tasks->require_subcommand(1);
  std::string logs_run, logs_task;
  int logs_attempt = 0;
  CLI::App* tasks_logs = tasks->add_subcommand("logs", "Print an attempt's log (the latest by default)");
  tasks_logs->add_option("run_id", logs_run, "The run's id")->required();
  tasks_logs->add_option("task", logs_task, "The task's id")->required();
  tasks_logs->add_option("--attempt", logs_attempt, "Attempt number (1 is the first)")
      ->check(CLI::PositiveNumber);
  bool logs_follow = false;
  tasks_logs->add_flag("-f,--follow", logs_follow,
                       "Keep printing as the log grows, and each new attempt's log, until the "
                       "task ends (exit 0 when it succeeded)");
  TaskRunOptions task_run;
  CLI::App* tasks_run = tasks->add_subcommand(
      "run", "Run one task of a finished run now, in the foreground, as a new attempt");
  tasks_run->add_option("run_id", task_run.run_id, "The run's id")->required();
  tasks_run->add_option("task", task_run.task_id, "The task's id")->required();
  tasks_run->add_flag("--ignore-deps", task_run.ignore_deps,
                      "Run it even if its upstream tasks did not succeed");
  tasks_run->add_flag("-q,--quiet", task_run.foreground.quiet, "Only print the final line");
  tasks_run->add_flag("--lines", task_run.foreground.lines, "Plain progress lines even on a terminal");
  ClearOptions clear;
  CLI::App* tasks_clear = tasks->add_subcommand(
      "clear", "Queue tasks of a finished run to run again (new attempts; old ones are kept)");
  tasks_clear->add_option("run_id", clear.run_id, "The run's id")->required();
  tasks_clear->add_option("tasks", clear.task_ids, "The tasks to clear")->required();
  tasks_clear->add_flag("--downstream", clear.downstream, "Also every task after them");
  tasks_clear->add_flag("--upstream", clear.upstream, "Also every task before them");

  // sluice alerts list
  CLI::App* alerts = app.add_subcommand("alerts", "Inspect the alert outbox");
  alerts->require_subcommand(1);
  AlertListOptions alert_list;
  CLI::App* alerts_list = alerts->add_subcommand(
      "list", "List alerts, newest first: kind, subject, webhook (as written), tries, outcome");
  alerts_list->add_option("--dag", alert_list.dag_id, "Only this DAG's alerts");
  alerts_list->add_option("--run", alert_list.run_id, "Only this run's alerts");
  alerts_list->add_option("-n,--limit", alert_list.limit, "At most this many (0: all) [default 50]");
  alerts_list->add_flag("--json", alert_list.json, "Print JSON");

  // sluice data ...
  CLI::App* data = app.add_subcommand("data", "Look inside a dataset (.sds) file");
  data->require_subcommand(1);
  std::string data_file;
  bool data_json = false;
  int64_t head_rows = 10;
  CLI::App* data_schema = data->add_subcommand("schema", "Print the columns and types");
  data_schema->add_option("file", data_file, "Dataset file")->required();
  data_schema->add_flag("--json", data_json, "Print JSON");
  CLI::App* data_head = data->add_subcommand("head", "Print the first rows");
  data_head->add_option("file", data_file, "Dataset file")->required();
  data_head->add_option("-n,--rows", head_rows, "How many rows [default 10]")
      ->check(CLI::NonNegativeNumber);
  data_head->add_flag("--json", data_json, "Print JSON lines");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitInvalid;
  }

  CliContext ctx(global);
  if (run_cmd->parsed()) {
    exit_code = RunDagCommand(ctx, run);
  } else if (validate->parsed()) {
    exit_code = DagsValidateCommand(ctx, validate_paths);
  } else if (dags_list->parsed()) {
    exit_code = DagsListCommand(ctx, dags_json);
  } else if (dags_watermarks->parsed()) {
    exit_code = DagsWatermarksCommand(ctx, watermarks);
  } else if (dags_next->parsed()) {
    exit_code = DagsNextCommand(ctx, next);
  } else if (dags_trigger->parsed()) {
    exit_code = DagsTriggerCommand(ctx, trigger);
  } else if (dags_pause->parsed()) {
    exit_code = DagsPauseCommand(ctx, pause_dag, true);
  } else if (dags_unpause->parsed()) {
    exit_code = DagsPauseCommand(ctx, unpause_dag, false);
  } else if (dags_backfill->parsed()) {
    exit_code = DagsBackfillCommand(ctx, backfill);
  } else if (scheduler_cmd->parsed()) {
    exit_code = SchedulerCommand(ctx, scheduler_options);
  } else if (plugins_list->parsed()) {
    exit_code = PluginsListCommand(ctx, plugins_json);
  } else if (runs_list->parsed()) {
    exit_code = RunsListCommand(ctx, runs_dag, runs_limit, runs_json);
  } else if (runs_show->parsed()) {
    exit_code = RunsShowCommand(ctx, show_run, show_json);
  } else if (runs_retry->parsed()) {
    exit_code = RunsRetryCommand(ctx, retry_run);
  } else if (runs_resume->parsed()) {
    exit_code = RunsResumeCommand(ctx, resume);
  } else if (tasks_logs->parsed()) {
    exit_code = logs_follow ? TasksLogsFollowCommand(ctx, logs_run, logs_task, logs_attempt)
                            : TasksLogsCommand(ctx, logs_run, logs_task, logs_attempt);
  } else if (tasks_run->parsed()) {
    exit_code = TasksRunCommand(ctx, task_run);
  } else if (tasks_clear->parsed()) {
    exit_code = TasksClearCommand(ctx, clear);
  } else if (alerts_list->parsed()) {
    exit_code = AlertsListCommand(ctx, alert_list);
  } else if (data_schema->parsed()) {
    exit_code = DataSchemaCommand(data_file, data_json);
  } else if (data_head->parsed()) {
    exit_code = DataHeadCommand(data_file, head_rows, data_json);
  } else {
    std::cerr << "error: `sluice task-exec` takes no arguments; it is started by sluice itself\n";
    exit_code = kExitInvalid;
  }
  return exit_code;
}
