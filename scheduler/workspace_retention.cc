#include "scheduler/workspace_retention.h"

#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <system_error>

#include "runtime/instance_lock.h"
#include "runtime/time_format.h"
#include "scheduler/duration.h"
#include "scheduler/run_driver.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

uint64_t FolderBytes(const fs::path& folder) {
  uint64_t bytes = 0;
  std::error_code error;
  for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      const uintmax_t size = it->file_size(size_error);
      if (!size_error) bytes += size;
    }
  }
  return bytes;
}

bool ModifiedAfter(const fs::path& folder, std::chrono::system_clock::time_point when) {
  struct stat st {};
  if (::stat(folder.c_str(), &st) != 0) return false;  // looked at properly below
  const auto modified = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
  return modified > when;
}

}  // namespace

Result<WorkspaceCleanup> RemoveOldWorkspaces(StateStore& store, const std::string& home,
                                             std::chrono::system_clock::time_point ended_before) {
  WorkspaceCleanup out;
  const fs::path root = fs::path(home) / "workspaces";
  std::error_code error;
  if (!fs::is_directory(root, error)) return out;  // no run has had a workspace yet
  // The folder, not the database, says which workspaces exist: most old runs have none left.
  std::vector<std::string> run_ids;
  for (fs::directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
    if (it->is_directory(error)) run_ids.push_back(it->path().filename().string());
  }
  if (error) return Status::Error("cannot list " + root.string() + ": " + error.message());

  for (const std::string& run_id : run_ids) {
    // A folder changed after `ended_before` belongs to a run that was going on then (its
    // tasks write into it): kept without asking the database, so that a home with thousands
    // of recent workspaces costs a stat() each, not a query each.
    if (ModifiedAfter(root / run_id, ended_before)) continue;
    Result<std::optional<RunRecord>> run = store.GetRun(run_id);
    if (!run.ok()) return run.status();
    if (!*run) continue;  // not ours to judge
    const RunRecord& r = **run;
    if (r.state != "success" && r.state != "failed") continue;
    const std::optional<std::chrono::system_clock::time_point> ended = ParseUtc(r.ended_at);
    if (!ended || *ended >= ended_before) continue;
    const fs::path folder = root / run_id;
    const uint64_t bytes = FolderBytes(folder);  // before the lock adds its file
    // Held while the folder goes, so that `sluice tasks run` cannot start on it meanwhile;
    // held by someone else: the run is being driven again, so it stays.
    Result<InstanceLock> lock = InstanceLock::Acquire(RunLockPath(home, run_id), "workspace cleanup");
    if (!lock.ok()) continue;
    // Looked at again under the lock: a clear may have queued it since.
    Result<std::optional<RunRecord>> again = store.GetRun(run_id);
    if (!again.ok()) return again.status();
    if (!*again || ((*again)->state != "success" && (*again)->state != "failed")) continue;
    std::error_code remove_error;
    fs::remove_all(folder, remove_error);
    if (remove_error) {
      out.problems.push_back("cannot remove the workspace " + folder.string() + ": " +
                             remove_error.message());
      continue;
    }
    out.removed.push_back(run_id);
    out.bytes_freed += bytes;
  }
  return out;
}

std::vector<std::string> ApplyWorkspaceRetention(StateStore& store, const std::string& home,
                                                 std::chrono::milliseconds retention) {
  const std::chrono::system_clock::time_point before = std::chrono::system_clock::now() - retention;
  Result<WorkspaceCleanup> cleanup = RemoveOldWorkspaces(store, home, before);
  if (!cleanup.ok()) return {"warning: workspace cleanup: " + cleanup.message()};
  std::vector<std::string> lines;
  for (const std::string& problem : cleanup->problems) lines.push_back("warning: " + problem);
  if (!cleanup->removed.empty()) {
    lines.push_back("workspaces: removed those of " + std::to_string(cleanup->removed.size()) +
                    " run(s) that ended before " + FormatUtc(before) + " (workspace_retention " +
                    FormatDuration(retention) + "), " +
                    std::to_string((cleanup->bytes_freed + 512 * 1024) / (1024 * 1024)) +
                    " MiB freed");
  }
  return lines;
}

}  // namespace sluice
