// The folders that file-triggered DAGs (`trigger: {files: PATTERN}`) watch, and the files
// that arrive in them.
//
// One folder watcher per folder, shared by every DAG whose pattern names it. A file is a
// candidate once it is settled (closed after writing, moved in, or quiet for the settle
// time — folder_watcher.h), so a half-copied file never starts a run. Collect(scan_all)
// also lists every folder, for files that arrived while the scheduler was down or that the
// kernel's event queue lost; the caller keeps what already started a run in the state
// database (trigger_files), so a file starts one run per DAG, once, across restarts.
//
// Thread safety: none; the event loop's thread only.
#ifndef SLUICE_SCHEDULER_FILE_TRIGGERS_H_
#define SLUICE_SCHEDULER_FILE_TRIGGERS_H_

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/folder_watcher.h"
#include "scheduler/dag.h"

namespace sluice {

/// A file that matches a DAG's trigger pattern, as it is now.
struct TriggerCandidate {
  std::string dag_id;
  std::string path;
  int64_t size = 0;
  int64_t mtime_ns = 0;
};

class FileTriggers {
 public:
  using Clock = std::chrono::steady_clock;

  explicit FileTriggers(std::chrono::milliseconds settle_time = std::chrono::milliseconds(300))
      : settle_time_(settle_time) {}

  /// The file-triggered DAGs now (id -> its trigger). Watches the folders they name and
  /// stops watching the others. A folder that cannot be watched yet (it does not exist) is
  /// a warning and is tried again at the next call or Collect(true).
  void Update(const std::map<std::string, FileTriggerSpec>& triggers,
              std::vector<std::string>& warnings);

  /// Descriptors to poll, and when Collect has something even if none is readable.
  std::vector<int> fds() const;
  std::optional<Clock::time_point> NextDeadline() const;

  /// Files settled since the last call that match some DAG's pattern; with `scan_all`, also
  /// every matching file present in the folders (skipping files modified in the last settle
  /// time: they may still be being written, and the watcher reports them when done).
  std::vector<TriggerCandidate> Collect(bool scan_all, std::vector<std::string>& warnings);

  size_t folder_count() const { return folders_.size(); }

 private:
  struct Folder {
    std::unique_ptr<FolderWatcher> watcher;  // null while the folder cannot be watched
    std::vector<std::pair<std::string, std::string>> globs;  // (dag id, name glob)
  };

  void Match(const Folder& folder, const std::string& path, bool skip_recent,
             std::vector<TriggerCandidate>& out) const;

  std::chrono::milliseconds settle_time_;
  std::map<std::string, Folder> folders_;  // by folder path
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_FILE_TRIGGERS_H_
