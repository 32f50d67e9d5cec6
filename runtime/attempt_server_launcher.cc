// The engine's side of the attempt server: a ProcessLauncher that asks the server for
// processes instead of exec'ing them.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <map>
#include <sstream>

#include "runtime/attempt_server.h"
#include "runtime/attempt_server_wire.h"
#include "runtime/child_io.h"

namespace sluice {
namespace {

class AttemptServerLauncher final : public ProcessLauncher {
 public:
  explicit AttemptServerLauncher(std::string binary) : binary_(std::move(binary)) {}
  ~AttemptServerLauncher() override { StopServer(); }

  Result<int64_t> Launch(const LaunchSpec& spec) override;
  std::vector<ProcessEvent> Wait(std::optional<std::chrono::milliseconds> timeout) override;
  void Kill(int64_t pid, int signal) override {
    if (children_.count(pid) != 0) ::kill(-static_cast<pid_t>(pid), signal);
  }
  // Exits already received but not yet handed out by Wait() still count: the engine must
  // keep calling Wait() until it has seen them.
  size_t running() const override { return children_.size() + ready_.size(); }
  std::vector<int> WaitFds() const override {
    std::vector<int> fds;
    // Only while attempts run: Wait() reads nothing otherwise, and a dead server's socket
    // would stay readable.
    if (children_.empty()) return fds;
    if (socket_.get() >= 0) fds.push_back(socket_.get());
    for (const auto& [pid, report] : children_) {
      if (report.open()) fds.push_back(report.fd());
    }
    return fds;
  }
  bool HasReadyEvents() const override { return !ready_.empty(); }

 private:
  Status StartServer();
  void StopServer();
  // Handles one message that is not a launch reply; returns false when the server is gone.
  bool HandleServerMessage();
  void ServerLost();
  ProcessEvent ExitEvent(const std::string& text);

  std::string binary_;
  Fd socket_;
  pid_t server_pid_ = -1;
  std::map<int64_t, ReportChannel> children_;
  std::deque<ProcessEvent> ready_;  // exits seen while waiting for a launch reply
};

Status AttemptServerLauncher::StartServer() {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    return Status::Error(ErrnoMessage("socketpair"));
  }
  Fd ours(pair[0]), theirs(pair[1]);
  Fd null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  // Its own process group keeps a terminal's Ctrl-C away from it: the engine decides.
  auto pid = SpawnInOwnGroup({binary_, "task-exec", "--server"},
                             {{null_in.get(), 0}, {theirs.get(), 3}});
  if (!pid.ok()) return pid.status();
  server_pid_ = static_cast<pid_t>(*pid);
  socket_ = std::move(ours);
  return Status::Ok();
}

void AttemptServerLauncher::StopServer() {
  if (server_pid_ < 0) return;
  socket_.reset();  // the server sees end of file, stops its attempts and exits
  ::waitpid(server_pid_, nullptr, 0);
  server_pid_ = -1;
}

ProcessEvent AttemptServerLauncher::ExitEvent(const std::string& text) {
  std::istringstream in(text);
  int64_t pid = 0, rss = 0;
  int status = 0;
  in >> pid >> status >> rss;
  ProcessEvent ev;
  ev.pid = pid;
  ev.exited = true;
  if (WIFEXITED(status)) ev.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) ev.term_signal = WTERMSIG(status);
  ev.peak_rss_kb = rss;
  auto it = children_.find(pid);
  if (it != children_.end()) {
    it->second.DrainFinal(ev.report_lines);  // everything it wrote is in the pipe now
    children_.erase(it);
  }
  return ev;
}

void AttemptServerLauncher::ServerLost() {
  // Without the server nobody can tell how the attempts in flight end: fail them.
  for (auto& [pid, report] : children_) {
    ::kill(-static_cast<pid_t>(pid), SIGKILL);
    ProcessEvent ev;
    ev.pid = pid;
    ev.exited = true;
    report.DrainFinal(ev.report_lines);
    ev.launcher_error = "the attempt server exited while this attempt ran; its outcome is unknown";
    ready_.push_back(std::move(ev));
  }
  children_.clear();
  socket_.reset();
  if (server_pid_ >= 0) ::waitpid(server_pid_, nullptr, 0);
  server_pid_ = -1;
}

