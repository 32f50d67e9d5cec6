#include "scheduler/dag_registry.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "runtime/child_io.h"
#include "runtime/folder_watcher.h"
#include "scheduler/content_hash.h"
#include "scheduler/dag_folder.h"
#include "scheduler/dag_loader.h"

namespace sluice {
namespace {

bool SameProblems(const Diagnostics& a, const Diagnostics& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].ToString() != b[i].ToString()) return false;
  }
  return true;
}

int64_t Nanoseconds(const timespec& t) { return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec; }

// Reads what is left of `fd`; false on a read error.
bool ReadAll(int fd, std::string& out) {
  char chunk[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out.append(chunk, static_cast<size_t>(n));
  }
}

// Loaded DAGs stay in memory for the daemon's life: give back what parsing over-allocated.
void Compact(DagSpec& dag) {
  for (TaskSpec& task : dag.tasks) {
    task.with_json.shrink_to_fit();
    task.depends_on.shrink_to_fit();
  }
  dag.tasks.shrink_to_fit();
  dag.params.shrink_to_fit();
  dag.description.shrink_to_fit();
}

std::string Fingerprint(const DagFileState& file) {
  std::string out = file.content_hash + '\n' + file.dag_id;
  for (const Diagnostic& d : file.errors) out += '\n' + d.ToString();
  return out;
}

template <typename Container>
std::vector<std::string> Sorted(const Container& items) {
  std::vector<std::string> out(items.begin(), items.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

DagRegistry::DagRegistry(std::string dir, const PluginCatalog& plugins,
                         std::optional<std::set<std::string>> declared_pools)
    : dir_(std::move(dir)), plugins_(plugins), declared_pools_(std::move(declared_pools)) {}

// The rule of ListDagFiles, for paths handed to Apply: below the folder, in no hidden
// subfolder, with a DAG file's name. Anything else is not a DAG file, even if it exists.
bool DagRegistry::IsDagPath(const std::string& path) const {
  if (path.size() <= dir_.size() || path.compare(0, dir_.size(), dir_) != 0) return false;
  size_t start = dir_.size();
  if (dir_.back() != '/') {
    if (path[start] != '/') return false;
    ++start;
  }
  for (;;) {
    const size_t slash = path.find('/', start);
    const std::string_view part = std::string_view(path).substr(start, slash - start);
    if (slash == std::string::npos) return IsDagFileName(part);
    if (part.empty() || part.front() == '.') return false;
    start = slash + 1;
  }
}

std::optional<DagRegistry::Stamp> DagRegistry::StatFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Stamp{Nanoseconds(st.st_mtim), Nanoseconds(st.st_ctim), st.st_size, st.st_ino};
}

std::optional<DagRegistry::Entry> DagRegistry::Load(const std::string& path,
                                                    const Entry* held) const {
  if (!IsDagPath(path)) return std::nullopt;
  Entry entry;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st;
  std::string bytes;
  if (fd.get() >= 0 && ::fstat(fd.get(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) return std::nullopt;
    // Stamped before reading: a write during the read leaves a stamp the next rescan
    // finds different, so the newer bytes are loaded then.
    entry.stamp = Stamp{Nanoseconds(st.st_mtim), Nanoseconds(st.st_ctim), st.st_size, st.st_ino};
  }
  if (fd.get() < 0 || entry.stamp.size < 0 || !ReadAll(fd.get(), bytes)) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) return std::nullopt;  // deleted meanwhile
    entry.dag_id = std::filesystem::path(path).stem().string();
    entry.errors.push_back(Diagnostic{path, 0, 0, std::string("cannot read the file: ") +
                                      std::strerror(error), "check that it is readable"});
    return entry;
  }
  entry.content_hash = ContentHash(bytes);
  if (held != nullptr && held->content_hash == entry.content_hash) {
    Entry same = *held;
    same.stamp = entry.stamp;
    return same;
  }
  DagLoadResult loaded =
      LoadDagText(path, bytes, plugins_, declared_pools_ ? &*declared_pools_ : nullptr);
  entry.dag_id = std::move(loaded.dag_id);
  entry.errors = std::move(loaded.diagnostics);
  if (!loaded.dag) return entry;
  auto dag = std::make_shared<RegisteredDag>();
  dag->spec = std::move(*loaded.dag);
  if (!dag->spec.schedule.empty()) {
    auto schedule = Schedule::ForDag(dag->spec);
    if (!schedule.ok()) {
      entry.errors.push_back(Diagnostic{path, 0, 0, schedule.message(), ""});
      return entry;
    }
    dag->schedule = std::move(*schedule);
  }
  Compact(dag->spec);
  entry.dag = std::move(dag);
  return entry;
}

const std::string* DagRegistry::OwnerOf(const std::string& dag_id) const {
  auto paths = paths_by_id_.find(dag_id);
  if (paths == paths_by_id_.end()) return nullptr;
  for (const std::string& path : paths->second) {
    if (files_.at(path).dag != nullptr) return &path;
  }
  return nullptr;
}

DagRegistry::IdState DagRegistry::StateOf(const std::string& dag_id) const {
  IdState state;
  state.declared = paths_by_id_.count(dag_id) != 0;
  if (const std::string* owner = OwnerOf(dag_id)) state.dag = files_.at(*owner).dag.get();
  return state;
}

DagFileState DagRegistry::StateOfFile(const std::string& path, const Entry& entry) const {
  DagFileState state;
  state.path = path;
  state.dag_id = entry.dag_id;
  state.content_hash = entry.content_hash;
  state.errors = entry.errors;
  if (entry.dag == nullptr) return state;
  const std::string* owner = OwnerOf(entry.dag_id);
  if (owner != nullptr && *owner != path) {
    state.errors.push_back(Diagnostic{
        path, 0, 0, "DAG id '" + entry.dag_id + "' is already declared by " + *owner +
                        "; this file is not scheduled",
        "give one of the two files another `dag:` id, or remove one"});
    return state;
  }
  state.dag = entry.dag;
  return state;
}

