// /api/v1/runs: runs, one run with its tasks, a task instance with its attempts and its
// output's first rows, clear and retry (scheduler/run_clear.h, as `sluice tasks clear` and `sluice runs retry`), and alerts.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <variant>

#include "runtime/data_inspect.h"
#include "runtime/state_store.h"
#include "scheduler/api/api_internal.h"
#include "scheduler/record_json.h"
#include "scheduler/run_clear.h"
#include "scheduler/run_driver.h"

namespace sluice::api {
namespace {

// A task output's preview: its first rows, enough to see what the task made.
constexpr int kOutputRowsShown = 20;
constexpr int kOutputRowsMax = 1000;

HttpResponse UnknownRun(const std::string& run_id) {
  return ErrorResponse(404, "no run '" + run_id + "' — GET /api/v1/runs lists them");
}

// The run, or a response saying why not.
std::optional<RunRecord> FindRun(StateStore& store, const std::string& run_id,
                                 HttpResponse& error) {
  Result<std::optional<RunRecord>> run = store.GetRun(run_id);
  if (!run.ok()) {
    error = StoreError(run.message());
    return std::nullopt;
  }
  if (!*run) {
    error = UnknownRun(run_id);
    return std::nullopt;
  }
  return **run;
}

// The tasks a clear or retry chose, or why it refuses.
using ChosenTasks = std::variant<std::vector<std::string>, HttpResponse>;
using TaskChooser =
    std::function<ChosenTasks(StateStore&, const RunRecord&, const DagSpec&)>;

// What clear and retry share: the finished run `run_id` and its DAG as the scheduler has it
// loaded now (clearing needs its dependencies); `choose` picks the tasks, which go back to
// pending and the run to queued (run_clear.h).
HttpResponse ClearChosenTasks(Context& ctx, const std::string& run_id, const TaskChooser& choose) {
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  HttpResponse error;
  std::optional<RunRecord> run = FindRun(**store, run_id, error);
  if (!run) return error;
  // Queued or running: its tasks are being decided now; clearing would race the scheduler.
  if (run->state == "queued" || run->state == "running") {
    return ErrorResponse(409, "run " + run_id + " is " + run->state +
                                  "; clear or retry it once it has finished");
  }
  std::optional<DagBoardEntry> entry = ctx.settings.board->Find(run->dag_id);
  if (!entry) {
    return ErrorResponse(409, "DAG '" + run->dag_id +
                                  "' is not loaded (its file is broken or gone) — fix it first");
  }
  ChosenTasks chosen = choose(**store, *run, entry->dag->spec);
  if (auto* refused = std::get_if<HttpResponse>(&chosen)) return *refused;
  const auto& tasks = std::get<std::vector<std::string>>(chosen);
  if (Status kept = CheckUpstreamOutputsKept(ctx.settings.home, entry->dag->spec, *run, tasks);
      !kept.ok()) {
    return ErrorResponse(409, kept.message());
  }
  // ClearRunTasks checks the run's state again in its transaction: it may have been queued
  // (by another clear) since.
  if (Status s = ClearRunTasks(**store, run_id, tasks); !s.ok()) {
    return ErrorResponse(409, s.message());
  }
  return JsonResponse(200, {{"run_id", run_id}, {"cleared", tasks}, {"state", "queued"}});
}

}  // namespace

HttpResponse ListRuns(Context& ctx, const HttpRequest& request, const PathParams&) {
  HttpResponse error;
  std::optional<int> limit = LimitParam(request, 50, 1000, error);
  if (!limit) return error;
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  Result<std::vector<RunRecord>> runs = (*store)->ListRuns(request.Query("dag_id"), *limit);
  if (!runs.ok()) return StoreError(runs.message());
  json out = json::array();
  for (const RunRecord& r : *runs) out.push_back(RunJson(r));
  return JsonResponse(200, {{"runs", std::move(out)}});
}

HttpResponse GetRun(Context& ctx, const HttpRequest&, const PathParams& params) {
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  HttpResponse error;
  std::optional<RunRecord> run = FindRun(**store, params.at("run_id"), error);
  if (!run) return error;
  Result<std::vector<TaskInstanceRecord>> tasks = (*store)->ListTaskInstances(run->run_id);
  if (!tasks.ok()) return StoreError(tasks.message());
  const std::optional<DagBoardEntry> entry = ctx.settings.board->Find(run->dag_id);
  json out = RunJson(*run);
  out["tasks"] = json::array();
  for (const TaskInstanceRecord& t : *tasks) {
    const TaskSpec* spec = entry ? entry->dag->spec.FindTask(t.task_id) : nullptr;
    out["tasks"].push_back({{"task_id", t.task_id},
                            {"state", t.state},
                            {"attempts", t.attempts},
                            {"started_at", t.started_at},
                            {"ended_at", t.ended_at},
                            {"depends_on", spec ? json(spec->depends_on) : json::array()}});
  }
  return JsonResponse(200, out);
}

HttpResponse GetTaskInstance(Context& ctx, const HttpRequest&, const PathParams& params) {
  const std::string& run_id = params.at("run_id");
  const std::string& task_id = params.at("task_id");
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  HttpResponse error;
  std::optional<RunRecord> run = FindRun(**store, run_id, error);
  if (!run) return error;
  Result<std::vector<TaskInstanceRecord>> tasks = (*store)->ListTaskInstances(run_id);
  if (!tasks.ok()) return StoreError(tasks.message());
  for (const TaskInstanceRecord& t : *tasks) {
    if (t.task_id != task_id) continue;
    Result<std::vector<AttemptRecord>> attempts = (*store)->ListAttempts(run_id, task_id);
    if (!attempts.ok()) return StoreError(attempts.message());
    json out = {{"run_id", run_id}, {"dag_id", run->dag_id}, {"task_id", task_id},
                {"state", t.state}, {"started_at", t.started_at}, {"ended_at", t.ended_at},
                {"attempts", json::array()}};
    for (const AttemptRecord& a : *attempts) {
      json aj = AttemptJson(a);
      aj.erase("log_path");  // a path on the scheduler's machine; the log has its own URL
      out["attempts"].push_back(std::move(aj));
    }
    return JsonResponse(200, out);
  }
  return ErrorResponse(404, "run " + run_id + " has no task '" + task_id + "'");
}

HttpResponse GetTaskOutput(Context& ctx, const HttpRequest& request, const PathParams& params) {
  const std::string& run_id = params.at("run_id");
  const std::string& task_id = params.at("task_id");
  HttpResponse error;
  std::optional<int> limit = LimitParam(request, kOutputRowsShown, kOutputRowsMax, error);
  if (!limit) return error;
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  std::optional<RunRecord> run = FindRun(**store, run_id, error);
  if (!run) return error;
  Result<std::vector<TaskInstanceRecord>> tasks = (*store)->ListTaskInstances(run_id);
  if (!tasks.ok()) return StoreError(tasks.message());
  // The file's name comes from a task the run has, never from the request alone.
  const bool known = std::any_of(tasks->begin(), tasks->end(),
                                 [&](const TaskInstanceRecord& t) { return t.task_id == task_id; });
  if (!known) return ErrorResponse(404, "run " + run_id + " has no task '" + task_id + "'");
  const std::string path = TaskOutputPath(ctx.settings.home, run_id, task_id);
  if (!std::filesystem::exists(path)) {
    return ErrorResponse(404, "task '" + task_id + "' of run " + run_id +
                                  " has no output: it writes no dataset, has not succeeded yet, "
                                  "or workspace_retention removed the run's workspace");
  }
  Result<json> preview = DatasetPreview(path, *limit);
  if (!preview.ok()) return ErrorResponse(500, preview.message());
  json out = std::move(preview).value();
  out["run_id"] = run_id;
  out["task_id"] = task_id;
  return JsonResponse(200, out);
}

HttpResponse ClearRun(Context& ctx, const HttpRequest& request, const PathParams& params) {
  HttpResponse error;
  std::optional<json> body = JsonBody(request, error);
  if (!body) return error;
  ClearSelection selection;
  for (const auto& [name, value] : body->items()) {
    if (name == "task_ids" && value.is_array()) {
      for (const json& id : value) {
        if (!id.is_string()) return ErrorResponse(400, "\"task_ids\" must be a list of task ids");
        selection.task_ids.push_back(id.get<std::string>());
      }
    } else if (name == "downstream" && value.is_boolean()) {
      selection.downstream = value.get<bool>();
    } else if (name == "upstream" && value.is_boolean()) {
      selection.upstream = value.get<bool>();
    } else {
      return ErrorResponse(400, "unexpected field '" + name +
                                    "' — send {\"task_ids\": [...], \"downstream\": bool, "
                                    "\"upstream\": bool}");
    }
  }
  if (selection.task_ids.empty()) {
    return ErrorResponse(400, "\"task_ids\" names no task — which tasks should run again?");
  }
  return ClearChosenTasks(
      ctx, params.at("run_id"),
      [&](StateStore&, const RunRecord&, const DagSpec& dag) -> ChosenTasks {
        Result<std::vector<std::string>> tasks = SelectTasks(dag, selection);
        if (!tasks.ok()) return ErrorResponse(400, tasks.message());
        return *tasks;
      });
}

HttpResponse RetryRun(Context& ctx, const HttpRequest& request, const PathParams& params) {
  HttpResponse error;
  std::optional<json> body = JsonBody(request, error);
  if (!body) return error;
  if (!body->empty()) return ErrorResponse(400, "a retry takes no fields");
  return ClearChosenTasks(
      ctx, params.at("run_id"),
      [](StateStore& store, const RunRecord& run, const DagSpec& dag) -> ChosenTasks {
        Result<std::vector<TaskInstanceRecord>> instances = store.ListTaskInstances(run.run_id);
        if (!instances.ok()) return StoreError(instances.message());
        std::vector<std::string> tasks = TasksToRetry(dag, *instances);
        if (tasks.empty()) {
          return ErrorResponse(409, "run " + run.run_id +
                                        " has no failed, upstream_failed or cancelled task: "
                                        "nothing to retry");
        }
        return tasks;
      });
}

HttpResponse ListAlerts(Context& ctx, const HttpRequest& request, const PathParams&) {
  HttpResponse error;
  std::optional<int> limit = LimitParam(request, 50, 1000, error);
  if (!limit) return error;
  AlertFilter filter;
  filter.dag_id = request.Query("dag_id");
  filter.run_id = request.Query("run_id");
  filter.limit = *limit;
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  Result<std::vector<AlertRecord>> alerts = (*store)->ListAlerts(filter);
  if (!alerts.ok()) return StoreError(alerts.message());
  json out = json::array();
  for (const AlertRecord& a : *alerts) out.push_back(AlertJson(a));
  return JsonResponse(200, {{"alerts", std::move(out)}});
}

}  // namespace sluice::api
