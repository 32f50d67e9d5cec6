// A file that appears at its path complete or not at all: how export plugins write where
// users read (DESIGN: temporary file, fsync, rename). Header-only; POSIX.
//
//   sluice::sdk::AtomicFile file(path);   // throws sdk::Failure naming the file
//   file.Write(data, size);               // as often as needed
//   file.Commit();                        // until here nothing is visible at `path`
#ifndef SLUICE_ATOMIC_FILE_HPP_
#define SLUICE_ATOMIC_FILE_HPP_

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "sluice/plugin.hpp"

namespace sluice::sdk {

/// Writes to `<path>.tmp-<pid>` beside the target (creating missing parent folders); Commit()
/// fsyncs it, renames it over the target and fsyncs the folder. Destroying an uncommitted
/// AtomicFile removes the temporary file, so a failure never touches an existing target.
/// Every method throws sdk::Failure naming the file; failures to create it carry
/// `config_path`, the setting that named the file.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path, std::string config_path = "/path")
      : path_(std::move(path)), temp_path_(path_ + ".tmp-" + std::to_string(::getpid())) {
    const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
      if (ec) {
        throw Failure("cannot create the folder " + parent.string() + " for " + path_ + ": " +
                          ec.message(),
                      config_path);
      }
    }
    fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw Failure("cannot create " + temp_path_ + ": " + ErrnoText() +
                        "; check that the folder is writable",
                    config_path);
    }
  }
  ~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_path_.c_str());
  }
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void Write(const char* data, size_t size) {
    while (size > 0) {
      const ssize_t n = ::write(fd_, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Failure("cannot write " + temp_path_ + ": " + ErrnoText() + "; check free disk space");
      data += n;
      size -= static_cast<size_t>(n);
      bytes_written_ += static_cast<uint64_t>(n);
    }
  }

  void Commit() {
    if (::fsync(fd_) != 0) throw Failure("cannot sync " + temp_path_ + ": " + ErrnoText());
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw Failure("cannot close " + temp_path_ + ": " + ErrnoText());
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      throw Failure("cannot rename " + temp_path_ + " to " + path_ + ": " + ErrnoText());
    }
    committed_ = true;
    // The rename is durable only once the folder's entry is on disk.
    std::string folder = std::filesystem::path(path_).parent_path().string();
    if (folder.empty()) folder = ".";
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) throw Failure("cannot open " + folder + " to sync it: " + ErrnoText());
    const int synced = ::fsync(dir);
    const int sync_errno = errno;
    ::close(dir);
    if (synced != 0) throw Failure("cannot sync the folder " + folder + ": " + std::strerror(sync_errno));
  }

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  static std::string ErrnoText() { return std::strerror(errno); }

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
  uint64_t bytes_written_ = 0;
};

}  // namespace sluice::sdk

#endif  // SLUICE_ATOMIC_FILE_HPP_
