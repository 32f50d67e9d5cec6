#include "atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "sluice/plugin.hpp"

namespace sluice::parquet {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), temp_path_(path_ + ".tmp-" + std::to_string(::getpid())) {
  const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      throw sdk::Failure("cannot create the folder " + parent.string() + " for " + path_ + ": " +
                             ec.message(),
                         "/path");
    }
  }
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw sdk::Failure("cannot create " + temp_path_ + ": " + ErrnoText() +
                           "; check that the folder of `path` is writable",
                       "/path");
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void AtomicFile::Write(const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw sdk::Failure("cannot write " + temp_path_ + ": " + ErrnoText() +
                         "; check free disk space");
    }
    data += n;
    size -= static_cast<size_t>(n);
    bytes_written_ += static_cast<uint64_t>(n);
  }
}

void AtomicFile::Commit() {
  if (::fsync(fd_) != 0) throw sdk::Failure("cannot sync " + temp_path_ + ": " + ErrnoText());
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw sdk::Failure("cannot close " + temp_path_ + ": " + ErrnoText());
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    throw sdk::Failure("cannot rename " + temp_path_ + " to " + path_ + ": " + ErrnoText());
  }
  committed_ = true;
  // The rename is durable only once the folder's entry is on disk.
  std::string folder = std::filesystem::path(path_).parent_path().string();
  if (folder.empty()) folder = ".";
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) throw sdk::Failure("cannot open " + folder + " to sync it: " + ErrnoText());
  const int synced = ::fsync(dir);
  const int sync_errno = errno;
  ::close(dir);
  if (synced != 0) {
    throw sdk::Failure("cannot sync the folder " + folder + ": " + std::strerror(sync_errno));
  }
}

}  // namespace sluice::parquet
