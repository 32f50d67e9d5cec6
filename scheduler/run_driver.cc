#include "scheduler/run_driver.h"

#include <signal.h>

#include <algorithm>
#include <filesystem>

#include "runtime/dataset_max.h"
#include "runtime/redact.h"
#include "runtime/time_format.h"
#include "scheduler/duration.h"
#include "scheduler/retry_policy.h"
#include "scheduler/scheduler_metrics.h"
#include "scheduler/template.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

std::string Now() { return FormatUtc(std::chrono::system_clock::now()); }

std::string DescribeDuration(Duration d) {
  const int64_t ms = d.count();
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  return std::to_string(ms / 1000) + "s";
}

// How long each task of `dag` is expected to take, from its last few runs; a task never seen
// succeed counts as the mean of the others (1 s when none is known). Only a scheduling hint:
// an unreadable history leaves every task equal.
std::vector<double> ExpectedSeconds(StateStore& store, const DagSpec& dag) {
  constexpr int kRecentRuns = 5;
  std::vector<double> seconds(dag.tasks.size(), 1.0);
  const Result<std::map<std::string, double>> recent = store.RecentTaskSeconds(dag.id, kRecentRuns);
  if (!recent.ok() || recent->empty()) return seconds;
  double total = 0;
  for (const auto& [task, value] : *recent) total += value;
  const double unknown = total / static_cast<double>(recent->size());
  for (size_t i = 0; i < dag.tasks.size(); ++i) {
    const auto found = recent->find(dag.tasks[i].id);
    seconds[i] = found != recent->end() ? found->second : unknown;
  }
  return seconds;
}

// The steady-clock time of wall-clock time `utc` (FormatUtc), or now when it cannot be read.
SteadyClock::time_point SteadyTimeOf(const std::string& utc) {
  const std::optional<TimePoint> wall = ParseUtc(utc);
  if (!wall) return SteadyClock::now();
  return SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                  *wall - std::chrono::system_clock::now());
}

TaskStatus StatusFromName(const std::string& name) {
  for (TaskStatus s : {TaskStatus::kPending, TaskStatus::kReady, TaskStatus::kRunning,
                       TaskStatus::kUpForRetry, TaskStatus::kSuccess, TaskStatus::kFailed,
                       TaskStatus::kUpstreamFailed, TaskStatus::kCancelled, TaskStatus::kSkipped}) {
    if (name == TaskStatusName(s)) return s;
  }
  return TaskStatus::kPending;
}

}  // namespace

RunDriver::RunDriver(std::shared_ptr<const DagSpec> dag, PreparedRun prepared, StateStore& store,
                     ProcessLauncher& launcher, const RunSettings& settings, TaskSlots& slots,
                     RunObserver* observer)
    : dag_(std::move(dag)),
      prepared_(std::move(prepared)),
      store_(store),
      launcher_(launcher),
      settings_(settings),
      slots_(slots),
      observer_(observer),
      planner_(*dag_, ExpectedSeconds(store, *dag_)),
      progress_(dag_->tasks.size()),
      attempts_(dag_->tasks.size(), 0) {
  run_ = prepared_.record;
  workspace_ = WorkspacePath(settings.home, run_.run_id);
  for (size_t i = 0; i < dag_->tasks.size(); ++i) {
    progress_[i].task_id = dag_->tasks[i].id;
    progress_[i].state = TaskStatusName(planner_.status(i));
    progress_[i].max_attempts = dag_->tasks[i].retries + 1;
    index_.emplace(dag_->tasks[i].id, i);
  }
}

std::vector<AlertRoute> RunDriver::AlertRoutes() const {
  std::vector<AlertRoute> routes = dag_->alerts;
  routes.insert(routes.end(), settings_.alerts.begin(), settings_.alerts.end());
  return routes;
}

Status RunDriver::EnqueueTaskAlert(const std::string& kind, const AttemptRecord& rec,
                                   const std::string& next_attempt_at) {
  const std::vector<AlertRoute> routes = AlertRoutes();
  if (routes.empty()) return Status::Ok();
  AlertEvent event;
  event.kind = kind;
  event.dag_id = dag_->id;
  event.run_id = run_.run_id;
  event.task_id = rec.task_id;
  event.attempt = rec.attempt;
  event.max_attempts = dag_->tasks[index_.at(rec.task_id)].retries + 1;
  event.error = rec.error;  // already redacted
  event.log_path = rec.log_path;
  event.logical_date = run_.logical_date;
  event.next_attempt_at = next_attempt_at;
  event.at = rec.ended_at;
  return EnqueueAlert(store_, event, routes);
}

