#include "runtime/instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace sluice {
namespace {

int64_t ReadPid(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return 0;
  return std::strtoll(buffer, nullptr, 10);
}

}  // namespace

InstanceLock::InstanceLock(InstanceLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

InstanceLock::~InstanceLock() {
  if (fd_ < 0) return;
  // Emptied first, so that a reader never sees our pid once we are gone.
  if (::ftruncate(fd_, 0) != 0) {
    // Nothing to do: the kernel drops the lock with the descriptor anyway.
  }
  ::close(fd_);
}

Result<InstanceLock> InstanceLock::Acquire(const std::string& path, const std::string& what) {
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::Error("cannot open the lock file " + path + ": " + std::strerror(errno) +
                         " — check that this user may write its folder");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const int64_t holder = ReadPid(fd);
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return Status::Error(
          "another " + what + " is already running on this state database (pid " +
          (holder > 0 ? std::to_string(holder) : std::string("unknown")) + ", lock file " + path +
          ") — stop it first (kill " + (holder > 0 ? std::to_string(holder) : "it") +
          "), or give this one another --home");
    }
    return Status::Error("cannot lock " + path + ": " + std::strerror(error));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const std::string error = std::strerror(errno);
    ::close(fd);
    return Status::Error("cannot write the lock file " + path + ": " + error);
  }
  return InstanceLock(fd);
}

int64_t InstanceLock::Holder(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  int64_t holder = 0;
  // A shared lock we can take means nobody holds the exclusive one.
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
    holder = ReadPid(fd);
    if (holder == 0) holder = -1;  // held, pid not written yet
  }
  ::close(fd);
  return holder;
}

}  // namespace sluice
