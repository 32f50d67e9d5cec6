#include "scheduler/scheduler_daemon.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "runtime/alert.h"
#include "runtime/attempt_server.h"
#include "runtime/database_watch.h"
#include "runtime/folder_watcher.h"
#include "runtime/instance_lock.h"
#include "runtime/time_format.h"
#include "scheduler/dag_registry.h"
#include "scheduler/file_triggers.h"
#include "scheduler/duration.h"
#include "scheduler/fire_plan.h"
#include "scheduler/run_request.h"
#include "scheduler/scheduler_metrics.h"
#include "scheduler/scheduler_slots.h"
#include "scheduler/workspace_retention.h"

namespace sluice {
namespace {

using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;
using std::chrono::milliseconds;

// However far the next fire is, look again after this long: a wall clock set forward or back
// is noticed within it.
constexpr milliseconds kLongestSleep{std::chrono::seconds(60)};
// After another process closed the database: how long, and how often, to look for its
// commit (it is normally visible at once; this covers a close racing a commit elsewhere).
constexpr milliseconds kDatabaseSettle{100};
constexpr milliseconds kDatabaseRecheck{10};

// Makes sure no process of an attempt a previous scheduler started is still running: its
// attempt server terminates them when the scheduler dies, but a process that ignores SIGTERM
// would otherwise run beside the attempt that replaces it.
// Whether process group `group` has a member that is not a zombie. Zombies count as members
// for kill(-group, 0) until whoever adopted them reaps them, which may take a while.
bool GroupHasLiveProcess(pid_t group) {
  if (::kill(-group, 0) != 0) return false;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // "pid (comm) state ppid pgrp ...": comm may hold spaces, so parse after the last ')'.
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    char state = 0;
    long ppid = 0, pgrp = 0;
    if (!(rest >> state >> ppid >> pgrp)) continue;
    if (pgrp == group && state != 'Z' && state != 'X') return true;
  }
  return false;
}

void EnsureProcessGroupGone(int64_t pid, std::ostream& log) {
  if (pid <= 0) return;
  const pid_t group = static_cast<pid_t>(pid);
  if (!GroupHasLiveProcess(group)) return;
  log << FormatUtc(SystemClock::now()) << " attempt process group " << pid
      << " outlived its scheduler: killing it\n";
  ::kill(-group, SIGKILL);
  for (int i = 0; i < 500 && GroupHasLiveProcess(group); ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
}

std::set<std::string> PoolNames(const std::map<std::string, int>& pools) {
  std::set<std::string> names;
  for (const auto& [name, slots] : pools) names.insert(name);
  return names;
}

// How often old workspaces are looked for: often enough that one outlives its retention by
// at most half of it, at most hourly, and not more than once a second.
milliseconds WorkspaceCleanupInterval(milliseconds retention) {
  return std::clamp<milliseconds>(retention / 2, std::chrono::seconds(1), std::chrono::hours(1));
}

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

Status Scheduler::Open() {
  Result<InstanceLock> lock = InstanceLock::Acquire(options_.lock_path, "sluice scheduler");
  if (!lock.ok()) return lock.status();
  lock_.emplace(std::move(lock).value());

  Result<std::unique_ptr<StateStore>> store = OpenSqliteStateStore(options_.database_path);
  if (!store.ok()) return store.status();
  store_ = std::move(store).value();
  Result<DatabaseWatch> database_watch = DatabaseWatch::Create(options_.database_path);
  if (!database_watch.ok()) return database_watch.status();
  database_watch_.emplace(std::move(database_watch).value());
  (void)store_->ChangedElsewhere();  // the baseline

  launcher_ = options_.use_attempt_server ? MakeAttemptServerLauncher(options_.run.task_exec_binary)
                                          : MakeLocalProcessLauncher();
  // The watcher first, so that a file written while the folder loads is reported, not lost.
  Result<std::unique_ptr<FolderWatcher>> watcher = MakeInotifyFolderWatcher(options_.dags_dir);
  if (!watcher.ok()) return watcher.status();
  watcher_ = std::move(watcher).value();
  if (Status s = LoadControls(); !s.ok()) return s;
  if (Status s = StartAlertDispatcher(); !s.ok()) return s;
  Result<DagRegistryChanges> loaded = registry_.Rescan();
  if (!loaded.ok()) return loaded.status();
  ApplyRegistryChanges(*loaded);
  next_rescan_ = SteadyClock::now() + options_.rescan_interval;
  if (workspace_retention_) {
    next_workspace_cleanup_ = SteadyClock::now() + WorkspaceCleanupInterval(*workspace_retention_);
  }
  Log() << "scheduler started: pid " << ::getpid() << ", " << registry_.DagIds().size()
        << " DAG(s) from " << registry_.file_count() << " file(s) in " << options_.dags_dir
        << ", parallelism " << parallelism_ << "\n";
  return RecoverActiveRuns();
}

Status Scheduler::StartAlertDispatcher() {
  Result<std::vector<DagFileRecord>> files = store_->ListDagFiles();
  if (!files.ok()) return files.status();
  for (const DagFileRecord& f : *files) {
    if (!f.error.empty()) broken_alerted_[f.file] = f.content_hash;
  }
  Result<std::unique_ptr<AlertDispatcher>> dispatcher = AlertDispatcher::Start(
      options_.database_path, options_.alert_delivery, [this](const std::string& line) {
        // One write of the whole line, so it never interleaves with the loop's lines.
        const std::string whole = FormatUtc(SystemClock::now()) + " " + line + "\n";
        std::lock_guard<std::mutex> lock(alert_log_mutex_);
        log_ << whole << std::flush;
      });
  if (!dispatcher.ok()) return dispatcher.status();
  alerts_ = std::move(dispatcher).value();
  return Status::Ok();
}

// Called inside the transaction that records the file's errors: the alert and the dag_files
// row commit together, and a restart finds the row (broken_alerted_) instead of alerting
// again.
void Scheduler::RecordBrokenFileAlert(const DagFileState& file) {
  if (file.errors.empty()) {
    broken_alerted_.erase(file.path);
    return;
  }
  auto alerted = broken_alerted_.find(file.path);
  if (alerted != broken_alerted_.end() && alerted->second == file.content_hash) return;
  broken_alerted_[file.path] = file.content_hash;
  if (alert_routes_.empty()) return;
  AlertEvent event;
  event.kind = "dag_broken";
  event.dag_id = file.dag_id;
  event.file = file.path;
  for (const Diagnostic& d : file.errors) event.error += d.ToString() + "\n";
  event.at = FormatUtc(SystemClock::now());
  if (Status s = EnqueueAlert(*store_, event, alert_routes_); !s.ok()) {
    Log() << "warning: " << s.message() << "\n";
  }
}

Status Scheduler::LoadControls() {
  Result<std::vector<DagControlRecord>> controls = store_->ListDagControls();
  if (!controls.ok()) return controls.status();
  std::set<std::string> paused;
  for (const DagControlRecord& c : *controls) {
    if (c.paused) paused.insert(c.dag_id);
    if (!c.last_fire.empty()) last_fires_[c.dag_id] = c.last_fire;
  }
  for (const std::string& id : paused) {
    if (paused_.count(id) == 0 && controls_loaded_) Log() << id << ": paused\n";
  }
  for (const std::string& id : paused_) {
    if (paused.count(id) != 0) continue;
    Log() << id << ": unpaused\n";
    trigger_scan_pending_ = true;  // files that arrived while paused
    // Fires skipped while paused are owed now, by the catchup rule, as after downtime.
    if (auto clock = clocks_.find(id); clock != clocks_.end()) clock->second.next = SystemClock::now();
  }
  paused_ = std::move(paused);
  controls_loaded_ = true;
  return Status::Ok();
}

// The dag_files rows of changed and removed files, for `sluice dags list` and the UI.
void Scheduler::RecordFileChanges(const DagRegistryChanges& changes) {
  for (const std::string& path : changes.changed_files) {
    std::optional<DagFileState> file = registry_.File(path);
    if (!file) continue;
    DagFileRecord record;
    record.file = file->path;
    record.dag_id = file->dag_id;
    record.content_hash = file->content_hash;
    for (const Diagnostic& d : file->errors) record.error += d.ToString() + "\n";
    if (file->dag) {
      record.task_count = static_cast<int>(file->dag->spec.tasks.size());
      record.schedule = file->dag->spec.schedule;
    }
    record.updated_at = FormatUtc(SystemClock::now());
    if (Status s = store_->UpsertDagFile(record); !s.ok()) Log() << "warning: " << s.message() << "\n";
    RecordBrokenFileAlert(*file);
    if (!file->errors.empty()) {
      Log() << path << ": not scheduled, " << file->errors.size() << " problem(s):\n";
      for (const Diagnostic& d : file->errors) log_ << "  " << d.ToString() << "\n";
    }
  }
  for (const std::string& path : changes.removed_files) {
    if (Status s = store_->RemoveDagFile(path); !s.ok()) Log() << "warning: " << s.message() << "\n";
    broken_alerted_.erase(path);
  }
}

void Scheduler::ApplyRegistryChanges(const DagRegistryChanges& changes) {
  // One transaction for the whole change: the first load records 1,000 files at once.
  Status recorded = store_->InTransaction([&]() -> Status {
    RecordFileChanges(changes);
    return Status::Ok();
  });
  if (!recorded.ok()) Log() << "warning: " << recorded.message() << "\n";
  auto note = [&](const std::vector<std::string>& ids, const char* what) {
    for (const std::string& id : ids) {
      Log() << id << ": " << what << "\n";
      UpdateClock(id);
    }
  };
  note(changes.added, "loaded");
  note(changes.updated, "reloaded");
  note(changes.fixed, "fixed, scheduled again");
  note(changes.broken, "broken, not scheduled");
  note(changes.removed, "removed");
  queue_dirty_ = true;
  if (!changes.added.empty() || !changes.updated.empty() || !changes.fixed.empty() ||
      !changes.broken.empty() || !changes.removed.empty()) {
    RefreshFileTriggers();
  }
}

void Scheduler::RefreshFileTriggers() {
  std::map<std::string, FileTriggerSpec> triggers;
  for (const std::string& id : registry_.DagIds()) {
    std::shared_ptr<const RegisteredDag> dag = registry_.Find(id);
    if (dag && dag->spec.file_trigger) triggers.emplace(id, *dag->spec.file_trigger);
  }
  std::vector<std::string> warnings;
  file_triggers_.Update(triggers, warnings);
  for (const std::string& w : warnings) Log() << "warning: " << w << "\n";
  trigger_scan_pending_ = true;  // a new or changed pattern may match files already there
}

void Scheduler::HandleTriggerFiles(bool scan_all) {
  std::vector<std::string> warnings;
  const std::vector<TriggerCandidate> files = file_triggers_.Collect(scan_all, warnings);
  for (const std::string& w : warnings) Log() << "warning: " << w << "\n";
  for (const TriggerCandidate& file : files) {
    // A paused DAG leaves its files unseen: unpausing starts their runs.
    if (paused_.count(file.dag_id) != 0) continue;
    std::shared_ptr<const RegisteredDag> dag = registry_.Find(file.dag_id);
    if (!dag) continue;
    if (Status s = CreateFileRun(*dag, file); !s.ok()) {
      Log() << file.dag_id << ": cannot create the run of " << file.path << ": " << s.message()
            << "\n";
    }
  }
}

Status Scheduler::CreateFileRun(const RegisteredDag& dag, const TriggerCandidate& file) {
  Result<bool> seen = store_->TriggerFileSeen(file.dag_id, file.path, file.size, file.mtime_ns);
  if (!seen.ok()) return seen.status();
  if (*seen) return Status::Ok();
  RunRequest request;
  request.trigger = "file";
  request.trigger_file = file.path;
  const SystemClock::time_point now = SystemClock::now();
  Result<PreparedRun> prepared = PrepareRun(dag.spec, request, now);
  if (!prepared.ok()) return prepared.status();
  const std::vector<std::string> task_ids = dag.spec.TaskIds();
  const RunRecord& run = prepared->record;
  // The run and the file's record in one transaction: a file starts exactly one run.
  Status s = store_->InTransaction([&]() -> Status {
    if (Status c = store_->CreateRun(run, task_ids); !c.ok()) return c;
    return store_->RecordTriggerFile(
        {file.dag_id, file.path, file.size, file.mtime_ns, run.run_id, FormatUtc(now)});
  });
  if (!s.ok()) return s;
  Log() << file.dag_id << ": run " << run.run_id << " queued for file " << file.path << "\n";
  queue_dirty_ = true;
  return Status::Ok();
}

// (Re)computes when `dag_id` fires next, after its file changed.
void Scheduler::UpdateClock(const std::string& dag_id) {
  std::shared_ptr<const RegisteredDag> dag = registry_.Find(dag_id);
  if (options_.board != nullptr) {
    if (dag) {
      options_.board->SetDag(dag_id, dag);
    } else {
      options_.board->RemoveDag(dag_id);
    }
  }
  if (!dag || !dag->schedule) {
    clocks_.erase(dag_id);
    if (options_.board != nullptr) options_.board->SetNextFire(dag_id, std::nullopt);
    return;
  }
  const auto existing = clocks_.find(dag_id);
  FireFloor floor;
  floor.first_seen = existing != clocks_.end() ? existing->second.floor.first_seen
                                               : SystemClock::now();
  if (auto last = last_fires_.find(dag_id); last != last_fires_.end()) {
    floor.last_fire = ParseUtc(last->second);
  }
  // Due at once: FireDueSchedules creates the runs owed for fires already past (after
  // downtime, or a start_date in the past, even one whose end_date has passed too) and then
  // computes the next fire.
  DagClock clock{*dag->schedule, floor, SystemClock::now()};
  clocks_.insert_or_assign(dag_id, std::move(clock));
}

// A driver for `prepared` of `dag`, sharing the scheduler's store, launcher and slots; it
// keeps the DAG alive while its file changes.
std::unique_ptr<RunDriver> Scheduler::MakeDriver(const std::shared_ptr<const RegisteredDag>& dag,
                                                 PreparedRun prepared) {
  return std::make_unique<RunDriver>(std::shared_ptr<const DagSpec>(dag, &dag->spec),
                                     std::move(prepared), *store_, *launcher_, run_settings_,
                                     slots_, nullptr);
}

// A driver for a run already in the database; null, after failing the run, when its record
// cannot be turned into template values.
std::unique_ptr<RunDriver> Scheduler::DriverForRecorded(
    const std::shared_ptr<const RegisteredDag>& dag, const RunRecord& run) {
  Result<PreparedRun> prepared = PrepareRecordedRun(dag->spec, run);
  if (!prepared.ok()) {
    FailAbandonedRun(run, prepared.message());
    return nullptr;
  }
  return MakeDriver(dag, std::move(prepared).value());
}

Status Scheduler::RecoverActiveRuns() {
  Result<std::vector<RunRecord>> active = store_->ListActiveRuns();
  if (!active.ok()) return active.status();
  for (const RunRecord& run : *active) {
    // A `sluice run` process drives its own run, beside the scheduler.
    if (run.state != "running" || run.trigger == "foreground") continue;
    // `sluice tasks run` (or another live process) is driving it: its attempts are not
    // orphans.
    if (const int64_t driver = InstanceLock::Holder(RunLockPath(options_.run.home, run.run_id));
        driver != 0) {
      Log() << run.dag_id << ": run " << run.run_id << " is being run by process " << driver
            << "; left to it\n";
      continue;
    }
    Result<std::vector<AttemptRecord>> attempts = store_->ListAttempts(run.run_id, "");
    if (!attempts.ok()) return attempts.status();
    for (const AttemptRecord& a : *attempts) {
      if (a.state == "running") EnsureProcessGroupGone(a.pid, log_);
    }
    std::shared_ptr<const RegisteredDag> dag = registry_.Find(run.dag_id);
    if (!dag) {
      FailAbandonedRun(run, "its DAG is no longer loaded (file removed or broken)");
      continue;
    }
    std::unique_ptr<RunDriver> driver = DriverForRecorded(dag, run);
    if (!driver) continue;
    if (Status s = driver->Resume(); !s.ok()) return s;
    Log() << run.dag_id << ": run " << run.run_id << " resumed after a restart\n";
    runs_.emplace(run.run_id, std::move(driver));
  }
  return Status::Ok();
}

// A run that cannot go on: its attempts left running are failed, its unfinished tasks
// cancelled, the run failed.
void Scheduler::FailAbandonedRun(const RunRecord& run, const std::string& why) {
  const std::string at = FormatUtc(SystemClock::now());
  Status s = store_->InTransaction([&]() -> Status {
    Result<std::vector<AttemptRecord>> attempts = store_->ListAttempts(run.run_id, "");
    if (!attempts.ok()) return attempts.status();
    for (AttemptRecord a : *attempts) {
      if (a.state != "running") continue;
      a.state = "failed";
      a.ended_at = at;
      a.error = "the scheduler stopped while this attempt ran, and the run cannot resume: " + why;
      if (Status f = store_->FinishAttempt(a, "failed"); !f.ok()) return f;
    }
    Result<std::vector<TaskInstanceRecord>> tasks = store_->ListTaskInstances(run.run_id);
    if (!tasks.ok()) return tasks.status();
    for (const TaskInstanceRecord& t : *tasks) {
      if (t.state == "success" || t.state == "failed" || t.state == "upstream_failed" ||
          t.state == "cancelled" || t.state == "skipped") {
        continue;
      }
      if (Status c = store_->SetTaskState(run.run_id, t.task_id, "cancelled", at); !c.ok()) return c;
    }
    return store_->UpdateRunState(run.run_id, "failed", at);
  });
  Log() << run.dag_id << ": run " << run.run_id << " failed: " << why
        << (s.ok() ? "" : " (and recording it failed: " + s.message() + ")") << "\n";
}

Status Scheduler::FireDueSchedules() {
  const SystemClock::time_point now = SystemClock::now();
  for (auto& [dag_id, clock] : clocks_) {
    if (!clock.next || *clock.next > now) continue;
    std::shared_ptr<const RegisteredDag> dag = registry_.Find(dag_id);
    if (!dag) continue;
    if (options_.metrics != nullptr && clock.next_is_fire) {
      options_.metrics->ObserveLoopLag(std::chrono::duration<double>(now - *clock.next).count());
    }
    if (paused_.count(dag_id) == 0) {
      Result<std::vector<OwedFire>> owed = OwedFires(clock.schedule, clock.floor, now,
                                                     dag->spec.catchup, options_.catchup_batch);
      if (!owed.ok()) {
        Log() << dag_id << ": " << owed.message() << "\n";
        clock.next.reset();
        continue;
      }
      for (const OwedFire& fire : *owed) {
        if (Status s = CreateScheduledRun(dag, fire); !s.ok()) {
          Log() << dag_id << ": cannot create the run of " << FormatUtc(fire.fire) << ": "
                << s.message() << "\n";
          break;
        }
        clock.floor.last_fire = fire.fire;
        last_fires_[dag_id] = FormatUtc(fire.fire);
      }
    } else {
      // A paused DAG skips its fires: unpausing runs the latest one only (or all, with
      // catchup), as after downtime.
    }
    Result<std::optional<SystemClock::time_point>> next = NextFire(clock.schedule, clock.floor, now);
    clock.next = next.ok() ? *next : std::nullopt;
    clock.next_is_fire = true;
    if (options_.board != nullptr) options_.board->SetNextFire(dag_id, clock.next);
    // Fires still owed (catching up in batches) are due at once.
    if (dag->spec.catchup && paused_.count(dag_id) == 0) {
      Result<std::vector<OwedFire>> more = OwedFires(clock.schedule, clock.floor, now, true, 1);
      if (more.ok() && !more->empty()) {
        clock.next = now;
        clock.next_is_fire = false;
      }
    }
  }
  return Status::Ok();
}

Status Scheduler::CreateScheduledRun(const std::shared_ptr<const RegisteredDag>& dag,
                                     const OwedFire& fire) {
  RunRequest request;
  request.trigger = "schedule";
  request.logical_date = fire.fire;
  request.interval_start = fire.interval_start;
  const SystemClock::time_point now = SystemClock::now();
  Result<PreparedRun> prepared = PrepareRun(dag->spec, request, now);
  if (!prepared.ok()) return prepared.status();
  const RunRecord run = prepared->record;
  const std::string& dag_id = dag->spec.id;
  // Started at once when nothing of its DAG is waiting before it: the fire's task starts in
  // this turn, and the run is recorded running in the transaction that records the fire.
  const bool start_now = !stopping_ && !queue_dirty_ && waiting_dags_.count(dag_id) == 0 &&
                         ActiveRunsOf(dag_id) < dag->spec.max_active_runs;
  std::unique_ptr<RunDriver> driver;
  if (start_now) driver = MakeDriver(dag, std::move(prepared).value());
  bool created = false;
  Status s = store_->InTransaction([&]() -> Status {
    // A run for this fire may exist already: the previous scheduler created it and died
    // before recording the fire. The unique index would refuse a second one anyway.
    Result<std::optional<RunRecord>> existing = store_->FindScheduledRun(dag_id, run.logical_date);
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) {
      created = true;
      if (driver) {
        if (Status c = driver->Start(/*already_recorded=*/false); !c.ok()) return c;
      } else {
        const std::vector<std::string> task_ids = dag->spec.TaskIds();
        if (Status c = store_->CreateRun(run, task_ids); !c.ok()) return c;
      }
    }
    return store_->SetLastFire(dag_id, run.logical_date, FormatUtc(now));
  });
  if (!s.ok()) return s;
  if (!created) return Status::Ok();
  if (!driver) {
    Log() << dag_id << ": run " << run.run_id << " queued for " << run.logical_date
          << " (schedule)\n";
    queue_dirty_ = true;
    return Status::Ok();
  }
  Log() << dag_id << ": run " << run.run_id << " started for " << run.logical_date
        << " (schedule)\n";
  RunDriver& started = *driver;
  runs_.emplace(run.run_id, std::move(driver));
  return started.Advance();
}

int Scheduler::ActiveRunsOf(const std::string& dag_id) const {
  int n = 0;
  for (const auto& [id, driver] : runs_) n += driver->run().dag_id == dag_id ? 1 : 0;
  return n;
}

Status Scheduler::StartQueuedRuns() {
  if (!queue_dirty_ || stopping_) return Status::Ok();
  queue_dirty_ = false;
  Result<std::vector<RunRecord>> active = store_->ListActiveRuns();
  if (!active.ok()) return active.status();
  waiting_dags_.clear();
  int64_t waiting_runs = 0;
  for (const RunRecord& run : *active) {
    if (run.state != "queued" || runs_.count(run.run_id) != 0) continue;
    std::shared_ptr<const RegisteredDag> dag = registry_.Find(run.dag_id);
    if (paused_.count(run.dag_id) != 0 || !dag ||  // !dag: waits until its file loads again
        ActiveRunsOf(run.dag_id) >= dag->spec.max_active_runs) {
      waiting_dags_.insert(run.dag_id);
      ++waiting_runs;
      continue;
    }
    std::unique_ptr<RunDriver> driver = DriverForRecorded(dag, run);
    if (!driver) continue;
    if (Status s = driver->Start(/*already_recorded=*/true); !s.ok()) {
      Log() << run.dag_id << ": cannot start run " << run.run_id << ": " << s.message() << "\n";
      continue;
    }
    Log() << run.dag_id << ": run " << run.run_id << " started (" << run.trigger << ")\n";
    runs_.emplace(run.run_id, std::move(driver));
  }
  if (options_.metrics != nullptr) options_.metrics->SetQueuedRuns(waiting_runs);
  return Status::Ok();
}

Status Scheduler::AdvanceRuns() {
  // Oldest run first (run ids begin with their creation time), so that it gets free slots
  // before younger runs do.
  for (auto it = runs_.begin(); it != runs_.end();) {
    RunDriver& driver = *it->second;
    if (Status s = driver.Advance(); !s.ok()) return s;
    if (!driver.Finished()) {
      ++it;
      continue;
    }
    Result<RunRecord> done = driver.Complete();
    if (!done.ok()) return done.status();
    Log() << done->dag_id << ": run " << done->run_id << " " << done->state << "\n";
    it = runs_.erase(it);
    queue_dirty_ = true;
  }
  if (options_.metrics != nullptr) {
    size_t running = 0, waiting = 0;
    for (const auto& [id, driver] : runs_) {
      running += driver->attempts_in_flight();
      waiting += driver->tasks_waiting_for_slot();
    }
    options_.metrics->SetRunningAttempts(static_cast<int64_t>(running));
    options_.metrics->SetQueuedTasks(static_cast<int64_t>(waiting));
  }
  return Status::Ok();
}

std::optional<SteadyClock::time_point> Scheduler::NextWakeup() const {
  const SteadyClock::time_point now = SteadyClock::now();
  SteadyClock::time_point wake = now + kLongestSleep;
  auto consider = [&wake](SteadyClock::time_point t) { wake = std::min(wake, t); };
  consider(next_rescan_);
  if (next_workspace_cleanup_) consider(*next_workspace_cleanup_);
  if (auto deadline = watcher_->NextDeadline()) consider(*deadline);
  if (auto deadline = file_triggers_.NextDeadline()) consider(*deadline);
  if (stopping_ && !terminated_) consider(stop_deadline_);
  if (database_check_until_) consider(now + kDatabaseRecheck);
  const SystemClock::time_point wall = SystemClock::now();
  for (const auto& [id, clock] : clocks_) {
    if (!clock.next) continue;
    consider(now + std::chrono::duration_cast<SteadyClock::duration>(*clock.next - wall));
  }
  for (const auto& [id, driver] : runs_) {
    if (auto t = driver->NextWakeup()) consider(*t);
  }
  return wake;
}

Status Scheduler::WaitAndDispatch() {
  std::vector<pollfd> fds;
  fds.push_back({stop_fd_, POLLIN, 0});
  fds.push_back({watcher_->fd(), POLLIN, 0});
  fds.push_back({database_watch_->fd(), POLLIN, 0});
  fds.push_back({options_.wake_fd, POLLIN, 0});  // a negative fd is ignored by poll
  fds.push_back({options_.reload_fd, POLLIN, 0});
  const size_t first_trigger_fd = fds.size();
  for (int fd : file_triggers_.fds()) fds.push_back({fd, POLLIN, 0});
  const size_t first_launcher_fd = fds.size();
  for (int fd : launcher_->WaitFds()) fds.push_back({fd, POLLIN, 0});
  int timeout_ms = 0;
  if (!launcher_->HasReadyEvents() && !queue_dirty_ && !trigger_scan_pending_) {
    const auto wait = *NextWakeup() - SteadyClock::now();
    // Rounded up: waking a little early would only loop back to sleep for the rest.
    timeout_ms = static_cast<int>(std::max<int64_t>(
        0, std::chrono::ceil<milliseconds>(wait).count()));
  }
  if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) {
    return Status::Error(std::string("poll: ") + std::strerror(errno));
  }
  if (fds[0].revents != 0 && !stopping_) {
    char drain[64];
    while (::read(stop_fd_, drain, sizeof drain) > 0) {
    }
    stopping_ = true;
    stop_deadline_ = SteadyClock::now() + options_.stop_grace;
    size_t attempts = 0;
    for (auto& [id, driver] : runs_) {
      driver->Drain(/*terminate_running=*/false);
      attempts += driver->attempts_in_flight();
    }
    Log() << "stopping: no new attempts; waiting up to "
          << std::chrono::duration_cast<std::chrono::seconds>(options_.stop_grace).count()
          << " s for " << attempts << " running attempt(s)\n";
  }
  if (stopping_ && !terminated_ && SteadyClock::now() >= stop_deadline_) {
    terminated_ = true;
    for (auto& [id, driver] : runs_) driver->Drain(/*terminate_running=*/true);
    Log() << "stop grace over: terminating the attempts still running\n";
  }
  if (fds[4].revents != 0) {
    char drain[64];
    while (::read(options_.reload_fd, drain, sizeof drain) > 0) {
    }
    ReloadSettings();
  }
  bool launcher_ready = launcher_->HasReadyEvents();
  for (size_t i = first_launcher_fd; i < fds.size(); ++i) launcher_ready |= fds[i].revents != 0;
  if (launcher_ready) {
    for (const ProcessEvent& event : launcher_->Wait(milliseconds(0))) {
      for (auto& [id, driver] : runs_) {
        if (!driver->Owns(event.pid)) continue;
        if (Status s = driver->Handle(event); !s.ok()) return s;
        break;
      }
    }
  }
  const auto now = SteadyClock::now();
  const auto deadline = watcher_->NextDeadline();
  if (fds[1].revents != 0 || (deadline && *deadline <= now)) {
    Result<FolderChanges> changes = watcher_->ReadChanges();
    if (!changes.ok()) {
      Log() << "warning: " << changes.message() << "\n";
    } else {
      for (const std::string& w : changes->warnings) Log() << "warning: " << w << "\n";
      if (!changes->paths.empty()) ApplyRegistryChanges(registry_.Apply(changes->paths));
      if (changes->rescan_needed) RescanFolder();
      if (changes->folder_gone) {
        Log() << "warning: the DAG folder " << options_.dags_dir
              << " is gone; its DAGs stay loaded until it is back (checked every "
              << std::chrono::duration_cast<std::chrono::seconds>(options_.rescan_interval).count()
              << " s)\n";
      }
    }
  }
  bool trigger_ready = false;
  for (size_t i = first_trigger_fd; i < first_launcher_fd; ++i) trigger_ready |= fds[i].revents != 0;
  const auto trigger_deadline = file_triggers_.NextDeadline();
  if (trigger_ready || (trigger_deadline && *trigger_deadline <= now)) {
    HandleTriggerFiles(/*scan_all=*/false);
  }
  if (next_workspace_cleanup_ && now >= *next_workspace_cleanup_) {
    RemoveOldWorkspacesNow();
    next_workspace_cleanup_ = now + WorkspaceCleanupInterval(*workspace_retention_);
  }
  if (now >= next_rescan_) {
    RescanFolder();
    trigger_scan_pending_ = true;
    next_rescan_ = now + options_.rescan_interval;
  }
  if (fds[3].revents != 0) {
    // The API changed the state database in this process: its connection stays open, so
    // the database watch (which sees files closed) would not tell.
    uint64_t count = 0;
    if (::read(options_.wake_fd, &count, sizeof count) < 0) {
      // Already drained.
    }
    database_check_until_ = SteadyClock::now() + kDatabaseSettle;
  }
  if (fds[2].revents != 0 && database_watch_->Drain()) {
    // Look at once, and again for a short while in case another writer's commit lands
    // just after the close that woke us.
    database_check_until_ = SteadyClock::now() + kDatabaseSettle;
  }
  if (database_check_until_) {
    Result<bool> changed = store_->ChangedElsewhere();
    if (changed.ok() && *changed) {
      if (Status s = LoadControls(); !s.ok()) Log() << "warning: " << s.message() << "\n";
      alerts_->Notify();  // alerts another process (`sluice run`) left pending
      queue_dirty_ = true;
      database_check_until_.reset();
    } else if (SteadyClock::now() >= *database_check_until_) {
      database_check_until_.reset();
    }
  }
  return Status::Ok();
}

