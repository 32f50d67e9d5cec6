// File descriptors shared by the process launchers: an owning fd, the attempt log file, and
// the report channel a child writes JSON lines to.
#ifndef SLUICE_RUNTIME_CHILD_IO_H_
#define SLUICE_RUNTIME_CHILD_IO_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/status.h"

namespace sluice {

/// Owns one file descriptor; closes it on destruction.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  int release();
  void reset();

 private:
  int fd_;
};

/// Opens `path` for appending (creating it and its folders), close-on-exec.
Result<Fd> OpenLogForAppend(const std::string& path);

/// The read end of a child's report pipe, made non-blocking, and the bytes after the last
/// newline seen so far.
class ReportChannel {
 public:
  explicit ReportChannel(Fd read_end);
  int fd() const { return fd_.get(); }
  bool open() const { return fd_.get() >= 0; }
  /// Reads what is available without blocking and appends complete lines to `lines`.
  /// At end of file it closes the channel.
  void Drain(std::vector<std::string>& lines);
  /// Drains, then hands over any unterminated last line too: the writer has exited. Never
  /// blocks, since a grandchild that inherited the write end may keep it open.
  void DrainFinal(std::vector<std::string>& lines);

 private:
  Fd fd_;
  std::string partial_;
};

std::string ErrnoMessage(const std::string& what);

struct SpawnOptions {
  std::string cwd;                // empty: this process's folder
  std::vector<std::string> env;   // "NAME=value" added to this process's environment
};

/// Starts argv[0] (a path, or a name looked up in PATH) in a new process group of its own,
/// so that the whole group can be signalled at once, with default signal handling and an
/// empty signal mask. `fd_map` lists (open descriptor in this process, descriptor number in
/// the child) pairs; every other close-on-exec descriptor stays behind.
Result<int64_t> SpawnInOwnGroup(const std::vector<std::string>& argv,
                                const std::vector<std::pair<int, int>>& fd_map,
                                const SpawnOptions& options = {});

}  // namespace sluice

#endif  // SLUICE_RUNTIME_CHILD_IO_H_
