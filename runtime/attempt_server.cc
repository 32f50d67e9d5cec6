// The attempt server's side: receive attempt requests, fork a child for each, report exits.
#include "runtime/attempt_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "runtime/attempt_protocol.h"
#include "runtime/attempt_server_wire.h"
#include "runtime/child_io.h"
#include "runtime/plugin_host.h"
#include "runtime/task_exec.h"

namespace sluice {
namespace {

struct SpawnRequest {
  std::vector<std::string> argv;
  SpawnOptions options;
};

// Runs in the forked child: become the attempt's own task-exec process. Never returns.
// Every system call here is paid once per attempt, so only what differs from the server's
// own state is changed: signal dispositions are already the defaults (the server was
// spawned so and never changes them); only the blocked SIGCHLD must be released. The
// socket on descriptor 3 is replaced by the report channel; the signalfd is close-on-exec.
[[noreturn]] void BecomeAttempt(const AttemptSpec& spec, int log_fd, int report_fd,
                                int null_fd) {
  ::setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::dup2(null_fd, 0);
  ::dup2(log_fd, 1);
  ::dup2(log_fd, 2);
  ::dup2(report_fd, 3);
  const int rc = RunAttempt(spec);
  std::fflush(nullptr);
  ::_exit(rc);
}

// Asks the plugin for the command its attempt consists of (plan_exec). Returns nullopt when
// the plugin wants its `run` called instead.
Result<std::optional<SpawnRequest>> PlanCommand(const LoadedPlugin& plugin,
                                                const AttemptSpec& spec) {
  SpawnRequest request;
  sluice_exec_plan plan{};
  plan.struct_size = sizeof plan;
  plan.builder = &request;
  plan.add_arg = [](void* b, const char* arg) { static_cast<SpawnRequest*>(b)->argv.push_back(arg); };
  plan.add_env = [](void* b, const char* e) { static_cast<SpawnRequest*>(b)->options.env.push_back(e); };
  plan.set_cwd = [](void* b, const char* cwd) { static_cast<SpawnRequest*>(b)->options.cwd = cwd; };
  std::string error;
  const int rc = plugin.plan_exec()(spec.config_json.c_str(), &plan, &CollectPluginError, &error);
  if (rc < 0) return Status::Error(error.empty() ? "the plugin could not plan its command" : error);
  if (rc == 0 || request.argv.empty()) return std::optional<SpawnRequest>();
  return std::optional<SpawnRequest>(std::move(request));
}

// Starts a planned command as the attempt's process: the log header and the "exec" report
// line first, as task-exec would have written them, then the command itself.
Result<int64_t> StartPlannedAttempt(const SpawnRequest& request, const AttemptSpec& spec,
                                    const LoadedPlugin& plugin, int log_fd, int report_fd,
                                    int null_fd) {
  const std::string header = AttemptLogHeader(spec, plugin.info());
  if (::write(log_fd, header.data(), header.size()) < 0) {
    return Status::Error(std::string("cannot write the attempt's log: ") + std::strerror(errno));
  }
  AttemptReport report;
  report.exec = true;
  const std::string line = EncodeAttemptReport(report);
  if (::write(report_fd, line.data(), line.size()) < 0) {
    return Status::Error(std::string("cannot write the report channel: ") + std::strerror(errno));
  }
  return SpawnInOwnGroup(request.argv, {{null_fd, 0}, {log_fd, 1}, {log_fd, 2}}, request.options);
}

// StartPlannedAttempt, then the bookkeeping and the reply of a started attempt.
Status StartPlanned(const SpawnRequest& request, const AttemptSpec& spec,
                    const LoadedPlugin& plugin, int log_fd, int report_fd, int null_fd,
                    std::set<pid_t>& children, int socket_fd) {
  auto pid = StartPlannedAttempt(request, spec, plugin, log_fd, report_fd, null_fd);
  if (!pid.ok()) return pid.status();
  children.insert(static_cast<pid_t>(*pid));
  attempt_wire::Send(socket_fd, 'P', std::to_string(*pid));
  return Status::Ok();
}

void SendExit(int socket_fd, pid_t pid, int status, const rusage& usage) {
  attempt_wire::Send(socket_fd, 'X',
                     std::to_string(pid) + " " + std::to_string(status) + " " +
                         std::to_string(usage.ru_maxrss));
}

// Plugins this server has loaded into itself, so that its children inherit them mapped and
// relocated instead of loading them again per attempt. Loading one here is no riskier than
// what the engine did already: it loaded every plugin to validate the DAG.
class PluginCache {
 public:
  /// The plugin, loaded here once; nullptr when it fails to load (the forked child then
  /// reports why, in the attempt's own log and record).
  const LoadedPlugin* Preload(const AttemptSpec& spec) {
    auto found = loaded_.find(spec.plugin);
    if (found != loaded_.end()) return found->second.get();
    auto plugin = LoadPluginByName(spec.plugin, spec.plugin_dirs);
    if (!plugin.ok()) return nullptr;
    return loaded_.emplace(spec.plugin, std::move(plugin).value()).first->second.get();
  }