void Scheduler::RemoveOldWorkspacesNow() {
  for (const std::string& line :
       ApplyWorkspaceRetention(*store_, options_.run.home, *workspace_retention_)) {
    Log() << line << "\n";
  }
}

void Scheduler::ReloadSettings() {
  if (!options_.reload) return;
  Result<ReloadedSettings> reloaded = options_.reload();
  if (!reloaded.ok()) {
    Log() << "reload refused, the settings in force are kept:\n" << reloaded.message() << "\n";
    return;
  }
  const ReloadedSettings& s = *reloaded;
  parallelism_ = std::max<size_t>(1, s.parallelism);
  slots_.Reconfigure(parallelism_, s.pools);
  const bool pool_names_changed = PoolNames(s.pools) != PoolNames(pools_);
  pools_ = s.pools;
  alert_routes_ = s.alert_routes;
  run_settings_.alerts = s.alert_routes;
  alerts_->SetUiUrl(s.ui_url);
  if (s.workspace_retention != workspace_retention_) {
    workspace_retention_ = s.workspace_retention;
    next_workspace_cleanup_.reset();
    if (workspace_retention_) {
      next_workspace_cleanup_ = SteadyClock::now() + WorkspaceCleanupInterval(*workspace_retention_);
    }
  }
  std::string pools;
  for (const auto& [name, slots] : pools_) {
    pools += (pools.empty() ? "" : ", ") + name + " " + std::to_string(slots);
  }
  if (pools.empty()) pools = "none";
  Log() << "settings reloaded: parallelism " << parallelism_ << ", pools " << pools << ", "
        << alert_routes_.size() << " global alert route(s), workspace_retention "
        << (workspace_retention_ ? FormatDuration(*workspace_retention_) : "none") << "\n";
  for (const std::string& note : s.notes) Log() << "reload: " << note << "\n";
  // After the line above, so that the log reads cause, then effect.
  if (pool_names_changed) ApplyRegistryChanges(registry_.SetDeclaredPools(PoolNames(pools_)));
  queue_dirty_ = true;  // more room may start what waits
}

