#include "runtime/folder_watcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "runtime/child_io.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using Clock = FolderWatcher::Clock;

// What a watched folder tells us. IN_EXCL_UNLINK: a deleted file that a writer still holds
// open says nothing more. No IN_ATTRIB: `touch` or chmod does not change a DAG.
constexpr uint32_t kFolderEvents = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE |
                                   IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                                   IN_ONLYDIR | IN_EXCL_UNLINK;
// Subfolders reached by a symbolic link are not walked (as in ListDagFiles), so a subfolder
// replaced by a link between the walk and the watch is not followed either.
constexpr uint32_t kSubfolderEvents = kFolderEvents | IN_DONT_FOLLOW;

bool IsHidden(std::string_view name) { return !name.empty() && name.front() == '.'; }

std::string Join(const std::string& rel, std::string_view name) {
  return rel.empty() ? std::string(name) : rel + "/" + std::string(name);
}

std::string WatchLimitHint(int error) {
  if (error == ENOSPC) {
    return " — raise the limit of inotify watches (sysctl fs.inotify.max_user_watches)";
  }
  return "";
}

class InotifyFolderWatcher final : public FolderWatcher {
 public:
  InotifyFolderWatcher(std::string root, FolderWatcherOptions options, Fd inotify)
      : root_(std::move(root)), options_(std::move(options)), inotify_(std::move(inotify)) {}

  // Watches the whole tree; fails when the folder itself cannot be watched.
  Status Start();

  int fd() const override { return inotify_.get(); }
  Result<FolderChanges> ReadChanges() override;
  std::optional<Clock::time_point> NextDeadline() const override;

 private:
  // What becomes of the DAG files found while a folder is being watched.
  enum class Found {
    kAlreadyKnown,    // the caller loads the folder itself: report nothing
    kReportNow,       // the folder was moved in: its files are complete
    kAfterSettling,   // the folder was just created: its files may still be being written
  };

  struct Folder {
    std::string rel;              // below the root, "" for the root itself
    std::set<std::string> files;  // wanted names seen in it, to report when it goes away
  };

  std::string PathOf(const std::string& rel, std::string_view name) const {
    fs::path path(root_);
    if (!rel.empty()) path /= rel;
    if (!name.empty()) path /= name;
    return path.string();
  }

  bool WatchTree(const std::string& rel, Found found);
  void UnwatchTree(const std::string& rel);
  void Resynchronize();
  void Handle(int wd, uint32_t mask, std::string_view name, Clock::time_point now);
  void HandleFile(Folder& folder, uint32_t mask, std::string_view name, Clock::time_point now);
  void LoseRoot();

  void ReportNow(const std::string& path) {
    settling_.erase(path);
    due_.insert(path);
  }
  void ReportWhenSettled(const std::string& path, Clock::time_point now) {
    due_.erase(path);
    settling_[path] = now + options_.settle_time;
  }

  const std::string root_;
  const FolderWatcherOptions options_;
  Fd inotify_;
  std::unordered_map<int, Folder> folders_;  // by watch descriptor
  std::map<std::string, int> watch_by_rel_;  // sorted, so a subtree is a range of it
  std::map<std::string, Clock::time_point> settling_;  // path -> when it is due
  std::set<std::string> due_;                // reported by the next ReadChanges
  std::vector<std::string> warnings_;
  bool rescan_needed_ = false;
  bool folder_gone_ = false;
  std::vector<char> buffer_ = std::vector<char>(64 * 1024);
};

Status InotifyFolderWatcher::Start() {
  if (WatchTree("", Found::kAlreadyKnown)) return Status::Ok();
  return Status::Error(warnings_.front());
}

