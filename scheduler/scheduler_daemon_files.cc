// The scheduler's DAG files: the registry's changes recorded in dag_files (with the
// dag_broken alert), the periodic rescan, the file triggers, and each scheduled DAG's clock.
#include "scheduler/scheduler_daemon_internal.h"

namespace sluice::daemon {

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

}  // namespace sluice::daemon