void Scheduler::RescanFolder() {
  Result<DagRegistryChanges> changes = registry_.Rescan();
  if (!changes.ok()) {
    Log() << "warning: " << changes.message() << "\n";
    return;
  }
  const DagRegistryChanges& c = *changes;
  if (!c.empty() || !c.added.empty() || !c.updated.empty() || !c.removed.empty() ||
      !c.broken.empty() || !c.fixed.empty()) {
    ApplyRegistryChanges(c);
  }
}

Status Scheduler::Loop() {
  for (;;) {
    if (!stopping_) {
      if (trigger_scan_pending_) {
        trigger_scan_pending_ = false;
        HandleTriggerFiles(/*scan_all=*/true);
      }
      // Queued runs first: they are older than this turn's fires.
      if (Status s = StartQueuedRuns(); !s.ok()) return s;
      if (Status s = FireDueSchedules(); !s.ok()) return s;
      if (Status s = StartQueuedRuns(); !s.ok()) return s;
    }
    if (Status s = AdvanceRuns(); !s.ok()) return s;
    // This turn's transitions are committed; their alerts with them. Cheap: the dispatcher
    // looks at the pending alerts (one indexed query) on its own thread.
    alerts_->Notify();
    if (stopping_) {
      size_t attempts = 0;
      for (const auto& [id, driver] : runs_) attempts += driver->attempts_in_flight();
      if (attempts == 0) break;
    }
    if (Status s = WaitAndDispatch(); !s.ok()) return s;
  }
  // A delivery in flight is cut short and stays pending for the next start.
  alerts_->Stop();
  Log() << "scheduler stopped; " << runs_.size()
        << " unfinished run(s) resume when it starts again\n";
  return Status::Ok();
}

}  // namespace

Status RunScheduler(const SchedulerOptions& options, const PluginCatalog& plugins, int stop_fd,
                    std::ostream& log) {
  Scheduler scheduler(options, plugins, stop_fd, log);
  if (Status s = scheduler.Open(); !s.ok()) return s;
  if (options.after_open) {
    if (Status s = options.after_open(); !s.ok()) return s;
  }
  return scheduler.Loop();
}

}  // namespace sluice
