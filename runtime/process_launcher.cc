#include "runtime/process_launcher.h"

#include "runtime/child_io.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <filesystem>
#include <map>


namespace sluice {
namespace {

struct Child {
  Fd pidfd;
  ReportChannel report;  // the read end of the child's descriptor 3
};

class LocalProcessLauncher final : public ProcessLauncher {
 public:
  Result<int64_t> Launch(const LaunchSpec& spec) override;
  std::vector<ProcessEvent> Wait(std::optional<std::chrono::milliseconds> timeout) override;
  void Kill(int64_t pid, int signal) override {
    if (children_.count(pid) != 0) ::kill(-static_cast<pid_t>(pid), signal);
  }
  size_t running() const override { return children_.size(); }
  std::vector<int> WaitFds() const override {
    std::vector<int> fds;
    for (const auto& [pid, child] : children_) {
      fds.push_back(child.pidfd.get());
      if (child.report.open()) fds.push_back(child.report.fd());
    }
    return fds;
  }

 private:
  std::map<int64_t, Child> children_;
};

Result<int64_t> LocalProcessLauncher::Launch(const LaunchSpec& spec) {
  if (spec.argv.empty()) return Status::Error("cannot start a process without a command");
  auto opened_log = OpenLogForAppend(spec.log_path);
  if (!opened_log.ok()) return opened_log.status();
  Fd log = std::move(opened_log).value();
  int in_pipe[2], report_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return Status::Error(ErrnoMessage("pipe"));
  Fd in_read(in_pipe[0]), in_write(in_pipe[1]);
  if (::pipe2(report_pipe, O_CLOEXEC) != 0) return Status::Error(ErrnoMessage("pipe"));
  Fd report_read(report_pipe[0]), report_write(report_pipe[1]);

  auto spawned = SpawnInOwnGroup(
      spec.argv, {{in_read.get(), 0}, {log.get(), 1}, {log.get(), 2}, {report_write.get(), 3}});
  if (!spawned.ok()) return spawned.status();
  const pid_t pid = static_cast<pid_t>(*spawned);
  in_read.reset();
  report_write.reset();

  // Through syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C" for C++ callers.
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (pidfd.get() < 0) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return Status::Error(ErrnoMessage("pidfd_open (sluice needs Linux 5.3 or newer)"));
  }
  Child child{std::move(pidfd), ReportChannel(std::move(report_read))};

  // The child reads all of stdin before anything else, so this cannot block for long.
  const char* data = spec.stdin_data.data();
  size_t left = spec.stdin_data.size();
  while (left > 0) {
    const ssize_t n = ::write(in_write.get(), data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child died early; its exit status will tell why
    data += n;
    left -= static_cast<size_t>(n);
  }
  children_.emplace(pid, std::move(child));
  return static_cast<int64_t>(pid);
}

std::vector<ProcessEvent> LocalProcessLauncher::Wait(
    std::optional<std::chrono::milliseconds> timeout) {
  std::vector<ProcessEvent> events;
  if (children_.empty()) return events;
  std::vector<pollfd> fds;
  std::vector<int64_t> owners;
  for (auto& [pid, child] : children_) {
    fds.push_back({child.pidfd.get(), POLLIN, 0});
    owners.push_back(pid);
    if (child.report.open()) {
      fds.push_back({child.report.fd(), POLLIN, 0});
      owners.push_back(pid);
    }
  }
  const int wait_ms = timeout ? static_cast<int>(std::max<int64_t>(0, timeout->count())) : -1;
  int ready = ::poll(fds.data(), fds.size(), wait_ms);
  if (ready <= 0) return events;

  std::map<int64_t, bool> touched;  // pid -> its pidfd is readable (it exited)
  for (size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].revents == 0) continue;
    const bool is_pidfd = fds[i].fd == children_.at(owners[i]).pidfd.get();
    touched[owners[i]] |= is_pidfd;
  }
  for (const auto& [pid, exited] : touched) {
    Child& child = children_.at(pid);
    ProcessEvent ev;
    ev.pid = pid;
    child.report.Drain(ev.report_lines);
    if (exited) {
      int status = 0;
      rusage usage{};
      pid_t got;
      do {
        got = ::wait4(static_cast<pid_t>(pid), &status, WNOHANG, &usage);
      } while (got < 0 && errno == EINTR);
      if (got == static_cast<pid_t>(pid)) {
        child.report.DrainFinal(ev.report_lines);  // everything it wrote is in the pipe now
        ev.exited = true;
        if (WIFEXITED(status)) ev.exit_code = WEXITSTATUS(status);
        if (WIFSIGNALED(status)) ev.term_signal = WTERMSIG(status);
        ev.peak_rss_kb = usage.ru_maxrss;
        children_.erase(pid);
      }
    }
    if (ev.exited || !ev.report_lines.empty()) events.push_back(std::move(ev));
  }
  return events;
}

}  // namespace

std::unique_ptr<ProcessLauncher> MakeLocalProcessLauncher() {
  return std::make_unique<LocalProcessLauncher>();
}

std::string DescribeSignal(int signal) {
  const char* abbrev = ::sigabbrev_np(signal);
  const char* text = ::sigdescr_np(signal);
  std::string out = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
  if (text != nullptr) {
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += " (" + lower + ")";
  }
  return out;
}

}  // namespace sluice
