// Manual re-runs: `sluice tasks clear`, `sluice runs retry` (both queue a finished run's
// chosen tasks again), `sluice tasks run` (one task of a finished run, now, in the
// foreground) and `sluice runs resume` (drives a queued or orphaned run in the foreground
// when no scheduler is there to do it).
#include <iostream>

#include "runtime/instance_lock.h"
#include "scheduler/cli/rerun_commands.h"
#include "scheduler/run_clear.h"
#include "scheduler/suggest.h"

namespace sluice::cli {
namespace {

// The recorded run `run_id`, or nullopt after saying why not.
std::optional<RunRecord> FindRun(StateStore& store, const std::string& run_id) {
  Result<std::optional<RunRecord>> run = store.GetRun(run_id);
  if (!run.ok()) {
    PrintError(run.message());
    return std::nullopt;
  }
  if (!run->has_value()) {
    PrintError("no run " + run_id + "; `sluice runs list` shows the runs");
    return std::nullopt;
  }
  return **run;
}

// What every verb here starts from: the store, the recorded run and its DAG as the folder has
// it now.
struct RunAndDag {
  StateStore* store = nullptr;
  RunRecord run;
  DagLoadResult loaded;
  const DagSpec& dag() const { return *loaded.dag; }
};

// Opens them, or prints why not and sets `exit_code`.
std::optional<RunAndDag> OpenRunAndDag(CliContext& ctx, const std::string& run_id, int& exit_code) {
  auto store = ctx.store();
  if (!store.ok()) {
    PrintError(store.message());
    exit_code = kExitFailed;
    return std::nullopt;
  }
  exit_code = kExitInvalid;
  std::optional<RunRecord> run = FindRun(**store, run_id);
  if (!run) return std::nullopt;
  std::optional<DagLoadResult> loaded = LoadDagOrReport(ctx, run->dag_id);
  if (!loaded) return std::nullopt;
  return RunAndDag{*store, std::move(*run), std::move(*loaded)};
}

// Who will run a queued run: the scheduler when one is running, else the user.
std::string WhoRunsIt(CliContext& ctx, const std::string& run_id) {
  const int64_t scheduler = InstanceLock::Holder(ctx.database_path() + ".lock");
  if (scheduler != 0) {
    return "the scheduler (pid " + std::to_string(scheduler) + ") will run them within a second";
  }
  return "no scheduler is running: `sluice runs resume " + run_id + "` runs them now";
}

int Clear(CliContext& ctx, StateStore& store, const DagSpec& dag, const RunRecord& run,
          const std::vector<std::string>& tasks) {
  if (Status s = CheckUpstreamOutputsKept(ctx.home(), dag, run, tasks); !s.ok()) {
    PrintError(s.message());
    return kExitInvalid;
  }
  if (Status s = ClearRunTasks(store, run.run_id, tasks); !s.ok()) {
    PrintError(s.message());
    return kExitFailed;
  }
  std::cout << "cleared " << tasks.size() << (tasks.size() == 1 ? " task" : " tasks")
            << " of run " << run.run_id << ": " << JoinNames(tasks, 50) << "\n"
            << WhoRunsIt(ctx, run.run_id) << "\n";
  return kExitOk;
}

}  // namespace

int TasksClearCommand(CliContext& ctx, const ClearOptions& options) {
  int exit_code = kExitOk;
  const std::optional<RunAndDag> opened = OpenRunAndDag(ctx, options.run_id, exit_code);
  if (!opened) return exit_code;
  ClearSelection selection;
  selection.task_ids = options.task_ids;
  selection.downstream = options.downstream;
  selection.upstream = options.upstream;
  Result<std::vector<std::string>> tasks = SelectTasks(opened->dag(), selection);
  if (!tasks.ok()) {
    PrintError(tasks.message());
    return kExitInvalid;
  }
  return Clear(ctx, *opened->store, opened->dag(), opened->run, *tasks);
}

int RunsRetryCommand(CliContext& ctx, const std::string& run_id) {
  int exit_code = kExitOk;
  const std::optional<RunAndDag> opened = OpenRunAndDag(ctx, run_id, exit_code);
  if (!opened) return exit_code;
  Result<std::vector<TaskInstanceRecord>> instances = opened->store->ListTaskInstances(run_id);
  if (!instances.ok()) {
    PrintError(instances.message());
    return kExitFailed;
  }
  const std::vector<std::string> tasks = TasksToRetry(opened->dag(), *instances);
  if (tasks.empty()) {
    std::cout << "run " << run_id << " has no failed, upstream_failed or cancelled task: "
              << "nothing to retry\n";
    return kExitOk;
  }
  return Clear(ctx, *opened->store, opened->dag(), opened->run, tasks);
}

int TasksRunCommand(CliContext& ctx, const TaskRunOptions& options) {
  int exit_code = kExitOk;
  const std::optional<RunAndDag> opened = OpenRunAndDag(ctx, options.run_id, exit_code);
  if (!opened) return exit_code;
  const RunRecord& run = opened->run;
  StateStore& store = *opened->store;
  Result<PreparedRun> prepared = PrepareRecordedRun(opened->dag(), run);
  if (!prepared.ok()) {
    PrintError(prepared.message());
    return kExitInvalid;
  }
  if (Status s = CheckUpstreamOutputsKept(ctx.home(), opened->dag(), run, {options.task_id});
      !s.ok()) {
    PrintError(s.message());
    return kExitInvalid;
  }
  if (Status s = PrepareTaskRun(store, opened->dag(), run.run_id, options.task_id,
                                options.ignore_deps);
      !s.ok()) {
    PrintError(s.message());
    return kExitInvalid;
  }
  // The run is recorded running now, from now: read back, so that its run_timeout and SLAs
  // count from this start, not the first one. The driver takes it up like a run whose process
  // died, with only this task pending (its tasks after it keep their states: `tasks clear
  // --downstream` runs those too).
  const std::optional<RunRecord> restarted = FindRun(store, run.run_id);
  if (!restarted) return kExitFailed;
  prepared = PrepareRecordedRun(opened->dag(), *restarted);
  if (!prepared.ok()) {
    PrintError(prepared.message());
    return kExitFailed;
  }
  ForegroundOptions foreground = options.foreground;
  if (options.ignore_deps) foreground.force_ready = {options.task_id};
  RunInForeground(ctx, opened->dag(), *prepared, foreground, RunStart::kResume);
  // The exit code is the task's outcome: the run may stay failed for its other tasks.
  Result<std::vector<TaskInstanceRecord>> instances = store.ListTaskInstances(run.run_id);
  if (!instances.ok()) {
    PrintError(instances.message());
    return kExitFailed;
  }
  for (const TaskInstanceRecord& ti : *instances) {
    if (ti.task_id == options.task_id) return ti.state == "success" ? kExitOk : kExitFailed;
  }
  return kExitFailed;
}

int RunsResumeCommand(CliContext& ctx, const ResumeOptions& options) {
  const std::string lock_path = ctx.database_path() + ".lock";
  if (const int64_t scheduler = InstanceLock::Holder(lock_path); scheduler != 0) {
    PrintError("a scheduler is running (pid " + std::to_string(scheduler) +
               "): it runs queued runs itself; `sluice runs show " + options.run_id +
               "` follows the run");
    return kExitFailed;
  }
  // Held while the run goes on, so that no scheduler starts meanwhile and adopts the run.
  Result<InstanceLock> lock = InstanceLock::Acquire(lock_path, "sluice scheduler or runs resume");
  if (!lock.ok()) {
    PrintError(lock.message());
    return kExitFailed;
  }
  int exit_code = kExitOk;
  const std::optional<RunAndDag> opened = OpenRunAndDag(ctx, options.run_id, exit_code);
  if (!opened) return exit_code;
  const RunRecord& run = opened->run;
  if (run.state != "queued" && run.state != "running") {
    PrintError("run " + run.run_id + " has ended (" + run.state + "); `sluice runs retry " +
               run.run_id + "` or `sluice tasks clear` queues tasks of it again");
    return kExitInvalid;
  }
  Result<PreparedRun> prepared = PrepareRecordedRun(opened->dag(), run);
  if (!prepared.ok()) {
    PrintError(prepared.message());
    return kExitInvalid;
  }
  // A "running" run with no scheduler holding the lock lost its driver (a `sluice run` or a
  // scheduler that was killed); its attempts died with their attempt server.
  const RunStart how = run.state == "queued" ? RunStart::kQueued : RunStart::kResume;
  return RunInForeground(ctx, opened->dag(), *prepared, options.foreground, how);
}

}  // namespace sluice::cli