Status RunDriver::EnqueueRunAlerts() {
  const std::vector<AlertRoute> routes = AlertRoutes();
  if (routes.empty() || run_.state != "success") return Status::Ok();
  AlertEvent event;
  event.kind = "success";
  event.dag_id = dag_->id;
  event.run_id = run_.run_id;
  event.logical_date = run_.logical_date;
  event.at = run_.ended_at;
  if (Status s = EnqueueAlert(store_, event, routes); !s.ok()) return s;
  // A recovery is the first success after a failure: the previous run that ended, failed.
  constexpr int kLookBack = 50;
  Result<std::vector<RunRecord>> recent = store_.ListRuns(dag_->id, kLookBack);
  if (!recent.ok()) return recent.status();
  for (const RunRecord& r : *recent) {
    if (r.run_id == run_.run_id || (r.state != "success" && r.state != "failed")) continue;
    if (r.ended_at > run_.ended_at) continue;  // ended after this one: not before it
    if (r.state == "failed") {
      event.kind = "recovery";
      return EnqueueAlert(store_, event, routes);
    }
    return Status::Ok();
  }
  return Status::Ok();
}

std::string RunDriver::OutputPath(size_t task) const {
  return TaskOutputPath(settings_.home, run_.run_id, dag_->tasks[task].id);
}

void RunDriver::Notify(size_t task) {
  progress_[task].state = TaskStatusName(planner_.status(task));
  if (observer_ != nullptr) observer_->OnTaskChanged(progress_[task]);
}

Status RunDriver::Start(bool already_recorded) {
  run_.state = "running";
  run_.started_at = Now();
  // Before the run is recorded running, so a failure leaves no run stuck "running".
  if (Status s = LockRun(); !s.ok()) return s;
  if (already_recorded) {
    if (Status s = store_.UpdateRunState(run_.run_id, "running", run_.started_at); !s.ok()) {
      return s;
    }
    // A queued run may have run before and been cleared (`sluice tasks clear`): its tasks
    // go on from their recorded states, with their attempt numbers.
    started_from_queue_ = true;
    return Resume();
  }
  if (Status s = store_.CreateRun(run_, dag_->TaskIds()); !s.ok()) return s;
  ArmTimersAndAnnounce();
  return Status::Ok();
}

void RunDriver::ArmTimersAndAnnounce() {
  if (dag_->run_timeout) run_deadline_ = SteadyTimeOf(run_.started_at) + *dag_->run_timeout;
  ArmSlas();
  if (observer_ != nullptr) observer_->OnRunStarted(run_, progress_);
}

void RunDriver::ArmSlas() {
  task_sla_at_.clear();
  // A backfill covers intervals long past on purpose, and a re-run by hand comes after the
  // run's time on purpose: neither is late.
  if (dag_->sla && run_.trigger != "backfill" && !rerun_) {
    const std::string& base = run_.logical_date.empty() ? run_.created_at : run_.logical_date;
    run_sla_at_ = SteadyTimeOf(base) + *dag_->sla;
  }
  for (size_t t = 0; t < dag_->tasks.size(); ++t) {
    if (dag_->tasks[t].sla) task_sla_at_[t] = SteadyTimeOf(run_.started_at) + *dag_->tasks[t].sla;
  }
  if (!run_sla_at_ && task_sla_at_.empty()) return;
  // After a restart: an SLA already missed was already told.
  AlertFilter filter;
  filter.run_id = run_.run_id;
  Result<std::vector<AlertRecord>> sent = store_.ListAlerts(filter);
  if (!sent.ok()) return;  // told again at worst
  for (const AlertRecord& a : *sent) {
    if (a.kind != "sla_miss") continue;
    if (a.task_id.empty()) {
      run_sla_at_.reset();
    } else if (const auto found = index_.find(a.task_id); found != index_.end()) {
      task_sla_at_.erase(found->second);
    }
  }
}

