// /api/v1/dags: the DAG list (with broken files and their errors), one DAG with its tasks,
// its file's source, its grid of runs x tasks, and trigger, pause, unpause.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "runtime/time_format.h"
#include "scheduler/api/api_internal.h"
#include "scheduler/backfill.h"
#include "scheduler/run_request.h"
#include "scheduler/task_policy_keys.h"

namespace sluice::api {
namespace {

constexpr int kLastRunsPerDag = 10;
// A DAG file is a few kilobytes; a larger one is shown cut (and says so).
constexpr size_t kMaxSourceBytes = 1 << 20;

std::vector<std::string> ErrorLines(const std::string& error) {
  std::vector<std::string> lines;
  std::istringstream in(error);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

json RunSummaryJson(const RunRecord& r) {
  return {{"run_id", r.run_id},           {"state", r.state},
          {"trigger", r.trigger},         {"logical_date", r.logical_date},
          {"started_at", r.started_at},   {"ended_at", r.ended_at}};
}

json TasksJson(const DagSpec& spec) {
  json tasks = json::array();
  for (const TaskSpec& t : spec.tasks) {
    tasks.push_back({{"task_id", t.id},
                     {"plugin", t.plugin},
                     {"depends_on", t.depends_on},
                     {"trigger_rule", std::string(TriggerRuleName(t.trigger_rule))},
                     {"retries", t.retries},
                     {"pool", t.pool}});
  }
  return tasks;
}

// The declared params with their defaults, in file order: what a trigger may override.
json ParamsJson(const DagSpec& spec) {
  json params = json::array();
  for (const auto& [name, default_value] : spec.params) {
    params.push_back({{"name", name}, {"default", default_value}});
  }
  return params;
}

json LoadedDagJson(const DagBoardEntry& entry, bool paused) {
  const DagSpec& spec = entry.dag->spec;
  return {{"dag_id", spec.id},
          {"file", spec.file},
          {"valid", true},
          {"errors", json::array()},
          {"paused", paused},
          {"schedule", spec.schedule},
          {"timezone", spec.timezone},
          {"next_run", entry.next_fire ? json(FormatUtc(*entry.next_fire)) : json(nullptr)},
          {"task_count", spec.tasks.size()},
          {"description", spec.description},
          {"last_runs", json::array()}};
}

json BrokenFileJson(const DagFileRecord& file, bool paused) {
  return {{"dag_id", file.dag_id},
          {"file", file.file},
          {"valid", false},
          {"errors", ErrorLines(file.error)},
          {"paused", paused},
          {"schedule", file.schedule},
          {"timezone", ""},
          {"next_run", nullptr},
          {"task_count", file.task_count},
          {"description", ""},
          {"last_runs", json::array()}};
}

Result<std::set<std::string>> PausedDags(StateStore& store) {
  Result<std::vector<DagControlRecord>> controls = store.ListDagControls();
  if (!controls.ok()) return controls.status();
  std::set<std::string> paused;
  for (const DagControlRecord& c : *controls) {
    if (c.paused) paused.insert(c.dag_id);
  }
  return paused;
}

// The DAG `dag_id` as the list shows it: loaded, else its broken file; nullopt when unknown.
Result<std::optional<json>> DagJson(Context& ctx, StateStore& store, const std::string& dag_id) {
  Result<std::set<std::string>> paused = PausedDags(store);
  if (!paused.ok()) return paused.status();
  const bool is_paused = paused->count(dag_id) != 0;
  if (std::optional<DagBoardEntry> entry = ctx.settings.board->Find(dag_id)) {
    json out = LoadedDagJson(*entry, is_paused);
    out["tasks"] = TasksJson(entry->dag->spec);
    out["params"] = ParamsJson(entry->dag->spec);
    return std::optional<json>(std::move(out));
  }
  Result<std::vector<DagFileRecord>> files = store.ListDagFiles();
  if (!files.ok()) return files.status();
  for (const DagFileRecord& f : *files) {
    if (f.dag_id != dag_id || f.error.empty()) continue;
    json out = BrokenFileJson(f, is_paused);
    out["tasks"] = json::array();
    out["params"] = json::array();
    return std::optional<json>(std::move(out));
  }
  return std::optional<json>();
}

HttpResponse UnknownDag(const std::string& dag_id) {
  return ErrorResponse(404, "no DAG '" + dag_id + "' in the scheduler's folder — GET /api/v1/dags lists them");
}

// The DAG as DagJson shows it; nullopt with `error` set (404 when unknown, 500 when the
// database fails).
std::optional<json> FindDag(Context& ctx, StateStore& store, const std::string& dag_id,
                            HttpResponse& error) {
  Result<std::optional<json>> dag = DagJson(ctx, store, dag_id);
  if (!dag.ok()) {
    error = StoreError(dag.message());
    return std::nullopt;
  }
  if (!*dag) error = UnknownDag(dag_id);
  return std::move(dag).value();
}

HttpResponse SetPaused(Context& ctx, const PathParams& params, bool paused) {
  const std::string& dag_id = params.at("dag_id");
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  HttpResponse error;
  // A broken file can be paused too: it stays paused once fixed.
  if (!FindDag(ctx, **store, dag_id, error)) return error;
  if (Status s = (*store)->SetDagPaused(dag_id, paused, FormatUtc(std::chrono::system_clock::now()));
      !s.ok()) {
    return StoreError(s.message());
  }
  return JsonResponse(200, {{"dag_id", dag_id}, {"paused", paused}});
}

// The DAG `dag_id` as the scheduler has it loaded; null, with `error` set (404 unknown, 409
// broken), otherwise.
std::shared_ptr<const RegisteredDag> LoadedDag(Context& ctx, const std::string& dag_id,
                                               HttpResponse& error) {
  if (std::optional<DagBoardEntry> entry = ctx.settings.board->Find(dag_id)) return entry->dag;
  auto store = ctx.stores.Acquire();
  if (!store.ok()) {
    error = StoreError(store.message());
    return nullptr;
  }
  if (std::optional<json> dag = FindDag(ctx, **store, dag_id, error)) {
    error = ErrorResponse(409, "DAG '" + dag_id + "' does not load — fix its file first: " +
                                   (*dag)["errors"].dump());
  }
  return nullptr;
}

// A request's "params" object as run parameter overrides; nullopt, with `error` set, when a
// value is not a string, number or boolean.
std::optional<std::vector<std::pair<std::string, std::string>>> ParamOverrides(
    const json& given, HttpResponse& error) {
  if (!given.is_object()) {
    error = ErrorResponse(400, "\"params\" must be an object of name: value");
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : given.items()) {
    if (value.is_object() || value.is_array() || value.is_null()) {
      error = ErrorResponse(400, "param '" + name + "' must be a string, number or boolean");
      return std::nullopt;
    }
    out.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return out;
}

}  // namespace

HttpResponse ListDags(Context& ctx, const HttpRequest&, const PathParams&) {
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  Result<std::set<std::string>> paused = PausedDags(**store);
  if (!paused.ok()) return StoreError(paused.message());
  Result<std::vector<DagFileRecord>> files = (*store)->ListDagFiles();
  if (!files.ok()) return StoreError(files.message());
  Result<std::vector<RunRecord>> recent = (*store)->ListRecentRunsPerDag(kLastRunsPerDag);
  if (!recent.ok()) return StoreError(recent.message());

  // Loaded DAGs by id, then the broken files (by path) — each with its last runs.
  std::map<std::string, json> loaded;
  for (const auto& [id, entry] : ctx.settings.board->Snapshot()) {
    loaded.emplace(id, LoadedDagJson(entry, paused->count(id) != 0));
  }
  std::vector<json> broken;
  for (const DagFileRecord& f : *files) {
    if (!f.error.empty()) broken.push_back(BrokenFileJson(f, paused->count(f.dag_id) != 0));
  }
  std::map<std::string, json> last_runs;
  for (const RunRecord& r : *recent) {
    json& list = last_runs[r.dag_id];
    if (list.is_null()) list = json::array();
    list.push_back(RunSummaryJson(r));
  }
  json dags = json::array();
  for (auto& [id, dag] : loaded) {
    if (auto it = last_runs.find(id); it != last_runs.end()) dag["last_runs"] = it->second;
    dags.push_back(std::move(dag));
  }
  for (json& dag : broken) {
    const std::string id = dag["dag_id"];
    // A broken duplicate of a loaded id shows its errors, not the loaded file's runs.
    if (loaded.count(id) == 0) {
      if (auto it = last_runs.find(id); it != last_runs.end()) dag["last_runs"] = it->second;
    }
    dags.push_back(std::move(dag));
  }
  return JsonResponse(200, {{"dags", std::move(dags)}});
}

HttpResponse GetDag(Context& ctx, const HttpRequest&, const PathParams& params) {
  const std::string& dag_id = params.at("dag_id");
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  HttpResponse error;
  std::optional<json> dag = FindDag(ctx, **store, dag_id, error);
  if (!dag) return error;
  Result<std::vector<RunRecord>> runs = (*store)->ListRuns(dag_id, kLastRunsPerDag);
  if (!runs.ok()) return StoreError(runs.message());
  json& out = *dag;
  for (const RunRecord& r : *runs) out["last_runs"].push_back(RunSummaryJson(r));
  return JsonResponse(200, out);
}

HttpResponse GetDagSource(Context& ctx, const HttpRequest&, const PathParams& params) {
  const std::string& dag_id = params.at("dag_id");
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  // Only a file the folder holds for this DAG is read: the path comes from the scheduler's
  // own records, never from the request.
  HttpResponse error;
  std::optional<json> dag = FindDag(ctx, **store, dag_id, error);
  if (!dag) return error;
  const std::string file = (*dag)["file"];
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return ErrorResponse(404, "the file of DAG '" + dag_id + "', " + file +
                                  ", cannot be read now (removed or renamed since it was loaded)");
  }
  std::error_code size_error;
  const uintmax_t size = std::filesystem::file_size(file, size_error);
  const bool truncated = !size_error && size > kMaxSourceBytes;
  std::string source(size_error ? kMaxSourceBytes : std::min<uintmax_t>(size, kMaxSourceBytes), '\0');
  in.read(source.data(), static_cast<std::streamsize>(source.size()));
  source.resize(static_cast<size_t>(in.gcount()));
  return JsonResponse(200, {{"dag_id", dag_id},
                            {"file", file},
                            {"valid", (*dag)["valid"]},
                            {"errors", (*dag)["errors"]},
                            {"source", std::move(source)},
                            {"truncated", truncated}});
}

HttpResponse GetDagGrid(Context& ctx, const HttpRequest& request, const PathParams& params) {
  const std::string& dag_id = params.at("dag_id");
  HttpResponse error;
  std::optional<int> limit = LimitParam(request, 25, 500, error);
  if (!limit) return error;
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  Result<std::vector<RunRecord>> runs = (*store)->ListRuns(dag_id, *limit);
  if (!runs.ok()) return StoreError(runs.message());
  std::vector<std::string> run_ids;
  for (const RunRecord& r : *runs) run_ids.push_back(r.run_id);
  Result<std::vector<TaskInstanceRecord>> instances = (*store)->ListTaskInstancesOfRuns(run_ids);
  if (!instances.ok()) return StoreError(instances.message());

  // Columns: the loaded DAG's tasks in file order, then tasks only older runs had.
  json tasks = json::array();
  std::set<std::string> columns;
  const std::optional<DagBoardEntry> entry = ctx.settings.board->Find(dag_id);
  if (entry) {
    for (const TaskSpec& t : entry->dag->spec.tasks) {
      tasks.push_back(t.id);
      columns.insert(t.id);
    }
  } else if (runs->empty()) {
    if (!FindDag(ctx, **store, dag_id, error)) return error;
  }
  std::map<std::string, json> cells;  // by run id
  for (const TaskInstanceRecord& t : *instances) {
    cells[t.run_id][t.task_id] = {{"state", t.state}, {"attempts", t.attempts}};
    if (columns.insert(t.task_id).second) tasks.push_back(t.task_id);
  }
  json rows = json::array();
  for (const RunRecord& r : *runs) {
    json row = RunSummaryJson(r);
    row["created_at"] = r.created_at;
    json& run_cells = cells[r.run_id];
    row["tasks"] = run_cells.is_null() ? json::object() : run_cells;
    rows.push_back(std::move(row));
  }
  return JsonResponse(200, {{"dag_id", dag_id}, {"tasks", tasks}, {"runs", rows}});
}

HttpResponse TriggerDag(Context& ctx, const HttpRequest& request, const PathParams& params) {
  const std::string& dag_id = params.at("dag_id");
  HttpResponse error;
  std::optional<json> body = JsonBody(request, error);
  if (!body) return error;
  std::shared_ptr<const RegisteredDag> dag = LoadedDag(ctx, dag_id, error);
  if (!dag) return error;
  RunRequest run_request;
  for (const auto& [name, value] : body->items()) {
    if (name != "params") {
      return ErrorResponse(400, "unknown field '" + name + "' — a trigger takes only \"params\"");
    }
    std::optional<std::vector<std::pair<std::string, std::string>>> overrides =
        ParamOverrides(value, error);
    if (!overrides) return error;
    run_request.overrides = std::move(*overrides);
  }
  const DagSpec& spec = dag->spec;
  Result<PreparedRun> prepared = PrepareRun(spec, run_request, std::chrono::system_clock::now());
  if (!prepared.ok()) return ErrorResponse(400, prepared.message());
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  if (Status s = (*store)->CreateRun(prepared->record, spec.TaskIds()); !s.ok()) {
    return StoreError(s.message());
  }
  // A paused DAG's run waits until it is unpaused, as with `sluice dags trigger`: say so.
  Result<std::set<std::string>> paused = PausedDags(**store);
  if (!paused.ok()) return StoreError(paused.message());
  return JsonResponse(201, {{"run_id", prepared->record.run_id},
                            {"dag_id", spec.id},
                            {"state", prepared->record.state},
                            {"paused", paused->count(spec.id) != 0}});
}

HttpResponse BackfillDag(Context& ctx, const HttpRequest& request, const PathParams& params) {
  const std::string& dag_id = params.at("dag_id");
  HttpResponse error;
  std::optional<json> body = JsonBody(request, error);
  if (!body) return error;
  BackfillRequest backfill;
  for (const auto& [name, value] : body->items()) {
    if ((name == "from" || name == "to") && value.is_string()) {
      (name == "from" ? backfill.from : backfill.to) = value.get<std::string>();
    } else if (name == "max_runs" && value.is_number_integer() && value.get<int64_t>() > 0) {
      backfill.max_runs = static_cast<int>(std::min<int64_t>(value.get<int64_t>(), 1000000));
    } else if (name == "params") {
      std::optional<std::vector<std::pair<std::string, std::string>>> overrides =
          ParamOverrides(value, error);
      if (!overrides) return error;
      backfill.overrides = std::move(*overrides);
    } else {
      return ErrorResponse(400, "unexpected field '" + name +
                                    "' — send {\"from\": \"2026-01-01\", \"to\": \"2026-01-31\", "
                                    "\"params\": {}, \"max_runs\": 10000}");
    }
  }
  if (backfill.from.empty() || backfill.to.empty()) {
    return ErrorResponse(400, "a backfill needs \"from\" and \"to\" (ISO 8601 times, or dates in "
                              "the DAG's time zone)");
  }
  std::shared_ptr<const RegisteredDag> dag = LoadedDag(ctx, dag_id, error);
  if (!dag) return error;
  const DagSpec& spec = dag->spec;
  Result<std::vector<PreparedRun>> runs = PlanBackfill(spec, backfill, std::chrono::system_clock::now());
  if (!runs.ok()) return ErrorResponse(400, runs.message());
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return StoreError(store.message());
  if (Status s = QueueBackfill(**store, spec, *runs); !s.ok()) return StoreError(s.message());
  json run_ids = json::array();
  for (const PreparedRun& run : *runs) run_ids.push_back(run.record.run_id);
  return JsonResponse(201, {{"dag_id", spec.id}, {"run_ids", std::move(run_ids)}, {"state", "queued"}});
}

HttpResponse PauseDag(Context& ctx, const HttpRequest&, const PathParams& params) {
  return SetPaused(ctx, params, true);
}

HttpResponse UnpauseDag(Context& ctx, const HttpRequest&, const PathParams& params) {
  return SetPaused(ctx, params, false);
}

}  // namespace sluice::api
