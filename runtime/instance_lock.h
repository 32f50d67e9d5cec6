// One scheduler per state database: an exclusive lock on a file beside it that names the
// process holding it. The kernel drops the lock when the process dies, however it dies, so a
// scheduler killed with SIGKILL never blocks the next one.
#ifndef SLUICE_RUNTIME_INSTANCE_LOCK_H_
#define SLUICE_RUNTIME_INSTANCE_LOCK_H_

#include <string>

#include "runtime/status.h"

namespace sluice {

class InstanceLock {
 public:
  InstanceLock(InstanceLock&& other) noexcept;
  InstanceLock& operator=(InstanceLock&&) = delete;
  InstanceLock(const InstanceLock&) = delete;
  ~InstanceLock();

  /// Takes the lock at `path` (created when missing) for this process, or fails naming the
  /// process that holds it: "… is held by sluice scheduler pid 1234 …".
  static Result<InstanceLock> Acquire(const std::string& path, const std::string& what);

  /// The pid recorded in the lock file at `path` while some process holds its lock; 0 when
  /// nobody holds it (a CLI verb asks whether a scheduler is running).
  static int64_t Holder(const std::string& path);

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace sluice

#endif  // SLUICE_RUNTIME_INSTANCE_LOCK_H_