void RunDriver::CheckSlas() {
  if (!run_sla_at_ && task_sla_at_.empty()) return;  // on every Advance: keep it free
  const auto now = SteadyClock::now();
  AlertEvent event;
  event.kind = "sla_miss";
  event.dag_id = dag_->id;
  event.run_id = run_.run_id;
  event.logical_date = run_.logical_date;
  event.at = Now();
  if (run_sla_at_ && now >= *run_sla_at_) {
    run_sla_at_.reset();
    if (!planner_.Finished()) {
      event.error = "the run had not ended " + FormatDuration(*dag_->sla) + " after " +
                    (run_.logical_date.empty() ? "it was created" : "its logical date");
      // Nothing else to do about a failure to write it: the run goes on.
      (void)EnqueueAlert(store_, event, AlertRoutes());
    }
  }
  for (auto it = task_sla_at_.begin(); it != task_sla_at_.end();) {
    const size_t t = it->first;
    if (now < it->second) {
      ++it;
      continue;
    }
    it = task_sla_at_.erase(it);
    if (IsTerminal(planner_.status(t))) continue;
    event.task_id = dag_->tasks[t].id;
    event.attempt = attempts_[t];
    event.max_attempts = dag_->tasks[t].retries + 1;
    event.error = "the task had not ended " + FormatDuration(*dag_->tasks[t].sla) +
                  " after its run started";
    (void)EnqueueAlert(store_, event, AlertRoutes());
  }
}

Status RunDriver::LockRun() {
  if (run_lock_) return Status::Ok();
  // The workspace is created once here rather than by every attempt: folder creation is
  // measurable dispatch cost.
  std::error_code ec;
  fs::create_directories(workspace_, ec);
  if (ec) {
    return Status::Error("cannot create the run's workspace " + workspace_ + ": " + ec.message());
  }
  const std::string path = RunLockPath(settings_.home, run_.run_id);
  Result<InstanceLock> lock = InstanceLock::Acquire(path, "process driving run " + run_.run_id);
  if (!lock.ok()) {
    const int64_t holder = InstanceLock::Holder(path);
    return Status::Error("run " + run_.run_id + " is already being run by process " +
                         (holder > 0 ? std::to_string(holder) : std::string("(unknown)")) +
                         "; wait for it to end, or stop that process first");
  }
  run_lock_.emplace(std::move(lock).value());
  return Status::Ok();
}

Status RunDriver::Resume() {
  if (Status s = LockRun(); !s.ok()) return s;
  Result<std::vector<TaskInstanceRecord>> instances = store_.ListTaskInstances(run_.run_id);
  if (!instances.ok()) return instances.status();
  Result<std::vector<AttemptRecord>> attempts = store_.ListAttempts(run_.run_id, "");
  if (!attempts.ok()) return attempts.status();
  rerun_ = started_from_queue_ && !attempts->empty();

  std::vector<TaskStatus> statuses(dag_->tasks.size(), TaskStatus::kPending);
  for (const TaskInstanceRecord& ti : *instances) {
    const auto found = index_.find(ti.task_id);
    if (found == index_.end()) continue;  // the task left the file: nothing to run for it
    statuses[found->second] = StatusFromName(ti.state);
    attempts_[found->second] = ti.attempts;
  }
  // Attempts the previous scheduler left running are settled below, through the same path as
  // any failure; their task stays kRunning until then.
  std::vector<AttemptRecord> orphans;
  for (const AttemptRecord& a : *attempts) {
    const auto found = index_.find(a.task_id);
    if (a.state != "running" || found == index_.end()) continue;
    statuses[found->second] = TaskStatus::kRunning;
    orphans.push_back(a);
  }
  for (size_t t = 0; t < statuses.size(); ++t) {
    // A task recorded running without a running attempt never got its process.
    if (statuses[t] == TaskStatus::kRunning &&
        std::none_of(orphans.begin(), orphans.end(),
                     [&](const AttemptRecord& a) { return a.task_id == dag_->tasks[t].id; })) {
      statuses[t] = TaskStatus::kPending;
    }
  }
  std::vector<size_t> force_ready;
  for (const std::string& id : settings_.force_ready) {
    if (const auto found = index_.find(id); found != index_.end()) force_ready.push_back(found->second);
  }
  const std::vector<size_t> settled = planner_.Restore(statuses, force_ready);
  if (Status s = store_.InTransaction([&] { return RecordSettled(settled, Now()); }); !s.ok()) {
    return s;
  }
  // A retry is due its wait after the failed attempt ended, as if nothing had stopped.
  for (size_t t = 0; t < statuses.size(); ++t) {
    if (planner_.status(t) != TaskStatus::kUpForRetry) continue;
    std::string ended_at;
    for (const AttemptRecord& a : *attempts) {
      if (a.task_id == dag_->tasks[t].id && a.attempt == attempts_[t]) ended_at = a.ended_at;
    }
    retries_.emplace(SteadyTimeOf(ended_at) + RetryWait(dag_->tasks[t], attempts_[t], 0.0), t);
  }
  ArmTimersAndAnnounce();
  for (const AttemptRecord& orphan : orphans) {
    Running r;
    r.task = index_.at(orphan.task_id);
    r.record = orphan;
    r.record.state = "failed";
    r.record.error = "the scheduler stopped while this attempt ran, and its process is gone";
    r.holds_slot = false;
    if (Status s = FinishAttempt(std::move(r), std::nullopt, std::nullopt, 0); !s.ok()) return s;
  }
  return Status::Ok();
}