// Every file declaring one of `dag_ids`, with what its dag_files row would say.
std::map<std::string, std::string> DagRegistry::RowsOf(const std::set<std::string>& dag_ids) const {
  std::map<std::string, std::string> rows;
  for (const std::string& id : dag_ids) {
    auto paths = paths_by_id_.find(id);
    if (paths == paths_by_id_.end()) continue;
    for (const std::string& path : paths->second) {
      rows[path] = Fingerprint(StateOfFile(path, files_.at(path)));
    }
  }
  return rows;
}

void DagRegistry::Insert(const std::string& path, Entry entry) {
  paths_by_id_[entry.dag_id].insert(path);
  files_.insert_or_assign(path, std::move(entry));
}

void DagRegistry::Erase(const std::string& path) {
  auto held = files_.find(path);
  if (held == files_.end()) return;
  auto paths = paths_by_id_.find(held->second.dag_id);
  paths->second.erase(path);
  if (paths->second.empty()) paths_by_id_.erase(paths);
  files_.erase(held);
}

DagRegistryChanges DagRegistry::Apply(const std::vector<std::string>& paths) {
  return Reload(paths, /*revalidate=*/false);
}

DagRegistryChanges DagRegistry::SetDeclaredPools(std::set<std::string> declared_pools) {
  declared_pools_ = std::move(declared_pools);
  std::vector<std::string> affected;
  for (const auto& [path, entry] : files_) {
    bool names_a_pool = !entry.errors.empty();  // the problem may be an undeclared pool
    if (entry.dag) {
      for (const TaskSpec& task : entry.dag->spec.tasks) names_a_pool |= !task.pool.empty();
    }
    if (names_a_pool) affected.push_back(path);
  }
  return Reload(affected, /*revalidate=*/true);
}

DagRegistryChanges DagRegistry::Reload(const std::vector<std::string>& paths, bool revalidate) {
  // Load first, change nothing yet: the DAG ids the new files declare are needed to take the
  // "before" picture.
  std::vector<std::pair<std::string, std::optional<Entry>>> reloaded;
  std::set<std::string> ids;
  for (const std::string& path : Sorted(paths)) {
    auto held = files_.find(path);
    const Entry* before = held == files_.end() ? nullptr : &held->second;
    std::optional<Entry> after = Load(path, revalidate ? nullptr : before);
    if (before == nullptr && !after) continue;  // never held, not there
    if (before != nullptr && after && after->content_hash == before->content_hash &&
        (!revalidate || SameProblems(before->errors, after->errors))) {
      held->second.stamp = after->stamp;  // same bytes, same verdict: nothing changes
      continue;
    }
    if (before != nullptr) ids.insert(before->dag_id);
    if (after) ids.insert(after->dag_id);
    reloaded.emplace_back(path, std::move(after));
  }
  if (reloaded.empty()) return {};

  std::map<std::string, IdState> states_before;
  for (const std::string& id : ids) states_before[id] = StateOf(id);
  const std::map<std::string, std::string> rows_before = RowsOf(ids);
  for (auto& [path, entry] : reloaded) {
    Erase(path);
    if (entry) Insert(path, std::move(*entry));
  }
  const std::map<std::string, std::string> rows_after = RowsOf(ids);

  DagRegistryChanges changes;
  for (const std::string& id : ids) {
    const IdState before = states_before[id];
    const IdState after = StateOf(id);
    if (before == after) continue;
    if (after.dag != nullptr) {
      (before.dag != nullptr ? changes.updated : before.declared ? changes.fixed : changes.added)
          .push_back(id);
    } else if (after.declared) {
      if (before.dag != nullptr || !before.declared) changes.broken.push_back(id);
    } else {
      changes.removed.push_back(id);
    }
  }
  for (const auto& [path, row] : rows_after) {
    auto old = rows_before.find(path);
    if (old == rows_before.end() || old->second != row) changes.changed_files.push_back(path);
  }
  for (const auto& [path, row] : rows_before) {
    if (rows_after.count(path) == 0) changes.removed_files.push_back(path);
  }
  return changes;
}

Result<DagRegistryChanges> DagRegistry::Rescan() {
  auto listed = ListDagFiles(dir_);
  if (!listed.ok()) return listed.status();
  std::vector<std::string> differ;
  for (const std::string& path : *listed) {
    auto held = files_.find(path);
    if (held == files_.end() || StatFile(path) != held->second.stamp) differ.push_back(path);
  }
  for (const auto& [path, entry] : files_) {
    if (!std::binary_search(listed->begin(), listed->end(), path)) differ.push_back(path);
  }
  return Apply(differ);
}

std::shared_ptr<const RegisteredDag> DagRegistry::Find(std::string_view dag_id) const {
  const std::string* owner = OwnerOf(std::string(dag_id));
  return owner == nullptr ? nullptr : files_.at(*owner).dag;
}

std::vector<std::string> DagRegistry::DagIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, paths] : paths_by_id_) {
    if (OwnerOf(id) != nullptr) ids.push_back(id);
  }
  return ids;
}

std::vector<DagFileState> DagRegistry::Files() const {
  std::vector<DagFileState> out;
  out.reserve(files_.size());
  for (const auto& [path, entry] : files_) out.push_back(StateOfFile(path, entry));
  return out;
}

std::optional<DagFileState> DagRegistry::File(const std::string& path) const {
  auto held = files_.find(path);
  if (held == files_.end()) return std::nullopt;
  return StateOfFile(path, held->second);
}

}  // namespace sluice
