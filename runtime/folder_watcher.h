// Watching the DAG folder: the seam between the scheduler's event loop and the file system.
//
// The daemon only talks to FolderWatcher, so its tests can use an in-memory fake; production
// uses the inotify implementation below. The watcher owns no thread: it hands the caller a
// file descriptor to poll or epoll, and a deadline for the changes it is holding back.
//
// What is reported, and when. A path is reported once it is *settled*, so that a reader never
// loads half a file:
//   - at once, after the writer closes it (IN_CLOSE_WRITE) or when it is renamed or moved into
//     the folder (IN_MOVED_TO) — how editors and `cp` finish a file;
//   - at once when it is deleted or renamed/moved out of the folder;
//   - otherwise (created or modified, never closed: a writer that keeps the file open, a hard
//     link, a symbolic link) once nothing happened to it for `settle_time`.
// Every further write starts the wait again, so a file written in chunks while held open is
// reported once, `settle_time` after its last chunk or at once when it is closed.
// Only the final state of a path counts within one ReadChanges: an editor that renames the
// old file away and writes a new one reports the path once, when the new one is closed.
//
// A reported path may exist or not: the caller stats it (DagRegistry::Apply does).
// Subfolders are watched as they appear, and when a folder is moved in, every DAG file under
// it is reported at once; when one is moved out or deleted, every DAG file the watcher knew
// under it is reported. Files found in a newly *created* folder (written before its watch
// was in place) wait `settle_time`, as they may still be being written.
// Hidden folders (".git") are not watched, as ListDagFiles (scheduler/dag_folder.h) skips them.
//
// When the kernel's event queue overflowed (IN_Q_OVERFLOW), events were lost: the watcher
// re-reads the folder tree to watch every subfolder again and sets `rescan_needed`; the caller
// then compares the whole folder with what it holds (DagRegistry::Rescan). When the watched
// folder itself is deleted or moved away, `folder_gone` is set and nothing more is reported.
//
// Thread safety: none. One thread — the event loop — calls every method.
#ifndef SLUICE_RUNTIME_FOLDER_WATCHER_H_
#define SLUICE_RUNTIME_FOLDER_WATCHER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/status.h"

namespace sluice {

/// The file names a DAG file can have, the rule of ListDagFiles (scheduler/dag_folder.h):
/// "*.yaml" and "*.yml", but not hidden files (".x", emacs' ".#x" locks, vim's ".x.swp") nor
/// backups ("x~"). Editors' other temporary files ("x.yaml.kate-swp", "4913", "#x#") fail
/// the extension test.
bool IsDagFileName(std::string_view name);

struct FolderChanges {
  /// Settled paths created, modified, deleted or moved in or out since the last call: sorted,
  /// each once, each the folder's path joined with the path below it ("DIR/sub/a.yaml").
  std::vector<std::string> paths;
  /// Events were lost (the kernel's queue overflowed): compare the whole folder again.
  bool rescan_needed = false;
  /// The watched folder itself was deleted or moved away: the watcher reports nothing more.
  /// Make a new watcher once the folder is back (the periodic rescan notices it).
  bool folder_gone = false;
  /// Problems that did not stop the watcher, for the log, e.g. a subfolder it cannot watch
  /// (its changes are then found only by the periodic rescan). Each says what to do.
  std::vector<std::string> warnings;
};

class FolderWatcher {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~FolderWatcher() = default;

  /// Becomes readable when events are waiting; the caller polls it (POLLIN) and then calls
  /// ReadChanges. Owned by the watcher; valid until it is destroyed.
  virtual int fd() const = 0;

  /// Reads every waiting event without blocking and returns the paths settled by now. Call it
  /// when fd() is readable and when NextDeadline() has passed; calling it at other times is
  /// harmless. Fails only when reading the events fails.
  virtual Result<FolderChanges> ReadChanges() = 0;

  /// When ReadChanges has something to report even if fd() is not readable: the first path
  /// held back for settling comes due, or now when warnings are waiting. nullopt: nothing is
  /// pending. Turn it into the poll timeout.
  virtual std::optional<Clock::time_point> NextDeadline() const = 0;
};

struct FolderWatcherOptions {
  /// How long a path created or modified without being closed must stay quiet before it is
  /// reported.
  std::chrono::milliseconds settle_time{300};
  /// Which file names are reported; folders are always watched (hidden ones excepted).
  std::function<bool(std::string_view name)> wanted_name = IsDagFileName;
};

/// Watches `dir` and every subfolder with inotify. Start it *before* loading the folder, so
/// that a change made during the load is reported rather than lost. Fails when `dir` is not
/// a readable folder or inotify is unavailable; a subfolder that cannot be watched is a
/// warning of the first ReadChanges instead (NextDeadline() is then now).
Result<std::unique_ptr<FolderWatcher>> MakeInotifyFolderWatcher(const std::string& dir,
                                                                FolderWatcherOptions options = {});

}  // namespace sluice

#endif  // SLUICE_RUNTIME_FOLDER_WATCHER_H_