Status RunDriver::Advance() {
  if (settings_.cancel != nullptr && settings_.cancel->load() && !cancelled_) {
    if (Status s = Cancel(); !s.ok()) return s;
  }
  EnforceDeadlines();
  CheckSlas();
  PromoteDueRetries();
  if (cancelled_ || draining_) return Status::Ok();
  return StartReadyTasks();
}

Status RunDriver::StartReadyTasks() {
  const DagSpec& dag = *dag_;
  const size_t free = slots_.available();
  if (free == 0) return Status::Ok();
  std::vector<size_t> starting = planner_.TakeReadyIf(
      free, [&](size_t task) { return slots_.TryAcquire(dag, dag.tasks[task]); });
  for (size_t task : starting) {
    if (Status s = StartAttempt(task); !s.ok()) return s;
  }
  return Status::Ok();
}

Status RunDriver::StartAttempt(size_t task) {
  const TaskSpec& spec = dag_->tasks[task];
  Running running;
  running.task = task;
  AttemptRecord& rec = running.record;
  rec.run_id = run_.run_id;
  rec.task_id = spec.id;
  rec.attempt = ++attempts_[task];
  rec.state = "running";
  rec.started_at = Now();
  rec.log_path = AttemptLogPath(settings_.home, dag_->id, run_.run_id, spec.id, rec.attempt);

  TaskProgress& p = progress_[task];
  p.attempt = rec.attempt;
  p.rows_in = p.rows_out = p.bytes_out = 0;
  p.started = SteadyClock::now();
  p.log_path = rec.log_path;

  // Recorded before anything is spawned, so a crash never leaves an unrecorded process.
  if (Status s = store_.StartAttempt(rec); !s.ok()) {
    slots_.Release(*dag_, spec);
    return s;
  }
  if (settings_.metrics != nullptr) settings_.metrics->AttemptStarted();
  Notify(task);

  Result<std::string> config = RenderTaskConfig(spec, running.secrets);
  Result<int64_t> pid = Status::Error("");
  if (!config.ok()) {
    pid = Status::Error("cannot render `with:`: " + config.message());
  } else {
    AttemptSpec attempt;
    attempt.dag_id = dag_->id;
    attempt.run_id = run_.run_id;
    attempt.task_id = spec.id;
    attempt.attempt = rec.attempt;
    attempt.plugin = spec.plugin;
    attempt.config_json = *config;
    attempt.workspace_dir = workspace_;
    attempt.output_path = OutputPath(task);
    for (const std::string& up : spec.depends_on) {
      const std::string path = OutputPath(index_.at(up));
      std::error_code ec;
      attempt.inputs.push_back({up, fs::exists(path, ec) ? path : std::string()});
    }
    attempt.plugin_dirs = settings_.plugin_dirs;
    LaunchSpec launch;
    launch.argv = {settings_.task_exec_binary, "task-exec"};
    launch.stdin_data = EncodeAttemptSpec(attempt);
    launch.log_path = rec.log_path;
    pid = launcher_.Launch(launch);
  }
  if (!pid.ok()) {
    rec.state = "failed";
    rec.ended_at = Now();
    rec.error = pid.message();
    return FinishAttempt(std::move(running), std::nullopt, std::nullopt, 0);
  }
  rec.pid = *pid;
  if (spec.timeout) running.deadline = SteadyClock::now() + *spec.timeout;
  const AttemptRecord started = rec;
  running_.emplace(*pid, std::move(running));
  // For a restarted scheduler to make sure the process is gone (SchedulerDaemon).
  return store_.SetAttemptPid(started.run_id, started.task_id, started.attempt, started.pid);
}

