// Wakes the scheduler when another process has written the state database, so that CLI
// verbs (trigger, pause, clear) take effect at once without polling: an inotify watch on the
// database's folder for files *closed after writing* (IN_CLOSE_WRITE), filtered to the
// database file and its write-ahead log. A CLI verb closes them when it exits, after its
// commit; the scheduler keeps its own connection open, so its own writes never wake it.
// (Any process closing the database wakes it — a reader too: StateStore::ChangedElsewhere
// then says cheaply whether anything changed.) A process that writes and keeps the
// database open is noticed when it closes it.
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
