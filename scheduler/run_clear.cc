#include "scheduler/run_clear.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_map>

#include "runtime/time_format.h"
#include "scheduler/dag_graph.h"
#include "scheduler/suggest.h"
#include "scheduler/run_driver.h"

namespace sluice {
namespace {

// Every task reachable from `start` along `edges` (task index -> next indices), `start` included.
std::set<size_t> Reachable(const std::vector<size_t>& start,
                           const std::vector<std::vector<size_t>>& edges) {
  std::set<size_t> seen(start.begin(), start.end());
  std::vector<size_t> stack = start;
  while (!stack.empty()) {
    const size_t t = stack.back();
    stack.pop_back();
    for (size_t next : edges[t]) {
      if (seen.insert(next).second) stack.push_back(next);
    }
  }
  return seen;
}

struct Edges {
  std::vector<std::vector<size_t>> downstream, upstream;
};

Edges EdgesOf(const DagSpec& dag) {
  Edges edges;
  edges.upstream = DependencyIndexes(dag);
  edges.downstream.resize(dag.tasks.size());
  for (size_t i = 0; i < edges.upstream.size(); ++i) {
    for (size_t up : edges.upstream[i]) edges.downstream[up].push_back(i);
  }
  return edges;
}

std::vector<std::string> IdsInFileOrder(const DagSpec& dag, const std::set<size_t>& chosen) {
  std::vector<std::string> ids;
  for (size_t t : chosen) ids.push_back(dag.tasks[t].id);  // std::set: ascending = file order
  return ids;
}

}  // namespace

Result<std::vector<std::string>> SelectTasks(const DagSpec& dag, const ClearSelection& selection) {
  std::vector<size_t> named;
  for (const std::string& id : selection.task_ids) {
    const auto found = std::find_if(dag.tasks.begin(), dag.tasks.end(),
                                    [&](const TaskSpec& t) { return t.id == id; });
    if (found == dag.tasks.end()) {
      const std::vector<std::string> ids = dag.TaskIds();
      const std::optional<std::string> closest = ClosestName(id, ids);
      return Status::Error("DAG " + dag.id + " has no task '" + id + "'" +
                           (closest ? "; did you mean '" + *closest + "'?" : "") +
                           " Its tasks: " + JoinNames(ids));
    }
    named.push_back(static_cast<size_t>(found - dag.tasks.begin()));
  }
  const Edges edges = EdgesOf(dag);
  std::set<size_t> chosen(named.begin(), named.end());
  if (selection.downstream) {
    const std::set<size_t> after = Reachable(named, edges.downstream);
    chosen.insert(after.begin(), after.end());
  }
  if (selection.upstream) {
    const std::set<size_t> before = Reachable(named, edges.upstream);
    chosen.insert(before.begin(), before.end());
  }
  return IdsInFileOrder(dag, chosen);
}

std::vector<std::string> TasksToRetry(const DagSpec& dag,
                                      const std::vector<TaskInstanceRecord>& instances) {
  std::unordered_map<std::string, std::string> state_of;
  for (const TaskInstanceRecord& ti : instances) state_of[ti.task_id] = ti.state;
  std::vector<std::string> state(dag.tasks.size());
  for (size_t i = 0; i < dag.tasks.size(); ++i) {
    if (const auto found = state_of.find(dag.tasks[i].id); found != state_of.end()) {
      state[i] = found->second;
    }
  }
  std::vector<size_t> broken;
  for (size_t i = 0; i < dag.tasks.size(); ++i) {
    if (state[i] == "failed" || state[i] == "upstream_failed" || state[i] == "cancelled") {
      broken.push_back(i);
    }
  }
  std::set<size_t> chosen(broken.begin(), broken.end());
  for (size_t t : Reachable(broken, EdgesOf(dag).downstream)) {
    if (state[t] == "skipped") chosen.insert(t);
  }
  return IdsInFileOrder(dag, chosen);
}

namespace {

// Inside a transaction: fails unless run `run_id` exists and has ended.
Status CheckRunEnded(StateStore& store, const std::string& run_id) {
  Result<std::optional<RunRecord>> run = store.GetRun(run_id);
  if (!run.ok()) return run.status();
  if (!run->has_value()) {
    return Status::Error("no run " + run_id + "; `sluice runs list` shows the runs");
  }
  const std::string& state = (*run)->state;
  if (state != "success" && state != "failed") {
    return Status::Error("run " + run_id + " is " + state +
                         ": its tasks are still being decided; wait until it has ended");
  }
  return Status::Ok();
}

}  // namespace

Status PrepareTaskRun(StateStore& store, const DagSpec& dag, const std::string& run_id,
                      const std::string& task_id, bool ignore_deps) {
  const TaskSpec* task = dag.FindTask(task_id);
  if (task == nullptr) {
    return Status::Error("DAG " + dag.id + " has no task '" + task_id + "'; its tasks: " +
                         JoinNames(dag.TaskIds()));
  }
  const std::string at = FormatUtc(std::chrono::system_clock::now());
  return store.InTransaction([&]() -> Status {
    if (Status s = CheckRunEnded(store, run_id); !s.ok()) return s;
    if (!ignore_deps) {
      Result<std::vector<TaskInstanceRecord>> instances = store.ListTaskInstances(run_id);
      if (!instances.ok()) return instances.status();
      std::vector<std::string> not_done;
      for (const TaskInstanceRecord& ti : *instances) {
        const bool upstream = std::find(task->depends_on.begin(), task->depends_on.end(),
                                        ti.task_id) != task->depends_on.end();
        if (upstream && ti.state != "success" && ti.state != "skipped") {
          not_done.push_back(ti.task_id + " (" + ti.state + ")");
        }
      }
      if (!not_done.empty()) {
        return Status::Error("task '" + task_id + "' needs its upstream tasks, and " +
                             JoinNames(not_done) + " did not succeed; run them first, or pass "
                             "--ignore-deps to run it on what they left");
      }
    }
    if (Status s = store.SetTaskState(run_id, task_id, "pending", at); !s.ok()) return s;
    return store.UpdateRunState(run_id, "running", at);
  });
}

Status ClearRunTasks(StateStore& store, const std::string& run_id,
                     const std::vector<std::string>& task_ids) {
  const std::string at = FormatUtc(std::chrono::system_clock::now());
  return store.InTransaction([&]() -> Status {
    if (Status s = CheckRunEnded(store, run_id); !s.ok()) return s;
    for (const std::string& task : task_ids) {
      if (Status s = store.SetTaskState(run_id, task, "pending", at); !s.ok()) return s;
    }
    return store.UpdateRunState(run_id, "queued", at);
  });
}

Status CheckUpstreamOutputsKept(const std::string& home, const DagSpec& dag,
                                const RunRecord& run, const std::vector<std::string>& cleared) {
  if (run.state != "success" && run.state != "failed") return Status::Ok();
  const std::string& run_id = run.run_id;
  std::error_code error;
  if (std::filesystem::exists(WorkspacePath(home, run_id), error)) return Status::Ok();
  const std::set<std::string> clearing(cleared.begin(), cleared.end());
  std::set<std::string> needed;
  for (const std::string& id : cleared) {
    const TaskSpec* task = dag.FindTask(id);
    if (task == nullptr) continue;
    for (const std::string& upstream : task->depends_on) {
      if (clearing.count(upstream) == 0) needed.insert(upstream);
    }
  }
  if (needed.empty()) return Status::Ok();
  std::string names;
  for (const std::string& id : needed) names += (names.empty() ? "" : ", ") + id;
  return Status::Error("the workspace of run " + run_id +
                       " was removed by workspace_retention, so the outputs of " + names +
                       " are gone — clear those too (--upstream), or trigger a new run");
}

}  // namespace sluice
