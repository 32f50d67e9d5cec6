// Starting and reaping child processes: the seam between the run engine and the OS.
//
// The run engine only talks to ProcessLauncher, so its tests can use an in-memory fake and
// its production code uses LocalProcessLauncher (posix_spawn + pidfd). A later Slurm
// executor implements the same interface.
#ifndef SLUICE_RUNTIME_PROCESS_LAUNCHER_H_
#define SLUICE_RUNTIME_PROCESS_LAUNCHER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/status.h"

namespace sluice {

struct LaunchSpec {
  std::vector<std::string> argv;  // argv[0] is the executable's path
  std::string stdin_data;         // written to the child's stdin, which is then closed
  std::string log_path;           // stdout and stderr are appended here; parents created
};

/// Something a running child reported on its report channel (file descriptor 3), one line
/// per message, or its end.
struct ProcessEvent {
  int64_t pid = 0;
  std::vector<std::string> report_lines;  // complete lines received since the last event
  bool exited = false;
  // Set when exited:
  std::optional<int> exit_code;
  std::optional<int> term_signal;
  int64_t peak_rss_kb = 0;
  std::string launcher_error;  // set when the launcher itself lost track of the process
};

class ProcessLauncher {
 public:
  virtual ~ProcessLauncher() = default;
  /// Starts a child in its own process group; returns its pid.
  virtual Result<int64_t> Launch(const LaunchSpec& spec) = 0;
  /// Waits until some child reports or exits, or `timeout` passes (nullopt: no limit).
  /// Returns at once with nothing when no child is running.
  virtual std::vector<ProcessEvent> Wait(std::optional<std::chrono::milliseconds> timeout) = 0;
  /// Sends `signal` to the child's whole process group.
  virtual void Kill(int64_t pid, int signal) = 0;
  virtual size_t running() const = 0;

  /// For an event loop that waits on more than processes: descriptors whose readability
  /// means Wait(0) has something to return, and whether it has already (events received and
  /// not yet handed out). A launcher without descriptors is only ever polled by timeout.
  virtual std::vector<int> WaitFds() const { return {}; }
  virtual bool HasReadyEvents() const { return false; }
};

std::unique_ptr<ProcessLauncher> MakeLocalProcessLauncher();

/// "SIGSEGV (segmentation fault)" for 11, and so on.
std::string DescribeSignal(int signal);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_PROCESS_LAUNCHER_H_
