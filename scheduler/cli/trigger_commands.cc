// `sluice dags trigger | pause | unpause | backfill`: rows in the state database that the
// running scheduler notices within a second (it watches the database for other writers).
#include <iostream>

#include "runtime/instance_lock.h"
#include "runtime/time_format.h"
#include "scheduler/backfill.h"
#include "scheduler/cli/commands.h"
#include "scheduler/dag_folder.h"
#include "scheduler/run_request.h"

namespace sluice::cli {
namespace {

// A DAG that loads; prints its problems otherwise.
std::optional<DagSpec> LoadValidDag(CliContext& ctx, const std::string& dag) {
  auto resolved = ResolveDag(dag, ctx.dags_dir(), ctx.plugins());
  if (!resolved.ok()) {
    PrintError(resolved.message());
    return std::nullopt;
  }
  if (!resolved->dag) {
    for (const Diagnostic& d : resolved->diagnostics) std::cerr << d.ToString() << "\n";
    PrintError("DAG file has " + std::to_string(resolved->diagnostics.size()) +
               " problem(s); fix them first");
    return std::nullopt;
  }
  return resolved->dag;
}

// Tells the user when no scheduler will pick the change up.
void NoteWhenNoScheduler(CliContext& ctx, const std::string& what) {
  if (InstanceLock::Holder(ctx.database_path() + ".lock") != 0) return;
  std::cerr << "note: no scheduler is running on " << ctx.home() << "; " << what
            << " when `sluice scheduler` starts\n";
}

std::optional<std::vector<std::pair<std::string, std::string>>> ParseParams(
    const std::vector<std::string>& args) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& arg : args) {
    auto kv = ParseParamArgument(arg);
    if (!kv.ok()) {
      PrintError(kv.message());
      return std::nullopt;
    }
    out.push_back(*kv);
  }
  return out;
}

Status CreateQueuedRun(StateStore& store, const DagSpec& dag, const PreparedRun& prepared) {
  const std::vector<std::string> task_ids = dag.TaskIds();
  return store.CreateRun(prepared.record, task_ids);
}

}  // namespace

int DagsTriggerCommand(CliContext& ctx, const TriggerOptions& options) {
  std::optional<DagSpec> dag = LoadValidDag(ctx, options.dag);
  if (!dag) return kExitInvalid;
  auto overrides = ParseParams(options.params);
  if (!overrides) return kExitInvalid;
  RunRequest request;
  request.overrides = *overrides;
  Result<PreparedRun> prepared = PrepareRun(*dag, request, std::chrono::system_clock::now());
  if (!prepared.ok()) {
    PrintError(prepared.message());
    return kExitInvalid;
  }
  Result<StateStore*> store = ctx.store();
  if (!store.ok()) {
    PrintError(store.message());
    return kExitFailed;
  }
  if (Status s = CreateQueuedRun(**store, *dag, *prepared); !s.ok()) {
    PrintError(s.message());
    return kExitFailed;
  }
  std::cout << prepared->record.run_id << "\n";
  if (Result<std::vector<DagControlRecord>> controls = (*store)->ListDagControls(); controls.ok()) {
    for (const DagControlRecord& c : *controls) {
      if (c.dag_id == dag->id && c.paused) {
        std::cerr << "note: " << dag->id << " is paused: the run waits until `sluice dags unpause "
                  << dag->id << "`\n";
      }
    }
  }
  NoteWhenNoScheduler(ctx, "the run stays queued and starts");
  return kExitOk;
}

int DagsPauseCommand(CliContext& ctx, const std::string& dag_id, bool paused) {
  auto resolved = ResolveDag(dag_id, ctx.dags_dir(), ctx.plugins());
  if (!resolved.ok()) {
    PrintError(resolved.message());
    return kExitInvalid;
  }
  // A broken file can be paused too: it stays paused once fixed.
  const std::string id = resolved->dag ? resolved->dag->id : resolved->dag_id;
  Result<StateStore*> store = ctx.store();
  if (!store.ok()) {
    PrintError(store.message());
    return kExitFailed;
  }
  if (Status s = (*store)->SetDagPaused(id, paused, FormatUtc(std::chrono::system_clock::now()));
      !s.ok()) {
    PrintError(s.message());
    return kExitFailed;
  }
  std::cout << id << (paused ? " paused: no new runs until `sluice dags unpause " + id + "`"
                             : " unpaused")
            << "\n";
  return kExitOk;
}

int DagsBackfillCommand(CliContext& ctx, const BackfillOptions& options) {
  std::optional<DagSpec> dag = LoadValidDag(ctx, options.dag);
  if (!dag) return kExitInvalid;
  auto overrides = ParseParams(options.params);
  if (!overrides) return kExitInvalid;
  BackfillRequest request;
  request.from = options.from;
  request.to = options.to;
  request.overrides = *overrides;
  request.max_runs = options.max_runs;
  Result<std::vector<PreparedRun>> runs = PlanBackfill(*dag, request, std::chrono::system_clock::now());
  if (!runs.ok()) {
    PrintError(runs.message());
    return kExitInvalid;
  }
  Result<StateStore*> store = ctx.store();
  if (!store.ok()) {
    PrintError(store.message());
    return kExitFailed;
  }
  if (Status s = QueueBackfill(**store, *dag, *runs); !s.ok()) {
    PrintError(s.message());
    return kExitFailed;
  }
  std::cout << runs->size() << " backfill run(s) of " << dag->id << " queued, "
            << runs->front().values.logical_date << " to " << runs->back().values.logical_date
            << "; they start oldest first, " << dag->max_active_runs << " at a time\n";
  NoteWhenNoScheduler(ctx, "they stay queued and start");
  return kExitOk;
}

}  // namespace sluice::cli