// Adds a watch on ROOT/rel and every non-hidden folder below it, and records the DAG files
// in them. Returns false when ROOT/rel itself could not be watched (a warning says why).
bool InotifyFolderWatcher::WatchTree(const std::string& rel, Found found) {
  const std::string dir = rel.empty() ? root_ : PathOf(rel, "");
  const int wd = ::inotify_add_watch(inotify_.get(), dir.c_str(),
                                     rel.empty() ? kFolderEvents : kSubfolderEvents);
  if (wd < 0) {
    const int error = errno;
    // A subfolder gone already has nothing to watch; the root must be there.
    if (!rel.empty() && (error == ENOENT || error == ENOTDIR)) return false;
    warnings_.push_back(
        (rel.empty() ? "cannot watch DAG folder '" : "cannot watch folder '") + dir + "': " +
        std::strerror(error) + WatchLimitHint(error) +
        (rel.empty() ? "" : "; changes there are found by the periodic rescan only"));
    return false;
  }
  // The same folder reached twice (a bind mount inside itself) is watched once, not walked
  // forever.
  if (folders_.count(wd) != 0) return true;
  folders_[wd].rel = rel;
  watch_by_rel_[rel] = wd;

  std::vector<std::string> subfolders;
  std::set<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (it->symlink_status(type_ec).type() == fs::file_type::directory) {
      if (!IsHidden(name)) subfolders.push_back(name);
    } else if (options_.wanted_name(name)) {
      files.insert(name);
    }
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    warnings_.push_back("cannot list folder '" + dir + "': " + ec.message() +
                        "; check its permissions");
  }
  const Clock::time_point now = Clock::now();
  for (const std::string& name : files) {
    if (found == Found::kReportNow) ReportNow(PathOf(rel, name));
    if (found == Found::kAfterSettling) ReportWhenSettled(PathOf(rel, name), now);
  }
  folders_[wd].files = std::move(files);
  for (const std::string& name : subfolders) WatchTree(Join(rel, name), found);
  return true;
}

// Drops the watches of ROOT/rel and every folder below it; the DAG files known in them are
// reported, since they are no longer where they were.
void InotifyFolderWatcher::UnwatchTree(const std::string& rel) {
  const std::string prefix = rel + "/";
  std::vector<std::string> dropped;
  if (watch_by_rel_.count(rel) != 0) dropped.push_back(rel);
  for (auto it = watch_by_rel_.lower_bound(prefix);
       it != watch_by_rel_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    dropped.push_back(it->first);
  }
  for (const std::string& folder_rel : dropped) {
    const int wd = watch_by_rel_[folder_rel];
    for (const std::string& name : folders_[wd].files) ReportNow(PathOf(folder_rel, name));
    // Fails harmlessly when the kernel dropped the watch already (the folder was deleted).
    ::inotify_rm_watch(inotify_.get(), wd);
    folders_.erase(wd);
    watch_by_rel_.erase(folder_rel);
  }
}

// After lost events: walks the tree again. A folder still watched keeps its watch (the kernel
// returns the same descriptor), a folder renamed meanwhile gets its new name, a folder gone
// loses its watch. The caller is told to rescan, so no file is reported here.
void InotifyFolderWatcher::Resynchronize() {
  std::unordered_map<int, Folder> before = std::move(folders_);
  folders_.clear();
  watch_by_rel_.clear();
  const bool root_watched = WatchTree("", Found::kAlreadyKnown);
  for (const auto& [wd, folder] : before) {
    if (folders_.count(wd) == 0) ::inotify_rm_watch(inotify_.get(), wd);
  }
  rescan_needed_ = true;
  if (!root_watched) LoseRoot();
}

void InotifyFolderWatcher::LoseRoot() {
  for (const auto& [wd, folder] : folders_) ::inotify_rm_watch(inotify_.get(), wd);
  folders_.clear();
  watch_by_rel_.clear();
  settling_.clear();
  folder_gone_ = true;
  rescan_needed_ = true;
  warnings_.push_back("the DAG folder '" + root_ +
                      "' was deleted or moved away; its DAGs are no longer watched — put it "
                      "back, and the scheduler watches it again");
}

void InotifyFolderWatcher::Handle(int wd, uint32_t mask, std::string_view name,
                                  Clock::time_point now) {
  if (mask & IN_Q_OVERFLOW) {
    Resynchronize();
    return;
  }
  auto found = folders_.find(wd);
  if (found == folders_.end()) return;  // a watch dropped already; its last events are moot
  const std::string rel = found->second.rel;  // copied: watching may rehash folders_
  if (mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)) {
    if (rel.empty()) {
      LoseRoot();
      return;
    }
    // A subfolder's own news before its parent's (a folder being deleted may say so first).
    // Deleted, it held no file any more; moved, or dropped by the kernel, its files went
    // where its parent's events did not say: compare the whole folder.
    UnwatchTree(rel);
    if (!(mask & IN_DELETE_SELF)) rescan_needed_ = true;
    return;
  }
  if (name.empty()) return;
  if (mask & IN_ISDIR) {
    if (IsHidden(name)) return;
    const std::string child = Join(rel, name);
    if (mask & (IN_DELETE | IN_MOVED_FROM)) UnwatchTree(child);
    if (mask & IN_MOVED_TO) WatchTree(child, Found::kReportNow);
    if (mask & IN_CREATE) WatchTree(child, Found::kAfterSettling);
    return;
  }
  HandleFile(found->second, mask, name, now);
}

