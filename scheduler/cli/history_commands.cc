// `sluice runs list|show` and `sluice tasks logs`: reading the run history.
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "scheduler/cli/commands.h"
#include "runtime/time_format.h"
#include "scheduler/cli/table.h"
#include "scheduler/record_json.h"

namespace sluice::cli {
namespace {

using nlohmann::json;

// Seconds between two stored timestamps, "" when either is missing.
std::string Elapsed(const std::string& from, const std::string& to) {
  auto a = ParseUtc(from), b = ParseUtc(to);
  if (!a || !b) return "";
  return FormatSeconds(*b - *a);
}

template <typename T>
bool Check(const Result<T>& r) {
  if (!r.ok()) PrintError(r.message());
  return r.ok();
}

}  // namespace

int RunsListCommand(CliContext& ctx, const std::string& dag_id, int limit, bool json_out) {
  auto store = ctx.store();
  if (!Check(store)) return kExitFailed;
  auto runs = (*store)->ListRuns(dag_id, limit);
  if (!Check(runs)) return kExitFailed;
  if (json_out) {
    json out = json::array();
    for (const RunRecord& r : *runs) out.push_back(RunJson(r));
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  Table table({"RUN", "DAG", "STATE", "TRIGGER", "STARTED", "DURATION"});
  for (const RunRecord& r : *runs) {
    table.AddRow({r.run_id, r.dag_id, r.state, r.trigger, r.started_at.substr(0, 19) + "Z",
                  Elapsed(r.started_at, r.ended_at)});
  }
  table.Print(std::cout);
  return kExitOk;
}

int RunsShowCommand(CliContext& ctx, const std::string& run_id, bool json_out) {
  auto store = ctx.store();
  if (!Check(store)) return kExitFailed;
  auto run = (*store)->GetRun(run_id);
  if (!Check(run)) return kExitFailed;
  if (!*run) {
    PrintError("no run '" + run_id + "' — `sluice runs list` shows the runs there are");
    return kExitInvalid;
  }
  auto tasks = (*store)->ListTaskInstances(run_id);
  auto attempts = (*store)->ListAttempts(run_id, "");
  if (!Check(tasks) || !Check(attempts)) return kExitFailed;
  if (json_out) {
    json out = RunJson(**run);
    out["tasks"] = json::array();
    for (const TaskInstanceRecord& t : *tasks) {
      json tj = {{"task_id", t.task_id}, {"state", t.state}, {"attempts", json::array()}};
      for (const AttemptRecord& a : *attempts) {
        if (a.task_id == t.task_id) tj["attempts"].push_back(AttemptJson(a));
      }
      out["tasks"].push_back(tj);
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  const RunRecord& r = **run;
  std::cout << "run      " << r.run_id << "\nDAG      " << r.dag_id << " (" << r.dag_file
            << ")\nstate    " << r.state << "\ntrigger  " << r.trigger << "\nlogical  "
            << r.logical_date << "\nstarted  " << r.started_at << "\nended    " << r.ended_at
            << "\nparams   " << r.params_json << "\n\n";
  Table table({"TASK", "STATE", "ATTEMPT", "DURATION", "ROWS IN", "ROWS OUT", "BYTES OUT",
               "PEAK RSS", "EXIT", "ERROR"});
  for (const TaskInstanceRecord& t : *tasks) {
    const AttemptRecord* last = nullptr;
    for (const AttemptRecord& a : *attempts) {
      if (a.task_id == t.task_id) last = &a;
    }
    if (last == nullptr) {
      table.AddRow({t.task_id, t.state, "-", "", "", "", "", "", "", ""});
      continue;
    }
    std::string exit = last->term_signal ? "signal " + std::to_string(*last->term_signal)
                       : last->exit_code ? std::to_string(*last->exit_code)
                                         : "";
    table.AddRow({t.task_id, t.state, std::to_string(last->attempt),
                  Elapsed(last->started_at, last->ended_at), std::to_string(last->rows_in),
                  std::to_string(last->rows_out), std::to_string(last->bytes_out),
                  std::to_string(last->peak_rss_kb) + " KiB", exit, last->error});
  }
  table.Print(std::cout);
  return kExitOk;
}

int TasksLogsCommand(CliContext& ctx, const std::string& run_id, const std::string& task_id,
                     int attempt) {
  auto store = ctx.store();
  if (!Check(store)) return kExitFailed;
  auto attempts = (*store)->ListAttempts(run_id, task_id);
  if (!Check(attempts)) return kExitFailed;
  if (attempts->empty()) {
    PrintError("no attempts of task '" + task_id + "' in run '" + run_id +
               "' — `sluice runs show " + run_id + "` lists the run's tasks");
    return kExitInvalid;
  }
  const AttemptRecord* chosen = &attempts->back();
  if (attempt > 0) {
    chosen = nullptr;
    for (const AttemptRecord& a : *attempts) {
      if (a.attempt == attempt) chosen = &a;
    }
    if (chosen == nullptr) {
      PrintError("task '" + task_id + "' of run '" + run_id + "' has attempts 1 to " +
                 std::to_string(attempts->back().attempt) + ", not " + std::to_string(attempt));
      return kExitInvalid;
    }
  }
  std::ifstream log(chosen->log_path, std::ios::binary);
  if (!log) {
    PrintError("cannot read log file " + chosen->log_path + " — it may have been cleaned up");
    return kExitFailed;
  }
  std::cout << log.rdbuf();
  std::cout.flush();
  return kExitOk;
}

}  // namespace sluice::cli