bool AttemptServerLauncher::HandleServerMessage() {
  auto message = attempt_wire::Receive(socket_.get());
  if (!message) {
    ServerLost();
    return false;
  }
  for (int fd : message->fds) ::close(fd);
  if (message->kind == 'X') ready_.push_back(ExitEvent(message->text));
  return true;
}

Result<int64_t> AttemptServerLauncher::Launch(const LaunchSpec& spec) {
  if (spec.stdin_data.size() >= attempt_wire::kMaxMessage) {
    return Status::Error("the task's rendered configuration is larger than 1 MiB; keep data in "
                         "files and pass their paths instead");
  }
  if (server_pid_ < 0) {
    if (Status s = StartServer(); !s.ok()) return s;
  }
  auto log = OpenLogForAppend(spec.log_path);
  if (!log.ok()) return log.status();
  int report_pipe[2];
  if (::pipe2(report_pipe, O_CLOEXEC) != 0) return Status::Error(ErrnoMessage("pipe"));
  Fd report_read(report_pipe[0]), report_write(report_pipe[1]);
  if (!attempt_wire::Send(socket_.get(), 'R', spec.stdin_data, {log->get(), report_write.get()})) {
    ServerLost();
    return Status::Error(ErrnoMessage("cannot reach the attempt server"));
  }
  report_write.reset();
  for (;;) {
    auto message = attempt_wire::Receive(socket_.get());
    if (!message) {
      ServerLost();
      return Status::Error("the attempt server exited before starting the attempt");
    }
    for (int fd : message->fds) ::close(fd);
    if (message->kind == 'X') {
      ready_.push_back(ExitEvent(message->text));
    } else if (message->kind == 'F') {
      return Status::Error(message->text);
    } else if (message->kind == 'P') {
      const int64_t pid = std::stoll(message->text);
      children_.emplace(pid, ReportChannel(std::move(report_read)));
      return pid;
    }
  }
}

std::vector<ProcessEvent> AttemptServerLauncher::Wait(
    std::optional<std::chrono::milliseconds> timeout) {
  std::vector<ProcessEvent> events;
  auto take_ready = [&] {
    while (!ready_.empty()) {
      events.push_back(std::move(ready_.front()));
      ready_.pop_front();
    }
  };
  take_ready();
  if (!events.empty() || children_.empty()) return events;

  std::vector<pollfd> fds;
  std::vector<int64_t> owners;
  fds.push_back({socket_.get(), POLLIN, 0});
  owners.push_back(0);
  for (auto& [pid, report] : children_) {
    if (!report.open()) continue;
    fds.push_back({report.fd(), POLLIN, 0});
    owners.push_back(pid);
  }
  const int wait_ms = timeout ? static_cast<int>(std::max<int64_t>(0, timeout->count())) : -1;
  if (::poll(fds.data(), fds.size(), wait_ms) <= 0) return events;
  for (size_t i = 1; i < fds.size(); ++i) {
    if (fds[i].revents == 0) continue;
    ProcessEvent ev;
    ev.pid = owners[i];
    children_.at(owners[i]).Drain(ev.report_lines);
    if (!ev.report_lines.empty()) events.push_back(std::move(ev));
  }
  if (fds[0].revents != 0) {
    HandleServerMessage();
    // More exits may be queued behind the first; take them without blocking.
    for (;;) {
      pollfd more{socket_.get(), POLLIN, 0};
      if (socket_.get() < 0 || ::poll(&more, 1, 0) <= 0 || !HandleServerMessage()) break;
    }
  }
  take_ready();
  return events;
}

}  // namespace

std::unique_ptr<ProcessLauncher> MakeAttemptServerLauncher(const std::string& sluice_binary) {
  return std::make_unique<AttemptServerLauncher>(sluice_binary);
}

}  // namespace sluice