// The task's `with:` with templates rendered; an incremental task's {{ watermark }} is the
// DAG's committed watermark, or the declared initial value before the first success.
Result<std::string> RunDriver::RenderTaskConfig(const TaskSpec& spec,
                                                std::vector<std::string>& secrets) {
  if (!spec.watermark) return RenderConfigJson(spec.with_json, prepared_.values, &secrets);
  Result<std::optional<WatermarkRecord>> stored = store_.GetWatermark(dag_->id, spec.id);
  if (!stored.ok()) return stored.status();
  TemplateValues values = prepared_.values;
  values.watermark = stored->has_value() ? (*stored)->value : spec.watermark->initial;
  return RenderConfigJson(spec.with_json, values, &secrets);
}

Status RunDriver::Handle(const ProcessEvent& event) {
  auto it = running_.find(event.pid);
  if (it == running_.end()) return Status::Ok();
  Running& r = it->second;
  for (const std::string& line : event.report_lines) {
    if (auto report = DecodeAttemptReport(line)) r.last_report = *report;
  }
  TaskProgress& p = progress_[r.task];
  p.rows_in = r.last_report.rows_in;
  p.rows_out = r.last_report.rows_out;
  p.bytes_out = r.last_report.bytes_out;
  if (!event.exited) {
    if (observer_ != nullptr) observer_->OnTaskChanged(p);
    return Status::Ok();
  }
  Running done = std::move(r);
  running_.erase(it);
  if (!event.launcher_error.empty()) {
    done.record.state = "failed";
    done.record.error = event.launcher_error;
  }
  return FinishAttempt(std::move(done), event.exit_code, event.term_signal, event.peak_rss_kb);
}