 private:
  std::map<std::string, std::unique_ptr<LoadedPlugin>> loaded_;
};

}  // namespace

int RunAttemptServer(int socket_fd) {
  // The socket came as an inherited descriptor, so it is not close-on-exec: a planned command
  // (a shell task) would inherit it, keep it open after this server dies (the engine would
  // not notice until the command ended) and could write to it. Forked attempts replace it.
  ::fcntl(socket_fd, F_SETFD, FD_CLOEXEC);
  // SIGCHLD arrives through a descriptor so that one poll() serves requests and exits.
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, nullptr);
  const int signal_fd = ::signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0) {
    std::perror("sluice attempt server: signalfd");
    return 2;
  }
  // Standard input of every attempt; opened once rather than per attempt.
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  // glibc reads /etc/localtime on first use of the time functions; do it once, here, rather
  // than in every child.
  ::tzset();
  std::set<pid_t> children;
  PluginCache plugins;

  for (;;) {
    pollfd fds[2] = {{socket_fd, POLLIN, 0}, {signal_fd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) {
      signalfd_siginfo info;
      while (::read(signal_fd, &info, sizeof info) == sizeof info) {
      }
      int status = 0;
      rusage usage{};
      pid_t pid;
      while ((pid = ::wait4(-1, &status, WNOHANG, &usage)) > 0) {
        children.erase(pid);
        SendExit(socket_fd, pid, status, usage);
      }
    }
    if (fds[0].revents == 0) continue;
    auto message = attempt_wire::Receive(socket_fd);
    if (!message) break;  // the engine is gone
    if (message->kind != 'R' || message->fds.size() != 2) {
      for (int fd : message->fds) ::close(fd);
      attempt_wire::Send(socket_fd, 'F', "malformed request to the attempt server");
      continue;
    }
    const int log_fd = message->fds[0], report_fd = message->fds[1];
    auto spec = DecodeAttemptSpec(message->text);
    if (!spec.ok()) {
      ::close(log_fd);
      ::close(report_fd);
      attempt_wire::Send(socket_fd, 'F', spec.message());
      continue;
    }
    const LoadedPlugin* plugin = plugins.Preload(*spec);
    if (plugin != nullptr && plugin->plan_exec() != nullptr) {
      // The attempt is one command: start it directly, without an intermediate process.
      auto planned = PlanCommand(*plugin, *spec);
      if (!planned.ok() || *planned) {
        const Status started =
            planned.ok() ? StartPlanned(**planned, *spec, *plugin, log_fd, report_fd, null_fd,
                                        children, socket_fd)
                         : planned.status();
        ::close(log_fd);
        ::close(report_fd);
        if (!started.ok()) attempt_wire::Send(socket_fd, 'F', started.message());
        continue;
      }
    }
    const pid_t pid = ::fork();
    if (pid == 0) BecomeAttempt(*spec, log_fd, report_fd, null_fd);
    const int fork_errno = errno;
    ::close(log_fd);
    ::close(report_fd);
    if (pid < 0) {
      attempt_wire::Send(socket_fd, 'F',
                         std::string("cannot start the attempt's process: ") +
                             std::strerror(fork_errno));
      continue;
    }
    // Also here, not only in the child, so the engine may signal the group at once.
    ::setpgid(pid, pid);
    children.insert(pid);
    attempt_wire::Send(socket_fd, 'P', std::to_string(pid));
  }

  // The engine is gone without stopping its attempts first (it stops them before closing
  // the socket when it ends normally): nobody will record their outcomes, and a restarted
  // engine will run them again. Kill them — SIGKILL, since an attempt that ignores SIGTERM
  // would run beside its own retry; the engine may not even have recorded its pid yet.
  for (pid_t pid : children) ::kill(-pid, SIGKILL);
  return 0;
}

}  // namespace sluice
