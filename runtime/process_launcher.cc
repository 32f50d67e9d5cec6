#include "runtime/process_launcher.h"

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

extern char** environ;

namespace sluice {
namespace {

// Closes a file descriptor on scope exit unless released.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::string ErrnoText(const std::string& what) { return what + ": " + ::strerror(errno); }

struct Child {
  Fd pidfd;
  Fd report;  // read end of the child's fd 3; -1 once it reached EOF
  std::string partial;  // report bytes after the last newline
};

class LocalProcessLauncher final : public ProcessLauncher {
 public:
  Result<int64_t> Launch(const LaunchSpec& spec) override;
  std::vector<ProcessEvent> Wait(std::optional<std::chrono::milliseconds> timeout) override;
  void Kill(int64_t pid, int signal) override {
    if (children_.count(pid) != 0) ::kill(-static_cast<pid_t>(pid), signal);
  }
  size_t running() const override { return children_.size(); }

 private:
  // Moves complete lines from `child.report` into `out`; returns false at EOF.
  static bool DrainReport(Child& child, std::vector<std::string>& out);
  std::map<int64_t, Child> children_;
};

Result<int64_t> LocalProcessLauncher::Launch(const LaunchSpec& spec) {
  if (spec.argv.empty()) return Status::Error("cannot start a process without a command");
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(spec.log_path).parent_path(), ec);
  Fd log(::open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (log.get() < 0) return Status::Error(ErrnoText("cannot open log file " + spec.log_path));
  int in_pipe[2], report_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return Status::Error(ErrnoText("pipe"));
  Fd in_read(in_pipe[0]), in_write(in_pipe[1]);
  if (::pipe2(report_pipe, O_CLOEXEC) != 0) return Status::Error(ErrnoText("pipe"));
  Fd report_read(report_pipe[0]), report_write(report_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, log.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, log.get(), 2);
  posix_spawn_file_actions_adddup2(&actions, report_write.get(), 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so a timeout can kill the attempt and everything it started.
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> argv;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return Status::Error("cannot start " + spec.argv[0] + ": " + ::strerror(rc));
  }
  in_read.reset();
  report_write.reset();

  Child child;
  // Through syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C" for C++ callers.
  child.pidfd = Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (child.pidfd.get() < 0) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return Status::Error(ErrnoText("pidfd_open (sluice needs Linux 5.3 or newer)"));
  }
  ::fcntl(report_read.get(), F_SETFL, O_NONBLOCK);
  child.report = std::move(report_read);

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

bool LocalProcessLauncher::DrainReport(Child& child, std::vector<std::string>& out) {
  char buf[8192];
  while (child.report.get() >= 0) {
    const ssize_t n = ::read(child.report.get(), buf, sizeof buf);
    if (n > 0) {
      child.partial.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    child.report.reset();  // EOF or error
  }
  size_t start = 0;
  for (size_t nl; (nl = child.partial.find('\n', start)) != std::string::npos; start = nl + 1) {
    out.push_back(child.partial.substr(start, nl - start));
  }
  child.partial.erase(0, start);
  return child.report.get() >= 0;
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
    if (child.report.get() >= 0) {
      fds.push_back({child.report.get(), POLLIN, 0});
      owners.push_back(pid);
    }
  }
  const int wait_ms = timeout ? static_cast<int>(std::max<int64_t>(0, timeout->count())) : -1;
  int ready = ::poll(fds.data(), fds.size(), wait_ms);
  if (ready <= 0) return events;

  std::map<int64_t, bool> touched;  // pid -> its pidfd is readable (it exited)
  for (size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].revents == 0) continue;
    const bool is_pidfd = fds[i].fd == children_[owners[i]].pidfd.get();
    touched[owners[i]] |= is_pidfd;
  }
  for (const auto& [pid, exited] : touched) {
    Child& child = children_[pid];
    ProcessEvent ev;
    ev.pid = pid;
    DrainReport(child, ev.report_lines);
    if (exited) {
      int status = 0;
      rusage usage{};
      pid_t got;
      do {
        got = ::wait4(static_cast<pid_t>(pid), &status, WNOHANG, &usage);
      } while (got < 0 && errno == EINTR);
      if (got == static_cast<pid_t>(pid)) {
        // Everything the child wrote is in the pipe by now. Read without blocking: a
        // grandchild that inherited the write end may keep it open.
        DrainReport(child, ev.report_lines);
        if (!child.partial.empty()) ev.report_lines.push_back(child.partial);
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
