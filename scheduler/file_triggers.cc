#include "scheduler/file_triggers.h"

#include <sys/stat.h>

#include <filesystem>

#include "scheduler/file_glob.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

int64_t Nanoseconds(const timespec& t) {
  return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

}  // namespace

void FileTriggers::Update(const std::map<std::string, FileTriggerSpec>& triggers,
                          std::vector<std::string>& warnings) {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> wanted;
  for (const auto& [dag_id, trigger] : triggers) {
    wanted[trigger.directory].emplace_back(dag_id, trigger.name_glob);
  }
  for (auto it = folders_.begin(); it != folders_.end();) {
    it = wanted.count(it->first) == 0 ? folders_.erase(it) : std::next(it);
  }
  for (auto& [directory, globs] : wanted) {
    Folder& folder = folders_[directory];
    folder.globs = std::move(globs);
    if (folder.watcher) continue;
    FolderWatcherOptions options;
    options.settle_time = settle_time_;
    options.wanted_name = [](std::string_view name) { return !name.empty() && name[0] != '.'; };
    Result<std::unique_ptr<FolderWatcher>> watcher = MakeInotifyFolderWatcher(directory, options);
    if (watcher.ok()) {
      folder.watcher = std::move(watcher).value();
    } else {
      warnings.push_back("file trigger folder " + directory + " cannot be watched yet (" +
                         watcher.message() + "); looking again at the next rescan");
    }
  }
}

std::vector<int> FileTriggers::fds() const {
  std::vector<int> out;
  for (const auto& [directory, folder] : folders_) {
    if (folder.watcher) out.push_back(folder.watcher->fd());
  }
  return out;
}

std::optional<FileTriggers::Clock::time_point> FileTriggers::NextDeadline() const {
  std::optional<Clock::time_point> next;
  for (const auto& [directory, folder] : folders_) {
    if (!folder.watcher) continue;
    if (auto d = folder.watcher->NextDeadline(); d && (!next || *d < *next)) next = d;
  }
  return next;
}

void FileTriggers::Match(const Folder& folder, const std::string& path, bool skip_recent,
                         std::vector<TriggerCandidate>& out) const {
  const fs::path p(path);
  const std::string name = p.filename().string();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  if (skip_recent) {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    if (Nanoseconds(now) - Nanoseconds(st.st_mtim) <
        std::chrono::duration_cast<std::chrono::nanoseconds>(settle_time_).count()) {
      return;
    }
  }
  for (const auto& [dag_id, glob] : folder.globs) {
    if (!MatchesFileGlob(glob, name)) continue;
    out.push_back({dag_id, path, static_cast<int64_t>(st.st_size), Nanoseconds(st.st_mtim)});
  }
}

std::vector<TriggerCandidate> FileTriggers::Collect(bool scan_all,
                                                    std::vector<std::string>& warnings) {
  std::vector<TriggerCandidate> out;
  if (scan_all) {
    // Folders that could not be watched before may exist now.
    for (auto& [directory, folder] : folders_) {
      if (folder.watcher) continue;
      Result<std::unique_ptr<FolderWatcher>> watcher = MakeInotifyFolderWatcher(
          directory, {settle_time_, [](std::string_view n) { return !n.empty() && n[0] != '.'; }});
      if (watcher.ok()) folder.watcher = std::move(watcher).value();
    }
  }
  for (auto& [directory, folder] : folders_) {
    if (!folder.watcher) continue;
    Result<FolderChanges> changes = folder.watcher->ReadChanges();
    if (!changes.ok()) {
      warnings.push_back("file trigger folder " + directory + ": " + changes.message());
      continue;
    }
    for (const std::string& w : changes->warnings) warnings.push_back(w);
    for (const std::string& path : changes->paths) {
      // Only the folder itself: the pattern names no subfolder.
      if (fs::path(path).parent_path() == fs::path(directory)) Match(folder, path, false, out);
    }
    if (changes->folder_gone) {
      warnings.push_back("file trigger folder " + directory + " is gone; watching it again once it is back");
      folder.watcher.reset();
      continue;
    }
    if (!scan_all && !changes->rescan_needed) continue;
    std::error_code ec;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
      Match(folder, it->path().string(), /*skip_recent=*/true, out);
    }
  }
  return out;
}

}  // namespace sluice
