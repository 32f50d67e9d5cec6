// Wakes the scheduler when another process writes the state database, so that CLI verbs
// (trigger, pause, clear) take effect at once without polling: an inotify watch on the
// database's folder, filtered to the database file and its write-ahead log. The scheduler's
// own writes wake it too; StateStore::ChangedElsewhere tells them apart cheaply.
#ifndef SLUICE_RUNTIME_DATABASE_WATCH_H_
#define SLUICE_RUNTIME_DATABASE_WATCH_H_

#include <string>

#include "runtime/status.h"

namespace sluice {

class DatabaseWatch {
 public:
  static Result<DatabaseWatch> Create(const std::string& database_path);
  DatabaseWatch(DatabaseWatch&& other) noexcept;
  DatabaseWatch& operator=(DatabaseWatch&&) = delete;
  ~DatabaseWatch();

  /// Readable when the database may have changed; poll it with the other descriptors.
  int fd() const { return fd_; }
  /// Reads the pending notifications; true when one concerned the database.
  bool Drain();

 private:
  DatabaseWatch(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  int fd_ = -1;
  std::string name_;  // the database's file name; its log is NAME-wal
};

}  // namespace sluice

#endif  // SLUICE_RUNTIME_DATABASE_WATCH_H_