Status RunDriver::FinishAttempt(Running running, const std::optional<int>& exit_code,
                                const std::optional<int>& term_signal, int64_t peak_rss_kb) {
  const size_t task = running.task;
  const TaskSpec& spec = dag_->tasks[task];
  if (running.holds_slot) slots_.Release(*dag_, spec);
  AttemptRecord& rec = running.record;
  const AttemptReport& report = running.last_report;
  rec.ended_at = Now();
  rec.exit_code = exit_code;
  rec.term_signal = term_signal;
  rec.peak_rss_kb = peak_rss_kb;
  rec.rows_in = report.rows_in;
  rec.rows_out = report.rows_out;
  rec.bytes_out = report.bytes_out;

  bool ok = false;
  if (!rec.error.empty()) {
    // rec.error already says why it could not start, or why its outcome is unknown.
  } else if (running.timed_out) {
    rec.state = "timed_out";
    rec.error = "timed out after " + DescribeDuration(*spec.timeout);
  } else if (running.cancelled && run_timed_out_) {
    rec.state = "timed_out";
    rec.error = "the run reached its run_timeout of " + DescribeDuration(*dag_->run_timeout);
  } else if (running.cancelled) {
    rec.error = "cancelled: the run was interrupted";
  } else if (running.interrupted) {
    rec.error = "interrupted: the scheduler was stopped while this attempt ran";
  } else if (report.exec && !report.done) {
    // The process became the plugin's command: its exit status is the outcome.
    ok = exit_code == 0;
    if (term_signal) {
      rec.error = "command was killed by " + DescribeSignal(*term_signal);
    } else if (!ok) {
      rec.error = "command exited with code " + std::to_string(exit_code.value_or(-1));
    }
  } else if (term_signal) {
    rec.error = "the attempt's process was killed by " + DescribeSignal(*term_signal) +
                " — the plugin crashed; see the attempt's log";
  } else if (report.done) {
    ok = report.ok && exit_code == 0;
    if (!ok) rec.error = report.error.empty() ? "failed" : report.error;
  } else {
    rec.error = "the attempt's process exited with code " +
                std::to_string(exit_code.value_or(-1)) +
                " before reporting a result — the plugin called exit(); see the attempt's log";
  }
  if (rec.state == "running") rec.state = ok ? "success" : "failed";
  if (!running.secrets.empty()) {
    // Values that came from the environment may be credentials: keep them out of what
    // people read. (The command line of a shell task is visible to `ps` while it runs.)
    rec.error = Redact(rec.error, running.secrets);
    if (Status s = RedactFile(rec.log_path, running.secrets); !s.ok()) {
      rec.error += (rec.error.empty() ? "" : "; ") + s.message();
    }
  }

  std::optional<std::string> new_watermark;
  if (ok && spec.watermark) {
    Result<std::optional<std::string>> max = MaxColumnValue(OutputPath(task), spec.watermark->column);
    if (max.ok()) {
      new_watermark = *max;
    } else {
      ok = false;
      rec.state = "failed";
      rec.error = max.message();
    }
  }

  TaskProgress& p = progress_[task];
  p.ended = SteadyClock::now();
  p.error = rec.error;
  if (settings_.metrics != nullptr) {
    settings_.metrics->AttemptFinished(dag_->id, spec.id, rec.state,
                                       std::chrono::duration<double>(p.ended - p.started).count());
  }
  if (ok) {
    const std::vector<size_t> settled = planner_.Succeeded(task);
    const std::string at = Now();
    Status s = store_.InTransaction([&]() -> Status {
      if (Status f = store_.FinishAttempt(rec, "success"); !f.ok()) return f;
      if (new_watermark) {  // no rows: the watermark stays
        if (Status w = store_.SetPendingWatermark(run_.run_id, spec.id, *new_watermark); !w.ok()) {
          return w;
        }
      }
      return RecordSettled(settled, at);
    });
    if (!s.ok()) return s;
    NotifyEnded(task, settled);
    return Status::Ok();
  }
  if (!cancelled_ && MayRetry(spec, attempts_[task], exit_code, running.timed_out)) {
    planner_.WaitForRetry(task);
    const Duration wait = RetryWait(spec, attempts_[task], UnitRandom());
    retries_.emplace(SteadyClock::now() + wait, task);
    const std::string next_attempt_at = FormatUtc(std::chrono::system_clock::now() + wait);
    Status s = store_.InTransaction([&]() -> Status {
      if (Status f = store_.FinishAttempt(rec, "up_for_retry"); !f.ok()) return f;
      return EnqueueTaskAlert("retry", rec, next_attempt_at);
    });
    if (!s.ok()) return s;
    Notify(task);
    return Status::Ok();
  }
  const std::vector<size_t> settled = planner_.Failed(task);
  const std::string at = Now();
  Status s = store_.InTransaction([&]() -> Status {
    if (Status f = store_.FinishAttempt(rec, "failed"); !f.ok()) return f;
    // An interrupted run (Ctrl-C, a stopping scheduler) is not a failure worth a page.
    if (!cancelled_ || run_timed_out_) {
      if (Status a = EnqueueTaskAlert("failure", rec, ""); !a.ok()) return a;
    }
    return RecordSettled(settled, at);
  });
  if (!s.ok()) return s;
  NotifyEnded(task, settled);
  return Status::Ok();
}

