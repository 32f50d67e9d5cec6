// `sluice scheduler`: the daemon that runs every DAG of the folder, forever.
//
// One thread, one event loop (DESIGN.md decision 4). It waits in a single poll() on the
// folder watcher, the state database's change watch, the attempts' descriptors and a stop
// descriptor, with a timeout that is the earliest of: the next schedule fire, a retry or
// timeout of some attempt, a file the watcher is letting settle, the periodic rescan. Nothing
// due, nothing happens: an idle scheduler uses no CPU.
//
// Each turn: hand process events to the runs that own them; apply DAG file changes; notice
// CLI verbs (pause, unpause, trigger, backfill: rows another process wrote); create the runs
// of due schedule fires (catchup rules in fire_plan.h), each in the transaction that records
// the fire; start queued runs as max_active_runs allows; advance every run (run_driver.h),
// whose attempts start as parallelism, max_active_tasks and pools allow (scheduler_slots.h).
//
// Alerts: an AlertDispatcher (runtime/alert_dispatcher.h) delivers the outbox on a thread of
// its own, so a slow receiver never delays a turn; the loop notifies it after each turn. A
// DAG file that becomes invalid raises one `dag_broken` alert per broken content, written in
// the transaction that records the file's errors.
//
// Settings: HOME/sluice.yaml is read at start, and again on SIGHUP (reload_fd).
//
// Crash safety: a run's state lives in the database, never only here. At start the scheduler
// takes the instance lock, makes sure no process of a previous scheduler's attempts is left,
// and resumes every run recorded running (RunDriver::Resume).
#ifndef SLUICE_SCHEDULER_SCHEDULER_DAEMON_H_
#define SLUICE_SCHEDULER_SCHEDULER_DAEMON_H_

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "runtime/alert.h"
#include "runtime/alert_dispatcher.h"
#include "runtime/plugin_catalog.h"
#include "runtime/status.h"
#include "scheduler/dag_board.h"
#include "scheduler/run_driver.h"

namespace sluice {

/// The settings of HOME/sluice.yaml a running scheduler takes again when told to (SIGHUP),
/// with the command line's overrides applied.
struct ReloadedSettings {
  size_t parallelism = 1;
  std::map<std::string, int> pools;
  std::vector<AlertRoute> alert_routes;
  std::string ui_url;
  std::optional<std::chrono::milliseconds> workspace_retention;
  /// Changes that need a restart (the HTTP address, the token file), to log.
  std::vector<std::string> notes;
};

struct SchedulerOptions {
  std::string dags_dir;
  std::string database_path;
  std::string lock_path;
  RunSettings run;  // home, the sluice binary, plugin folders, SIGTERM -> SIGKILL grace
  size_t parallelism = 1;
  std::map<std::string, int> pools;
  std::chrono::milliseconds rescan_interval{std::chrono::seconds(60)};
  /// After a stop request: how long running attempts may go on before they are terminated.
  std::chrono::milliseconds stop_grace{std::chrono::seconds(30)};
  /// How long finished runs keep their workspaces (workspace_retention.h); nullopt: forever.
  std::optional<std::chrono::milliseconds> workspace_retention;
  /// Fire-time runs created per DAG per turn while catching up.
  size_t catchup_batch = 50;
  /// Start attempts through the attempt server (fork) rather than posix_spawn + exec.
  bool use_attempt_server = true;
  /// Global alert routes (HOME/sluice.yaml `alerts:`); `dag_broken` goes only to these.
  std::vector<AlertRoute> alert_routes;
  /// The UI's address for links, timeouts and retries of alert delivery.
  AlertDeliverySettings alert_delivery;

  // The HTTP API's view (scheduler/api/api_service.h); all optional.
  /// Where the loop publishes the DAGs it has loaded and their next fires.
  DagBoard* board = nullptr;
  /// Where the loop reports /metrics levels (queue depths, running attempts, loop lag);
  /// also set it as run.metrics for the attempts' and runs' counts.
  SchedulerMetrics* metrics = nullptr;
  /// Readable (an eventfd) when the API has changed the state database: look at once.
  int wake_fd = -1;
  /// Called once the scheduler holds its lock and has loaded the folder, before the first
  /// turn: where `sluice scheduler` starts its HTTP server. An error stops the scheduler.
  std::function<Status()> after_open;

  /// Readable (a pipe the SIGHUP handler writes to) when the settings should be read again:
  /// `reload` is called then. Its error (the file has problems) is logged and the settings in
  /// force are kept. New limits apply to the next attempts; new alert routes and link address
  /// to the next alerts, of runs going on too; a pool added or removed validates the DAGs
  /// naming pools again.
  int reload_fd = -1;
  std::function<Result<ReloadedSettings>()> reload;
};

/// Runs the scheduler until `stop_fd` becomes readable (a signal handler writes to it), then
/// stops as described for SchedulerOptions::stop_grace. One line per event goes to `log`.
/// Fails at once when another scheduler holds the lock, or the folder or database cannot be
/// opened; later errors of single DAGs or runs are logged and do not stop it.
/// `log` is written from two threads (the alert dispatcher's lines whole, under a lock of
/// its own): pass a synchronized standard stream such as std::cerr.
Status RunScheduler(const SchedulerOptions& options, const PluginCatalog& plugins, int stop_fd,
                    std::ostream& log);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_SCHEDULER_DAEMON_H_
