// The scheduler daemon's loop object, shared by its three source files (not a public
// header: include scheduler/scheduler_daemon.h): scheduler_daemon.cc (opening, the event
// loop, settings), scheduler_daemon_files.cc (DAG files, file triggers, schedules' clocks)
// and scheduler_daemon_runs.cc (recovery, schedule fires, queued and running runs).
#ifndef SLUICE_SCHEDULER_SCHEDULER_DAEMON_INTERNAL_H_
#define SLUICE_SCHEDULER_SCHEDULER_DAEMON_INTERNAL_H_

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "runtime/alert.h"
#include "runtime/alert_dispatcher.h"
#include "runtime/database_watch.h"
#include "runtime/folder_watcher.h"
#include "runtime/instance_lock.h"
#include "runtime/time_format.h"
#include "scheduler/dag_registry.h"
#include "scheduler/file_triggers.h"
#include "scheduler/fire_plan.h"
#include "scheduler/run_request.h"
#include "scheduler/scheduler_daemon.h"
#include "scheduler/scheduler_slots.h"

namespace sluice::daemon {

using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;
using std::chrono::milliseconds;

/// The names of `pools` (name -> slots), for the registry's declared pools.
std::set<std::string> PoolNames(const std::map<std::string, int>& pools);
/// How often old workspaces are looked for (workspace_retention.h).
milliseconds WorkspaceCleanupInterval(milliseconds retention);

// A scheduled DAG's clock.
struct DagClock {
  Schedule schedule;
  FireFloor floor;
  std::optional<SystemClock::time_point> next;  // nullopt: past end_date
  bool next_is_fire = false;  // `next` is a fire time, not "look now" (start, catching up)
};

class Scheduler {
 public:
  Scheduler(const SchedulerOptions& options, const PluginCatalog& plugins, int stop_fd,
            std::ostream& log)
      : options_(options),
        plugins_(plugins),
        stop_fd_(stop_fd),
        log_(log),
        registry_(options.dags_dir, plugins, PoolNames(options.pools)),
        slots_(std::max<size_t>(1, options.parallelism), options.pools),
        run_settings_(options.run),
        parallelism_(options.parallelism),
        pools_(options.pools),
        alert_routes_(options.alert_routes),
        workspace_retention_(options.workspace_retention) {}

  Status Open();
  Status Loop();

 private:
  std::ostream& Log() { return log_ << FormatUtc(SystemClock::now()) << " "; }

  // Alerts.
  Status StartAlertDispatcher();
  void RecordBrokenFileAlert(const DagFileState& file);

  // DAG files.
  void ApplyRegistryChanges(const DagRegistryChanges& changes);
  void RecordFileChanges(const DagRegistryChanges& changes);
  void RescanFolder();
  void UpdateClock(const std::string& dag_id);
  void RemoveOldWorkspacesNow();
  void ReloadSettings();

  // File triggers.
  void RefreshFileTriggers();
  void HandleTriggerFiles(bool scan_all);
  Status CreateFileRun(const RegisteredDag& dag, const TriggerCandidate& file);

  // Runs.
  std::unique_ptr<RunDriver> MakeDriver(const std::shared_ptr<const RegisteredDag>& dag,
                                        PreparedRun prepared);
  std::unique_ptr<RunDriver> DriverForRecorded(const std::shared_ptr<const RegisteredDag>& dag,
                                               const RunRecord& run);
  Status RecoverActiveRuns();
  void FailAbandonedRun(const RunRecord& run, const std::string& why);
  Status LoadControls();
  Status FireDueSchedules();
  Status CreateScheduledRun(const std::shared_ptr<const RegisteredDag>& dag,
                            const OwedFire& fire);
  Status StartQueuedRuns();
  Status AdvanceRuns();
  int ActiveRunsOf(const std::string& dag_id) const;

  std::optional<SteadyClock::time_point> NextWakeup() const;
  Status WaitAndDispatch();

  const SchedulerOptions& options_;
  const PluginCatalog& plugins_;
  int stop_fd_;
  std::ostream& log_;

  std::optional<InstanceLock> lock_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<ProcessLauncher> launcher_;
  std::unique_ptr<FolderWatcher> watcher_;
  std::optional<DatabaseWatch> database_watch_;
  DagRegistry registry_;
  SchedulerSlots slots_;
  // The settings a reload (SIGHUP) may change; the rest of options_ stays as started.
  // RunDrivers hold a reference to run_settings_: its alert routes change for them too.
  RunSettings run_settings_;
  size_t parallelism_;
  std::map<std::string, int> pools_;
  std::vector<AlertRoute> alert_routes_;
  std::optional<milliseconds> workspace_retention_;
  FileTriggers file_triggers_;
  bool trigger_scan_pending_ = true;  // list the trigger folders (start, unpause, rescan)

  std::map<std::string, DagClock> clocks_;            // by DAG id, scheduled DAGs only
  std::map<std::string, std::string> last_fires_;     // by DAG id, from dag_controls
  std::set<std::string> paused_;
  bool controls_loaded_ = false;
  std::map<std::string, std::unique_ptr<RunDriver>> runs_;  // by run id: the runs going on
  bool queue_dirty_ = true;  // queued runs may be startable: look at the database
  std::set<std::string> waiting_dags_;  // DAGs whose queued runs the last look left waiting
  SteadyClock::time_point next_rescan_;
  std::optional<SteadyClock::time_point> next_workspace_cleanup_;
  bool stopping_ = false;
  bool terminated_ = false;
  SteadyClock::time_point stop_deadline_;
  std::optional<SteadyClock::time_point> database_check_until_;

  std::mutex alert_log_mutex_;  // the dispatcher thread's lines, one at a time
  std::unique_ptr<AlertDispatcher> alerts_;
  // Files whose current content has had its dag_broken alert: path -> content hash.
  // Loaded from dag_files, so a restart does not raise them again.
  std::map<std::string, std::string> broken_alerted_;
};

}  // namespace sluice::daemon

#endif  // SLUICE_SCHEDULER_SCHEDULER_DAEMON_INTERNAL_H_
