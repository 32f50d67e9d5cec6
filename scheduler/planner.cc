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
    case TaskStatus::kSkipped: return "skipped";
  }
  return "unknown";
}

bool IsTerminal(TaskStatus status) {
  return status == TaskStatus::kSuccess || status == TaskStatus::kFailed ||
         status == TaskStatus::kUpstreamFailed || status == TaskStatus::kCancelled ||
         status == TaskStatus::kSkipped;
}

Planner::Planner(const DagSpec& dag, const std::vector<double>& expected_seconds)
    : dag_(dag),
      downstream_(dag.tasks.size()),
      upstream_(dag.tasks.size()),
      status_(dag.tasks.size(), TaskStatus::kPending),
      chain_seconds_(dag.tasks.size(), 0.0) {
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(dag.tasks.size());
  for (size_t i = 0; i < dag.tasks.size(); ++i) index.emplace(dag.tasks[i].id, i);
  for (size_t i = 0; i < dag.tasks.size(); ++i) {
    for (const std::string& up : dag.tasks[i].depends_on) {
      downstream_[index.at(up)].push_back(i);
      ++upstream_[i].total;
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
    if (upstream_[i].total == 0) MakeReady(i);
  }
}

Planner::Verdict Planner::Judge(TriggerRule rule, const UpstreamTally& up) {
  const bool all_ended = up.ended == up.total;
  switch (rule) {
    case TriggerRule::kAllSuccess:
      // A failure decides at once; a skip only once the others ended, since a later failure
      // outranks it — the outcome must not depend on which upstream task ended first.
      if (up.failed > 0) return Verdict::kUpstreamFailed;
      if (!all_ended) return Verdict::kWait;
      return up.skipped > 0 ? Verdict::kSkip : Verdict::kReady;
    case TriggerRule::kAllDone:
      return all_ended ? Verdict::kReady : Verdict::kWait;
    case TriggerRule::kAllFailed:
      if (up.succeeded > 0 || up.skipped > 0) return Verdict::kSkip;
      return all_ended ? Verdict::kReady : Verdict::kWait;
    case TriggerRule::kOneFailed:
      if (up.failed > 0) return Verdict::kReady;
      return all_ended ? Verdict::kSkip : Verdict::kWait;
    case TriggerRule::kOneSuccess:
      if (up.succeeded > 0) return Verdict::kReady;
      if (!all_ended) return Verdict::kWait;
      return up.failed > 0 ? Verdict::kUpstreamFailed : Verdict::kSkip;
    case TriggerRule::kNoneFailed:
      if (up.failed > 0) return Verdict::kUpstreamFailed;
      return all_ended ? Verdict::kReady : Verdict::kWait;
  }
  return Verdict::kWait;
}

void Planner::Tally(UpstreamTally& tally, TaskStatus ended) const {
  ++tally.ended;
  switch (ended) {
    case TaskStatus::kSuccess: ++tally.succeeded; break;
    case TaskStatus::kSkipped: ++tally.skipped; break;
    default: ++tally.failed; break;  // failed, upstream_failed, cancelled
  }
}

std::vector<size_t> Planner::Propagate(size_t task) {
  std::vector<size_t> settled;
  std::vector<size_t> ended = {task};
  while (!ended.empty()) {
    const size_t up = ended.back();
    ended.pop_back();
    for (size_t down : downstream_[up]) {
      Tally(upstream_[down], status_[up]);
      if (status_[down] != TaskStatus::kPending) continue;  // cancelled, or settled already
      const Verdict verdict = Judge(dag_.tasks[down].trigger_rule, upstream_[down]);
      if (verdict == Verdict::kReady) {
        MakeReady(down);
      } else if (verdict != Verdict::kWait) {
        SetStatus(down, verdict == Verdict::kUpstreamFailed ? TaskStatus::kUpstreamFailed
                                                            : TaskStatus::kSkipped);
        settled.push_back(down);
        ended.push_back(down);
      }
    }
  }
  return settled;
}

void Planner::MakeReady(size_t task) {
  SetStatus(task, TaskStatus::kReady);
  ready_.push(ReadyTask{chain_seconds_[task], readied_++, task});
}

void Planner::SetStatus(size_t task, TaskStatus status) {
  if (IsTerminal(status) && !IsTerminal(status_[task])) ++terminal_;
  if (IsTerminal(status) && status != TaskStatus::kSuccess && status != TaskStatus::kSkipped) {
    ++unsuccessful_;
  }
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

std::vector<size_t> Planner::Restore(const std::vector<TaskStatus>& statuses,
                                     const std::vector<size_t>& force_ready) {
  ready_ = {};
  terminal_ = 0;
  unsuccessful_ = 0;
  for (size_t t = 0; t < status_.size(); ++t) {
    TaskStatus s = t < statuses.size() ? statuses[t] : TaskStatus::kPending;
    if (s == TaskStatus::kReady) s = TaskStatus::kPending;
    status_[t] = TaskStatus::kPending;
    SetStatus(t, s);
  }
  for (UpstreamTally& tally : upstream_) tally = UpstreamTally{tally.total};
  for (size_t t = 0; t < status_.size(); ++t) {
    if (!IsTerminal(status_[t])) continue;
    for (size_t down : downstream_[t]) Tally(upstream_[down], status_[t]);
  }
  // Settle in graph order, so that a task settled here is tallied before its downstream
  // tasks are judged.
  std::vector<size_t> settled;
  std::vector<size_t> order;
  std::vector<size_t> unresolved(status_.size());
  for (size_t t = 0; t < status_.size(); ++t) {
    unresolved[t] = upstream_[t].total;
    if (unresolved[t] == 0) order.push_back(t);
  }
  for (size_t i = 0; i < order.size(); ++i) {
    for (size_t down : downstream_[order[i]]) {
      if (--unresolved[down] == 0) order.push_back(down);
    }
  }
  for (size_t t : order) {
    if (status_[t] != TaskStatus::kPending) continue;
    if (upstream_[t].total == 0 ||
        std::find(force_ready.begin(), force_ready.end(), t) != force_ready.end()) {
      MakeReady(t);
      continue;
    }
    const Verdict verdict = Judge(dag_.tasks[t].trigger_rule, upstream_[t]);
    if (verdict == Verdict::kReady) {
      MakeReady(t);
    } else if (verdict != Verdict::kWait) {
      SetStatus(t, verdict == Verdict::kUpstreamFailed ? TaskStatus::kUpstreamFailed
                                                       : TaskStatus::kSkipped);
      settled.push_back(t);
      for (size_t down : downstream_[t]) Tally(upstream_[down], status_[t]);
    }
  }
  return settled;
}

std::vector<size_t> Planner::Succeeded(size_t task) {
  SetStatus(task, TaskStatus::kSuccess);
  return Propagate(task);
}

void Planner::WaitForRetry(size_t task) { SetStatus(task, TaskStatus::kUpForRetry); }

void Planner::RetryNow(size_t task) { MakeReady(task); }

std::vector<size_t> Planner::Failed(size_t task) {
  SetStatus(task, TaskStatus::kFailed);
  return Propagate(task);
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
