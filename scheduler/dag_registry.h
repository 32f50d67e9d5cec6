// The scheduler daemon's view of the DAG folder: every DAG file under it, loaded and
// validated, with what each one schedules — kept in step with the folder by the paths the
// folder watcher reports (Apply) and by a periodic comparison with the folder (Rescan).
//
// The folder is the source of truth. A file that fails validation is held with its errors
// and schedules nothing; it never affects another file. Two files declaring the same DAG id:
// the first in path order schedules it and the other is broken by an error naming the first,
// until the first goes away or changes its id.
//
// Paths are spelled as ListDagFiles (dag_folder.h) and the folder watcher spell them: the
// folder's path as given, joined with the path below it ("DIR/team/sales.yaml").
//
// Thread safety: none. One thread — the event loop — calls every method.
#ifndef SLUICE_SCHEDULER_DAG_REGISTRY_H_
#define SLUICE_SCHEDULER_DAG_REGISTRY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/plugin_catalog.h"
#include "runtime/status.h"
#include "scheduler/dag.h"
#include "scheduler/diagnostic.h"
#include "scheduler/schedule.h"

namespace sluice {

/// A DAG ready to be scheduled. Immutable and shared: a run may keep it while the file changes.
struct RegisteredDag {
  DagSpec spec;
  std::optional<Schedule> schedule;  // set when the DAG has a `schedule`
};

/// One file as `sluice dags list` shows it.
struct DagFileState {
  std::string path;
  std::string dag_id;        // from `dag:` or the file's stem, even for a broken file
  std::string content_hash;  // of the bytes last loaded
  std::shared_ptr<const RegisteredDag> dag;  // null when the file is broken
  Diagnostics errors;        // why it is broken; empty when `dag` is set
};

/// What an Apply or Rescan changed. DAG ids and paths, each list sorted.
struct DagRegistryChanges {
  std::vector<std::string> added;    // a new id that loads
  std::vector<std::string> updated;  // loaded before and after, from other bytes or another file
  std::vector<std::string> removed;  // no file declares it any more
  std::vector<std::string> broken;   // declared, but no file of it loads any more (or yet)
  std::vector<std::string> fixed;    // was broken, loads now
  // For the state store's dag_files table: files whose row changed (new, other bytes, other
  // errors — a duplicate promoted counts) and files gone.
  std::vector<std::string> changed_files;
  std::vector<std::string> removed_files;

  bool empty() const { return changed_files.empty() && removed_files.empty(); }
};

class DagRegistry {
 public:
  /// An empty registry of the folder `dir`; call Rescan() to load it. `plugins` must outlive
  /// the registry. With `declared_pools` (the scheduler config's), a task naming another
  /// pool makes its file broken.
  DagRegistry(std::string dir, const PluginCatalog& plugins,
              std::optional<std::set<std::string>> declared_pools = std::nullopt);

  /// Reloads the given files, as the folder watcher reports them: a file that no longer
  /// exists is removed, a file whose bytes are unchanged is left as it is, any other is
  /// loaded and validated again.
  DagRegistryChanges Apply(const std::vector<std::string>& paths);

  /// The backstop of the watcher, cheap enough to run every few seconds: lists the folder and
  /// reloads only the files whose modification time, size or inode differ from what was
  /// loaded, plus new and vanished files. Fails, holding on to what it has, when the folder
  /// cannot be listed.
  Result<DagRegistryChanges> Rescan();

  /// The scheduler config's pools changed (it was read again): the files that name a pool or
  /// are broken are validated again against `declared_pools`; a DAG whose only problem was an
  /// undeclared pool loads now, one naming a pool no longer declared breaks. The others stay.
  DagRegistryChanges SetDeclaredPools(std::set<std::string> declared_pools);

  /// The DAG `dag_id` ready to schedule; null when no file declares it or its file is broken.
  std::shared_ptr<const RegisteredDag> Find(std::string_view dag_id) const;

  /// The ids of every DAG ready to schedule, sorted.
  std::vector<std::string> DagIds() const;

  /// Every file, in path order.
  std::vector<DagFileState> Files() const;
  /// One file; nullopt when the registry does not hold it.
  std::optional<DagFileState> File(const std::string& path) const;

  size_t file_count() const { return files_.size(); }
  const std::string& dir() const { return dir_; }

 private:
  // What a file's modification looks like from stat(): a rescan reloads the file when it
  // differs. ctime and inode catch a rewrite within one clock tick and a replaced file.
  struct Stamp {
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
    int64_t size = -1;
    uint64_t inode = 0;
    bool operator==(const Stamp&) const = default;
  };

  struct Entry {
    Stamp stamp;
    std::string dag_id;
    std::string content_hash;
    std::shared_ptr<const RegisteredDag> dag;  // null when the file has errors of its own
    Diagnostics errors;
  };

  // What a DAG id stands for at one moment, to tell added from updated from broken.
  struct IdState {
    const RegisteredDag* dag = nullptr;  // the owner's, when one file loads
    bool declared = false;               // some file declares it
    bool operator==(const IdState&) const = default;
  };

  // Apply's work; `revalidate`: load even files whose bytes are unchanged, and keep the held
  // entry only when the result is the same (SetDeclaredPools).
  DagRegistryChanges Reload(const std::vector<std::string>& paths, bool revalidate);
  static std::optional<Stamp> StatFile(const std::string& path);
  bool IsDagPath(const std::string& path) const;
  // Reads and loads `path`; nullopt when it is not a regular file any more. `held` is the
  // entry loaded before, reused when the bytes are the same.
  std::optional<Entry> Load(const std::string& path, const Entry* held) const;

  const std::string* OwnerOf(const std::string& dag_id) const;
  IdState StateOf(const std::string& dag_id) const;
  DagFileState StateOfFile(const std::string& path, const Entry& entry) const;
  std::map<std::string, std::string> RowsOf(const std::set<std::string>& dag_ids) const;
  void Insert(const std::string& path, Entry entry);
  void Erase(const std::string& path);

  std::string dir_;
  const PluginCatalog& plugins_;
  std::optional<std::set<std::string>> declared_pools_;
  std::map<std::string, Entry> files_;  // by path: path order decides duplicates
  std::map<std::string, std::set<std::string>, std::less<>> paths_by_id_;
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DAG_REGISTRY_H_
