#include "runtime/task_exec.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "runtime/attempt_protocol.h"
#include "runtime/plugin_host.h"
#include "runtime/time_format.h"

namespace sluice {
namespace {

constexpr int kReportFd = 3;
constexpr size_t kMaxErrorBytes = 16 * 1024;  // keeps the final report well inside a pipe
constexpr auto kReportInterval = std::chrono::milliseconds(200);

std::string ReadAll(int fd) {
  std::string data;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      data.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return data;
    }
  }
}

void WriteAll(int fd, const std::string& text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nobody listens (task-exec run by hand): nothing to do
    p += n;
    left -= static_cast<size_t>(n);
  }
}

const char* LevelName(int level) {
  switch (level) {
    case SLUICE_LOG_DEBUG: return "DEBUG";
    case SLUICE_LOG_WARN: return "WARN";
    case SLUICE_LOG_ERROR: return "ERROR";
    default: return "INFO";
  }
}

std::string FormatLogLine(int level, const std::string& message) {
  return FormatUtc(std::chrono::system_clock::now()) + " " + LevelName(level) + " " + message +
         "\n";
}

void LogLine(int level, const std::string& message) {
  std::fflush(stdout);  // keep the plugin's own prints and ours in order
  WriteAll(STDERR_FILENO, FormatLogLine(level, message));
}

// State behind the sluice_host_api handed to the plugin.
struct Host {
  AttemptReport report;
  std::chrono::steady_clock::time_point last_sent{};

  void SendProgress(bool force) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_sent < kReportInterval) return;
    last_sent = now;
    WriteAll(kReportFd, EncodeAttemptReport(report));
  }
};

void HostLog(void* host, int level, const char* message) {
  (void)host;
  LogLine(level, message ? message : "");
}

void HostAddCounter(void* host, int counter, int64_t delta) {
  Host& h = *static_cast<Host*>(host);
  switch (counter) {
    case SLUICE_COUNTER_ROWS_IN: h.report.rows_in += delta; break;
    case SLUICE_COUNTER_ROWS_OUT: h.report.rows_out += delta; break;
    case SLUICE_COUNTER_BYTES_OUT: h.report.bytes_out += delta; break;
    default: return;
  }
  h.SendProgress(/*force=*/false);
}

int HostExecCommand(void* host, const char* const* argv, const char* const* env,
                    const char* cwd, char* error, size_t error_size) {
  auto fail = [&](const std::string& why) {
    std::snprintf(error, error_size, "%s", why.c_str());
    return -1;
  };
  if (argv == nullptr || argv[0] == nullptr) return fail("no command to run");
  if (cwd != nullptr && ::chdir(cwd) != 0) {
    return fail(std::string("cannot run the command in folder '") + cwd + "': " +
                std::strerror(errno) + " — create the folder or fix the task's settings");
  }
  for (const char* const* e = env; e != nullptr && *e != nullptr; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq == nullptr) return fail(std::string("environment entry '") + *e + "' has no '='");
    ::setenv(std::string(*e, eq).c_str(), eq + 1, /*overwrite=*/1);
  }
  // Tell the engine that from now on the command's exit status is the outcome.
  Host& h = *static_cast<Host*>(host);
  h.report.exec = true;
  WriteAll(kReportFd, EncodeAttemptReport(h.report));
  std::fflush(stdout);
  std::fflush(stderr);
  ::execvp(argv[0], const_cast<char* const*>(argv));
  const int exec_errno = errno;
  h.report.exec = false;
  WriteAll(kReportFd, EncodeAttemptReport(h.report));
  return fail(std::string("cannot run '") + argv[0] + "': " + std::strerror(exec_errno));
}

int Finish(Host& host, bool ok, std::string error) {
  if (error.size() > kMaxErrorBytes) error.resize(kMaxErrorBytes);
  if (!ok) LogLine(SLUICE_LOG_ERROR, "attempt failed: " + error);
  host.report.done = true;
  host.report.ok = ok;
  host.report.error = std::move(error);
  WriteAll(kReportFd, EncodeAttemptReport(host.report));
  std::fflush(stdout);
  return ok ? 0 : 1;
}

}  // namespace

void CollectPluginError(void* user, const char* config_path, const char* message) {
  std::string& error = *static_cast<std::string*>(user);
  if (!error.empty()) error += "; ";
  if (config_path != nullptr && *config_path != '\0') error += std::string("with") + config_path + ": ";
  error += message ? message : "unknown error";
}

std::string AttemptLogHeader(const AttemptSpec& spec, const PluginInfo& plugin) {
  return FormatLogLine(SLUICE_LOG_INFO, "task " + spec.task_id + " attempt " +
                                            std::to_string(spec.attempt) + " of run " +
                                            spec.run_id + " (DAG " + spec.dag_id + "), plugin " +
                                            spec.plugin + " " + plugin.version + " from " +
                                            plugin.path);
}

int RunTaskExec() { return RunAttempt(ReadAll(STDIN_FILENO)); }

int RunAttempt(const std::string& spec_text) {
  auto spec = DecodeAttemptSpec(spec_text);
  if (!spec.ok()) {
    ::fcntl(kReportFd, F_SETFD, FD_CLOEXEC);
    Host host;
    Finish(host, false, spec.message());
    return 2;
  }
  return RunAttempt(*spec);
}

int RunAttempt(const AttemptSpec& spec) {
  // Children of the plugin (shell commands) must not hold the report channel open.
  ::fcntl(kReportFd, F_SETFD, FD_CLOEXEC);
  Host host;
  // When the attempt server has loaded this plugin already, dlopen only takes a reference.
  auto plugin = LoadPluginByName(spec.plugin, spec.plugin_dirs);
  if (!plugin.ok()) {
    Finish(host, false, plugin.message());
    return 2;
  }
  std::fflush(stdout);
  WriteAll(STDERR_FILENO, AttemptLogHeader(spec, (*plugin)->info()));

  std::vector<sluice_input> inputs;
  for (const AttemptInput& in : spec.inputs) {
    inputs.push_back({in.task_id.c_str(),
                      in.dataset_path.empty() ? nullptr : in.dataset_path.c_str()});
  }
  sluice_host_api api{};
  api.struct_size = sizeof api;
  api.host = &host;
  api.log = &HostLog;
  api.add_counter = &HostAddCounter;
  api.exec_command = &HostExecCommand;
  sluice_run_context context{};
  context.struct_size = sizeof context;
  context.dag_id = spec.dag_id.c_str();
  context.run_id = spec.run_id.c_str();
  context.task_id = spec.task_id.c_str();
  context.attempt = static_cast<uint32_t>(spec.attempt);
  context.config_json = spec.config_json.c_str();
  context.workspace_dir = spec.workspace_dir.c_str();
  context.output_path = spec.output_path.c_str();
  context.inputs = inputs.data();
  context.input_count = inputs.size();
  context.host = &api;

  std::string error;
  const int rc = (*plugin)->descriptor().run(&context, &CollectPluginError, &error);
  if (rc != 0 && error.empty()) error = "the plugin reported failure without a message";
  return Finish(host, rc == 0, rc == 0 ? std::string() : error);
}

}  // namespace sluice
