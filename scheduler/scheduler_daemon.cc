#include "scheduler/scheduler_daemon.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/attempt_server.h"
#include "scheduler/duration.h"
#include "scheduler/scheduler_daemon_internal.h"
#include "scheduler/scheduler_metrics.h"
#include "scheduler/workspace_retention.h"

namespace sluice {
namespace daemon {
namespace {

// However far the next fire is, look again after this long: a wall clock set forward or back
// is noticed within it.
constexpr milliseconds kLongestSleep{std::chrono::seconds(60)};
// After another process closed the database: how long, and how often, to look for its
// commit (it is normally visible at once; this covers a close racing a commit elsewhere).
constexpr milliseconds kDatabaseSettle{100};
constexpr milliseconds kDatabaseRecheck{10};

}  // namespace

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

}  // namespace daemon

Status RunScheduler(const SchedulerOptions& options, const PluginCatalog& plugins, int stop_fd,
                    std::ostream& log) {
  daemon::Scheduler scheduler(options, plugins, stop_fd, log);
  if (Status s = scheduler.Open(); !s.ok()) return s;
  if (options.after_open) {
    if (Status s = options.after_open(); !s.ok()) return s;
  }
  return scheduler.Loop();
}

}  // namespace sluice
