#include "runtime/database_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace sluice {

Result<DatabaseWatch> DatabaseWatch::Create(const std::string& database_path) {
  const std::filesystem::path path(database_path);
  const std::string folder = path.has_parent_path() ? path.parent_path().string() : std::string(".");
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Status::Error(std::string("inotify_init1: ") + std::strerror(errno));
  if (::inotify_add_watch(fd, folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
    const std::string error = std::strerror(errno);
    ::close(fd);
    return Status::Error("cannot watch " + folder + " for changes to the state database: " +
                         error);
  }
  return DatabaseWatch(fd, path.filename().string());
}

DatabaseWatch::DatabaseWatch(DatabaseWatch&& other) noexcept
    : fd_(other.fd_), name_(std::move(other.name_)) {
  other.fd_ = -1;
}

DatabaseWatch::~DatabaseWatch() {
  if (fd_ >= 0) ::close(fd_);
}

bool DatabaseWatch::Drain() {
  bool relevant = false;
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) break;  // EAGAIN: drained
    for (ssize_t offset = 0; offset < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      const std::string_view name = event->len > 0 ? std::string_view(event->name) : "";
      const bool is_log = name.size() == name_.size() + 4 && name.substr(0, name_.size()) == name_ &&
                          name.substr(name_.size()) == "-wal";
      if (name == name_ || is_log || (event->mask & IN_Q_OVERFLOW) != 0) {
        relevant = true;
      }
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  return relevant;
}

}  // namespace sluice
