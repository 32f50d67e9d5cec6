#include "scheduler/planner.h"

#include <algorithm>
#include <unordered_map>

namespace sluice {

const char* TaskStatusName(TaskStatus status) {
  switch (status) {
    case TaskStatus::kPending: return "pending";
    case TaskStatus::kReady: return "queued";
    case TaskStatus::kRunning: return "running";
    case TaskStatus::kUpForRetry: return "up_for_retry";
    case TaskStatus::kSuccess: return "success";
    case TaskStatus::kFailed: return "failed";
    case TaskStatus::kUpstreamFailed: return "upstream_failed";
    case TaskStatus::kCancelled: return "cancelled";
  }
  return "unknown";
}

bool IsTerminal(TaskStatus status) {
  return status == TaskStatus::kSuccess || status == TaskStatus::kFailed ||
         status == TaskStatus::kUpstreamFailed || status == TaskStatus::kCancelled;
}

Planner::Planner(const DagSpec& dag, const std::vector<double>& expected_seconds)
    : downstream_(dag.tasks.size()),
      waiting_on_(dag.tasks.size(), 0),
      status_(dag.tasks.size(), TaskStatus::kPending),
      chain_seconds_(dag.tasks.size(), 0.0) {
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(dag.tasks.size());
  for (size_t i = 0; i < dag.tasks.size(); ++i) index.emplace(dag.tasks[i].id, i);
  for (size_t i = 0; i < dag.tasks.size(); ++i) {
    for (const std::string& up : dag.tasks[i].depends_on) {
      downstream_[index.at(up)].push_back(i);
      ++waiting_on_[i];
    }
  }
  // Chains from the last tasks back: a task's chain is known once every downstream one's is.
  std::vector<size_t> unresolved(status_.size());
  std::vector<size_t> done;
  for (size_t i = 0; i < status_.size(); ++i) {
    unresolved[i] = downstream_[i].size();
    if (unresolved[i] == 0) done.push_back(i);
  }
  std::vector<std::vector<size_t>> upstream(status_.size());
  for (size_t i = 0; i < status_.size(); ++i) {
    for (size_t down : downstream_[i]) upstream[down].push_back(i);
  }
  while (!done.empty()) {
    const size_t task = done.back();
    done.pop_back();
    double longest_after = 0;
    for (size_t down : downstream_[task]) longest_after = std::max(longest_after, chain_seconds_[down]);
    chain_seconds_[task] = (task < expected_seconds.size() ? expected_seconds[task] : 1.0) + longest_after;
    for (size_t up : upstream[task]) {
      if (--unresolved[up] == 0) done.push_back(up);
    }
  }
  for (size_t i = 0; i < status_.size(); ++i) {
    if (waiting_on_[i] == 0) MakeReady(i);
  }
}

void Planner::MakeReady(size_t task) {
  SetStatus(task, TaskStatus::kReady);
  ready_.push(ReadyTask{chain_seconds_[task], readied_++, task});
}

void Planner::SetStatus(size_t task, TaskStatus status) {
  if (IsTerminal(status) && !IsTerminal(status_[task])) ++terminal_;
  if (status == TaskStatus::kSuccess) ++succeeded_;
  status_[task] = status;
}

std::vector<size_t> Planner::TakeReady(size_t max) {
  std::vector<size_t> out;
  while (out.size() < max && !ready_.empty()) {
    const size_t task = ready_.top().task;
    ready_.pop();
    SetStatus(task, TaskStatus::kRunning);
    out.push_back(task);
  }
  return out;
}

std::vector<size_t> Planner::TakeReadyIf(size_t max,
                                         const std::function<bool(size_t)>& may_start) {
  std::vector<size_t> out;
  std::vector<ReadyTask> held;  // refused now; back in the queue with their old rank
  while (out.size() < max && !ready_.empty()) {
    const ReadyTask top = ready_.top();
    ready_.pop();
    if (!may_start(top.task)) {
      held.push_back(top);
      continue;
    }
    SetStatus(top.task, TaskStatus::kRunning);
    out.push_back(top.task);
  }
  for (const ReadyTask& t : held) ready_.push(t);
  return out;
}

void Planner::Restore(const std::vector<TaskStatus>& statuses) {
  ready_ = {};
  terminal_ = 0;
  succeeded_ = 0;
  for (size_t t = 0; t < status_.size(); ++t) {
    TaskStatus s = t < statuses.size() ? statuses[t] : TaskStatus::kPending;
    if (s == TaskStatus::kReady) s = TaskStatus::kPending;
    status_[t] = TaskStatus::kPending;
    SetStatus(t, s);
  }
  std::fill(waiting_on_.begin(), waiting_on_.end(), 0);
  for (size_t t = 0; t < status_.size(); ++t) {
    if (status_[t] == TaskStatus::kSuccess) continue;
    for (size_t down : downstream_[t]) ++waiting_on_[down];
  }
  for (size_t t = 0; t < status_.size(); ++t) {
    if (status_[t] == TaskStatus::kPending && waiting_on_[t] == 0) MakeReady(t);
  }
}

void Planner::Succeeded(size_t task) {
  SetStatus(task, TaskStatus::kSuccess);
  for (size_t down : downstream_[task]) {
    if (--waiting_on_[down] == 0 && status_[down] == TaskStatus::kPending) MakeReady(down);
  }
}

void Planner::WaitForRetry(size_t task) { SetStatus(task, TaskStatus::kUpForRetry); }

void Planner::RetryNow(size_t task) { MakeReady(task); }

std::vector<size_t> Planner::Failed(size_t task) {
  SetStatus(task, TaskStatus::kFailed);
  std::vector<size_t> marked;
  std::vector<size_t> stack(downstream_[task].begin(), downstream_[task].end());
  while (!stack.empty()) {
    const size_t t = stack.back();
    stack.pop_back();
    if (status_[t] != TaskStatus::kPending) continue;  // marked via another path, or cancelled
    SetStatus(t, TaskStatus::kUpstreamFailed);
    marked.push_back(t);
    stack.insert(stack.end(), downstream_[t].begin(), downstream_[t].end());
  }
  return marked;
}

}  // namespace sluice

namespace sluice {

std::vector<size_t> Planner::CancelNotStarted() {
  std::vector<size_t> cancelled;
  for (size_t t = 0; t < status_.size(); ++t) {
    const TaskStatus s = status_[t];
    if (s == TaskStatus::kPending || s == TaskStatus::kReady || s == TaskStatus::kUpForRetry) {
      SetStatus(t, TaskStatus::kCancelled);
      cancelled.push_back(t);
    }
  }
  ready_ = {};
  return cancelled;
}

}  // namespace sluice