Status RunDriver::RecordSettled(const std::vector<size_t>& settled, const std::string& at) {
  for (size_t t : settled) {
    const char* state = TaskStatusName(planner_.status(t));
    if (Status s = store_.SetTaskState(run_.run_id, dag_->tasks[t].id, state, at); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

void RunDriver::NotifyEnded(size_t task, const std::vector<size_t>& settled) {
  Notify(task);
  for (size_t t : settled) {
    progress_[t].ended = SteadyClock::now();
    Notify(t);
  }
}

void RunDriver::PromoteDueRetries() {
  if (draining_) return;
  const auto now = SteadyClock::now();
  while (!retries_.empty() && retries_.begin()->first <= now) {
    const size_t task = retries_.begin()->second;
    retries_.erase(retries_.begin());
    planner_.RetryNow(task);
    Notify(task);
  }
}

void RunDriver::EnforceDeadlines() {
  const auto now = SteadyClock::now();
  if (run_deadline_ && now >= *run_deadline_ && !cancelled_ && !planner_.Finished()) {
    run_timed_out_ = true;
    // A failure to record the cancelled tasks comes back at the next transition.
    (void)Cancel();
  }
  for (auto& [pid, r] : running_) {
    if (r.kill_at && now >= *r.kill_at) {
      launcher_.Kill(pid, SIGKILL);
      r.kill_at.reset();
    } else if (r.deadline && now >= *r.deadline && !r.timed_out) {
      r.timed_out = true;
      launcher_.Kill(pid, SIGTERM);
      r.kill_at = now + settings_.kill_grace;
    }
  }
}

Status RunDriver::Cancel() {
  cancelled_ = true;
  const auto now = SteadyClock::now();
  for (auto& [pid, r] : running_) {
    r.cancelled = true;
    launcher_.Kill(pid, SIGTERM);
    r.kill_at = now + settings_.kill_grace;
    r.deadline.reset();
  }
  retries_.clear();
  const std::vector<size_t> cancelled = planner_.CancelNotStarted();
  const std::string at = Now();
  Status s = store_.InTransaction([&]() -> Status {
    for (size_t t : cancelled) {
      if (Status c = store_.SetTaskState(run_.run_id, dag_->tasks[t].id, "cancelled", at);
          !c.ok()) {
        return c;
      }
    }
    return Status::Ok();
  });
  for (size_t t : cancelled) Notify(t);
  return s;
}

void RunDriver::Drain(bool terminate_running) {
  draining_ = true;
  if (!terminate_running) return;
  const auto now = SteadyClock::now();
  for (auto& [pid, r] : running_) {
    if (r.interrupted) continue;
    r.interrupted = true;
    launcher_.Kill(pid, SIGTERM);
    r.kill_at = now + settings_.kill_grace;
    r.deadline.reset();
  }
}

std::optional<SteadyClock::time_point> RunDriver::NextWakeup() const {
  std::optional<SteadyClock::time_point> next;
  auto consider = [&next](SteadyClock::time_point t) {
    if (!next || t < *next) next = t;
  };
  if (!retries_.empty() && !draining_) consider(retries_.begin()->first);
  if (run_deadline_ && !cancelled_ && !draining_) consider(*run_deadline_);
  if (run_sla_at_) consider(*run_sla_at_);
  for (const auto& [task, at] : task_sla_at_) {
    if (!IsTerminal(planner_.status(task))) consider(at);
  }
  for (const auto& [pid, r] : running_) {
    if (r.deadline && !r.timed_out) consider(*r.deadline);
    if (r.kill_at) consider(*r.kill_at);
  }
  return next;
}

size_t RunDriver::tasks_waiting_for_slot() const {
  size_t waiting = 0;
  for (size_t task = 0; task < dag_->tasks.size(); ++task) {
    waiting += planner_.status(task) == TaskStatus::kReady ? 1 : 0;
  }
  return waiting;
}

Result<RunRecord> RunDriver::Complete() {
  run_.state = planner_.RunSucceeded() ? "success" : "failed";
  run_.ended_at = Now();
  // Watermarks advance with the run's success in one transaction: a failed run leaves them
  // where they were, so its rows are extracted again by the next run.
  Status finished = store_.InTransaction([&]() -> Status {
    if (Status s = store_.UpdateRunState(run_.run_id, run_.state, run_.ended_at); !s.ok()) return s;
    if (Status s = EnqueueRunAlerts(); !s.ok()) return s;
    if (run_.state != "success") return Status::Ok();
    return store_.CommitWatermarks(run_.run_id, run_.ended_at);
  });
  if (!finished.ok()) return finished;
  if (settings_.metrics != nullptr) settings_.metrics->RunFinished(dag_->id, run_.state);
  if (observer_ != nullptr) observer_->OnRunFinished(run_);
  return run_;
}

std::string WorkspacePath(const std::string& home, const std::string& run_id) {
  return (fs::path(home) / "workspaces" / run_id).string();
}

std::string TaskOutputPath(const std::string& home, const std::string& run_id,
                           const std::string& task_id) {
  return (fs::path(WorkspacePath(home, run_id)) / (task_id + ".sds")).string();
}

std::string RunLockPath(const std::string& home, const std::string& run_id) {
  return (fs::path(WorkspacePath(home, run_id)) / ".driver.lock").string();
}

std::string AttemptLogPath(const std::string& home, const std::string& dag_id,
                           const std::string& run_id, const std::string& task_id, int attempt) {
  // One folder per run, not per task: creating folders is a measurable part of dispatch.
  return (fs::path(home) / "logs" / dag_id / run_id /
          (task_id + "." + std::to_string(attempt) + ".log"))
      .string();
}

}  // namespace sluice
