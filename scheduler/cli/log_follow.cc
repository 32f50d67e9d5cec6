#include "scheduler/cli/log_follow.h"

#include <fstream>
#include <iostream>
#include <thread>


namespace sluice::cli {
namespace {

bool Ended(const std::string& task_state) {
  return task_state == "success" || task_state == "failed" || task_state == "upstream_failed" ||
         task_state == "skipped" || task_state == "cancelled";
}

// Copies what `path` holds past `offset` to `out`; returns the new offset.
std::streamoff CopyNewBytes(const std::string& path, std::streamoff offset, std::ostream& out) {
  std::ifstream log(path, std::ios::binary);
  if (!log) return offset;  // not created yet
  log.seekg(0, std::ios::end);
  const std::streamoff size = log.tellg();
  if (size <= offset) return offset;
  log.seekg(offset);
  std::string chunk(static_cast<size_t>(size - offset), '\0');
  log.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  out.write(chunk.data(), log.gcount());
  out.flush();
  return offset + log.gcount();
}

}  // namespace

int FollowTaskLog(StateStore& store, const std::string& run_id, const std::string& task_id,
                  int from_attempt, std::ostream& out, std::chrono::milliseconds poll) {
  int attempt = from_attempt;  // the attempt being printed; 0 until one is known
  std::string path;
  std::streamoff offset = 0;
  bool said_waiting = false;
  for (;;) {
    // The state first, the attempts second: an attempt that starts between the two reads is
    // still seen before the task is taken as ended.
    Result<std::vector<TaskInstanceRecord>> instances = store.ListTaskInstances(run_id);
    if (!instances.ok()) {
      PrintError(instances.message());
      return kExitFailed;
    }
    std::string state;
    for (const TaskInstanceRecord& ti : *instances) {
      if (ti.task_id == task_id) state = ti.state;
    }
    if (state.empty()) {
      PrintError("run '" + run_id + "' has no task '" + task_id + "' — `sluice runs show " +
                 run_id + "` lists its tasks");
      return kExitInvalid;
    }
    Result<std::vector<AttemptRecord>> attempts = store.ListAttempts(run_id, task_id);
    if (!attempts.ok()) {
      PrintError(attempts.message());
      return kExitFailed;
    }
    const int latest = attempts->empty() ? 0 : attempts->back().attempt;
    if (attempt == 0 && latest > 0) attempt = latest;
    if (attempt > 0 && path.empty()) {
      for (const AttemptRecord& a : *attempts) {
        if (a.attempt == attempt) path = a.log_path;
      }
    }
    if (!path.empty()) offset = CopyNewBytes(path, offset, out);
    if (attempt > 0 && latest > attempt) {
      // A newer attempt began: the current log is complete (its process has ended).
      ++attempt;
      path.clear();
      offset = 0;
      out << "--- attempt " << attempt << " ---\n";
      continue;
    }
    if (Ended(state) && latest <= attempt) {
      if (!path.empty()) CopyNewBytes(path, offset, out);
      if (latest == 0) std::cerr << "task '" << task_id << "' ended " << state << " without running\n";
      return state == "success" || state == "skipped" ? kExitOk : kExitFailed;
    }
    if (latest == 0 && !said_waiting) {
      std::cerr << "task '" << task_id << "' is " << state << "; waiting for its first attempt\n";
      said_waiting = true;
    }
    std::this_thread::sleep_for(poll);
  }
}

int TasksLogsFollowCommand(CliContext& ctx, const std::string& run_id, const std::string& task_id,
                           int from_attempt) {
  auto store = ctx.store();
  if (!store.ok()) {
    PrintError(store.message());
    return kExitFailed;
  }
  return FollowTaskLog(**store, run_id, task_id, from_attempt, std::cout);
}

}  // namespace sluice::cli
