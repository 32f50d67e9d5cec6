// `sluice run` (and the foreground driving `sluice runs resume` shares: the run, its alerts,
// then the workspace retention) and the internal `sluice task-exec`.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <thread>

#include "runtime/alert_dispatcher.h"
#include "runtime/attempt_server.h"
#include "runtime/task_exec.h"
#include "scheduler/cli/commands.h"
#include "scheduler/cli/foreground_run.h"
#include "scheduler/cli/progress_view.h"
#include "scheduler/dag_folder.h"
#include "scheduler/run_engine.h"
#include "scheduler/run_request.h"
#include "scheduler/workspace_retention.h"

namespace sluice::cli {
namespace {

// The run's alerts (and any others pending) are sent before `sluice run` exits, for at most
// kAlertWait: without a scheduler nothing else would send them. What is not delivered by
// then stays in the outbox for the scheduler or the next run.
constexpr std::chrono::seconds kAlertWait{10};

void DeliverRunAlerts(StateStore& store, const std::optional<SchedulerConfig>& config) {
  AlertDeliverySettings delivery;
  if (config) delivery.ui_url = config->ui_url;
  const Status s = DeliverPendingAlerts(
      store, delivery, std::chrono::steady_clock::now() + kAlertWait,
      [](const std::string& line) { std::cerr << line << "\n"; });
  if (!s.ok()) std::cerr << "warning: alerts not delivered: " << s.message() << "\n";
}

std::atomic<bool> g_cancel{false};

void OnInterrupt(int) { g_cancel.store(true); }

void PrintDiagnostics(const Diagnostics& diagnostics) {
  for (const Diagnostic& d : diagnostics) std::cerr << d.ToString() << "\n";
}

}  // namespace

std::optional<DagLoadResult> LoadDagOrReport(CliContext& ctx, const std::string& id_or_file) {
  auto resolved = ResolveDag(id_or_file, ctx.dags_dir(), ctx.plugins());
  if (!resolved.ok()) {
    PrintError(resolved.message());
    return std::nullopt;
  }
  if (!resolved->dag) {
    PrintDiagnostics(resolved->diagnostics);
    std::cerr << "error: DAG file has " << resolved->diagnostics.size()
              << " problem(s); nothing was run\n";
    return std::nullopt;
  }
  return std::move(resolved).value();
}

int RunInForeground(CliContext& ctx, const DagSpec& dag, const PreparedRun& prepared,
                    const ForegroundOptions& options, RunStart how) {
  auto store = ctx.store();
  if (!store.ok()) {
    PrintError(store.message());
    return kExitFailed;
  }
  RunSettings settings;
  settings.home = ctx.home();
  settings.task_exec_binary = ctx.self_binary();
  settings.plugin_dirs = ctx.plugin_dirs();
  settings.parallelism = options.parallelism > 0
                             ? static_cast<size_t>(options.parallelism)
                             : std::max(1u, std::thread::hardware_concurrency());
  settings.cancel = &g_cancel;
  settings.force_ready = options.force_ready;
  const std::optional<SchedulerConfig> config = ctx.scheduler_config();
  if (config) settings.alerts = config->alerts;
  struct sigaction sa {};
  sa.sa_handler = &OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  ProgressStyle style = options.quiet  ? ProgressStyle::kQuiet
                        : options.lines ? ProgressStyle::kLines
                                        : DefaultProgressStyle(stdout);
  auto view = MakeProgressView(style, stdout);
  auto launcher = MakeAttemptServerLauncher(ctx.self_binary());
  auto finished = ExecuteRun(dag, prepared, **store, *launcher, settings, view.get(), how);
  if (!dag.alerts.empty() || !settings.alerts.empty()) DeliverRunAlerts(**store, config);
  // Without a scheduler nothing else removes old workspaces. Not with a config that has
  // problems: its retention may have been meant longer than the default.
  if (config) {
    for (const std::string& line :
         ApplyWorkspaceRetention(**store, ctx.home(), config->workspace_retention)) {
      std::cerr << line << "\n";
    }
  }
  if (!finished.ok()) {
    PrintError(finished.message());
    return kExitFailed;
  }
  return finished->state == "success" ? kExitOk : kExitFailed;
}

int RunDagCommand(CliContext& ctx, const RunOptions& options) {
  const std::optional<DagLoadResult> loaded = LoadDagOrReport(ctx, options.dag);
  if (!loaded) return kExitInvalid;
  const DagSpec& dag = *loaded->dag;

  std::vector<std::pair<std::string, std::string>> overrides;
  for (const std::string& arg : options.params) {
    auto kv = ParseParamArgument(arg);
    if (!kv.ok()) {
      PrintError(kv.message());
      return kExitInvalid;
    }
    overrides.push_back(*kv);
  }
  auto prepared = PrepareManualRun(dag, overrides, std::chrono::system_clock::now());
  if (!prepared.ok()) {
    PrintError(prepared.message());
    return kExitInvalid;
  }
  ForegroundOptions foreground;
  foreground.parallelism = options.parallelism;
  foreground.quiet = options.quiet;
  foreground.lines = options.lines;
  return RunInForeground(ctx, dag, *prepared, foreground, RunStart::kNew);
}

int TaskExecCommand() { return RunTaskExec(); }

int AttemptServerCommand() { return RunAttemptServer(3); }

}  // namespace sluice::cli
