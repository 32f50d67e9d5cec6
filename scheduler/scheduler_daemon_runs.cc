// The scheduler's runs: recovery at start, the runs of due schedule fires, queued runs
// started as max_active_runs allows, and every run advanced each turn.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "scheduler/scheduler_daemon_internal.h"
#include "scheduler/scheduler_metrics.h"

namespace sluice::daemon {
namespace {

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

}  // namespace

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

}  // namespace sluice::daemon