void InotifyFolderWatcher::HandleFile(Folder& folder, uint32_t mask, std::string_view name,
                                      Clock::time_point now) {
  if (!options_.wanted_name(name)) return;
  const std::string path = PathOf(folder.rel, name);
  if (mask & (IN_DELETE | IN_MOVED_FROM)) {
    folder.files.erase(std::string(name));
    ReportNow(path);
  } else if (mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
    folder.files.emplace(name);
    ReportNow(path);
  } else if (mask & (IN_CREATE | IN_MODIFY)) {
    folder.files.emplace(name);
    ReportWhenSettled(path, now);
  }
}

Result<FolderChanges> InotifyFolderWatcher::ReadChanges() {
  // Drained to the end even once the folder is gone, so the descriptor does not stay
  // readable and spin the caller's loop.
  for (;;) {
    const ssize_t n = ::read(inotify_.get(), buffer_.data(), buffer_.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      return Status::Error(ErrnoMessage("cannot read the events of DAG folder '" + root_ + "'"));
    }
    const Clock::time_point now = Clock::now();
    for (size_t offset = 0;
         !folder_gone_ && offset + sizeof(inotify_event) <= static_cast<size_t>(n);) {
      inotify_event header;
      std::memcpy(&header, buffer_.data() + offset, sizeof header);
      const char* name = buffer_.data() + offset + sizeof header;
      // The name is NUL-padded to `len` bytes, and absent (len 0) for the folder itself.
      Handle(header.wd, header.mask, header.len > 0 ? std::string_view(name) : std::string_view(),
             now);
      offset += sizeof header + header.len;
    }
  }
  const Clock::time_point now = Clock::now();
  for (auto it = settling_.begin(); it != settling_.end();) {
    if (it->second <= now) {
      due_.insert(it->first);
      it = settling_.erase(it);
    } else {
      ++it;
    }
  }
  FolderChanges changes;
  changes.paths.assign(due_.begin(), due_.end());
  due_.clear();
  changes.rescan_needed = std::exchange(rescan_needed_, false);
  changes.folder_gone = folder_gone_;
  changes.warnings = std::exchange(warnings_, {});
  return changes;
}

std::optional<Clock::time_point> InotifyFolderWatcher::NextDeadline() const {
  if (!warnings_.empty() || !due_.empty() || rescan_needed_) return Clock::now();
  std::optional<Clock::time_point> first;
  for (const auto& [path, due] : settling_) {
    if (!first || due < *first) first = due;
  }
  return first;
}

}  // namespace

bool IsDagFileName(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '~') return false;
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view extension = name.substr(dot);
  return extension == ".yaml" || extension == ".yml";
}

Result<std::unique_ptr<FolderWatcher>> MakeInotifyFolderWatcher(const std::string& dir,
                                                                FolderWatcherOptions options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::Error("cannot watch DAG folder '" + dir +
                         "': it is not a folder — create it, or point --dags at the folder "
                         "that holds your DAG files");
  }
  Fd inotify(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (inotify.get() < 0) {
    const std::string hint = errno == EMFILE
                                 ? " — raise the limit of inotify instances "
                                   "(sysctl fs.inotify.max_user_instances)"
                                 : "";
    return Status::Error(ErrnoMessage("cannot watch DAG folder '" + dir + "'") + hint);
  }
  if (!options.wanted_name) options.wanted_name = IsDagFileName;
  auto watcher =
      std::make_unique<InotifyFolderWatcher>(dir, std::move(options), std::move(inotify));
  if (Status started = watcher->Start(); !started.ok()) return started;
  return std::unique_ptr<FolderWatcher>(std::move(watcher));
}

}  // namespace sluice
