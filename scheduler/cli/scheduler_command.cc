// `sluice scheduler`: the daemon, in the foreground (systemd or a terminal keeps it).
#include <fcntl.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <thread>
#include <utility>

#include "runtime/http_server.h"
#include "scheduler/cli/commands.h"
#include "scheduler/cli/http_setup.h"
#include "scheduler/scheduler_config.h"
#include "scheduler/scheduler_daemon.h"

namespace sluice::cli {
namespace {

int g_stop_write_fd = -1;
int g_reload_write_fd = -1;

// Async-signal-safe: one byte into the pipe the event loop polls.
void OnStopSignal(int) {
  const char byte = 's';
  if (::write(g_stop_write_fd, &byte, 1) < 0) {
    // The pipe is full: a stop is already pending.
  }
}

void OnReloadSignal(int) {
  const char byte = 'h';
  if (::write(g_reload_write_fd, &byte, 1) < 0) {
    // The pipe is full: a reload is already pending.
  }
}

// What SIGHUP takes again from `config`, with `cli`'s overrides, as the start took them.
ReloadedSettings SettingsToReload(const SchedulerConfig& config, const SchedulerCliOptions& cli) {
  ReloadedSettings s;
  s.parallelism = cli.parallelism > 0      ? static_cast<size_t>(cli.parallelism)
                  : config.parallelism > 0 ? config.parallelism
                                           : std::max(1u, std::thread::hardware_concurrency());
  s.pools = config.pools;
  s.alert_routes = config.alerts;
  s.ui_url = config.ui_url;
  s.workspace_retention = config.workspace_retention;
  return s;
}

// A pipe whose ends are both non-blocking and closed on exec; false when it cannot be made.
bool MakeSignalPipe(int fds[2]) { return ::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0; }

}  // namespace

int SchedulerCommand(CliContext& ctx, const SchedulerCliOptions& cli) {
  const std::string config_path = ctx.home() + "/" + std::string(kSchedulerConfigFileName);
  Result<SchedulerConfig> config = LoadSchedulerConfig(config_path);
  if (!config.ok()) {
    std::cerr << config.message() << "\n";
    PrintError("the scheduler config " + config_path + " has problems; nothing was started");
    return kExitInvalid;
  }

  SchedulerOptions options;
  options.dags_dir = ctx.dags_dir();
  options.database_path = ctx.database_path();
  options.lock_path = ctx.database_path() + ".lock";
  options.run.home = ctx.home();
  options.run.task_exec_binary = ctx.self_binary();
  options.run.plugin_dirs = ctx.plugin_dirs();
  const ReloadedSettings settings = SettingsToReload(*config, cli);
  options.parallelism = settings.parallelism;
  options.pools = settings.pools;
  options.alert_routes = settings.alert_routes;
  options.run.alerts = settings.alert_routes;  // every run's events go to the global routes too
  options.alert_delivery.ui_url = settings.ui_url;
  options.workspace_retention = settings.workspace_retention;
  options.stop_grace = std::chrono::milliseconds(static_cast<int64_t>(cli.grace_seconds * 1000));
  options.rescan_interval =
      std::chrono::milliseconds(static_cast<int64_t>(cli.rescan_seconds * 1000));

  // The HTTP API, UI and /metrics, started once the scheduler holds its lock (a second
  // scheduler must fail on the lock, not on the port). The flags override sluice.yaml.
  const std::string listen = cli.listen.empty() ? config->listen : cli.listen;
  if (listen != "off" && !cli.listen.empty()) {
    if (Result<std::pair<std::string, int>> parsed = ParseListenAddress(listen); !parsed.ok()) {
      PrintError("--listen " + parsed.message() +
                 " — write HOST:PORT, e.g. 127.0.0.1:8080, [::1]:8080 or :8080 (all addresses), "
                 "or 'off'; nothing was started");
      return kExitInvalid;
    }
  }
  std::string token_file = cli.api_token_file;
  if (token_file.empty() && !config->api_token_file.empty()) {
    token_file = std::filesystem::path(ctx.home()) / config->api_token_file;  // absolute stays
  }
  DagBoard board;
  SchedulerMetrics metrics;
  std::unique_ptr<HttpFrontDoor> http;
  int wake_fd = -1;
  if (listen != "off") {
    Result<std::string> token = ResolveApiToken(ctx.home(), token_file);
    if (!token.ok()) {
      PrintError(token.message() + "; nothing was started");
      return kExitInvalid;
    }
    wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd < 0) {
      PrintError("cannot create the API's wake-up descriptor");
      return kExitFailed;
    }
    options.board = &board;
    options.wake_fd = wake_fd;
    options.metrics = &metrics;
    options.run.metrics = &metrics;
    options.after_open = [&, token = *token]() -> Status {
      HttpSetup setup;
      setup.listen = listen;
      setup.token = token;
      setup.database_path = ctx.database_path();
      setup.home = ctx.home();
      setup.board = &board;
      setup.wake_fd = wake_fd;
      setup.metrics = &metrics;
      Result<std::unique_ptr<HttpFrontDoor>> started = StartHttp(setup, std::cerr);
      if (!started.ok()) return started.status();
      http = std::move(started).value();
      return Status::Ok();
    };
  }

  // SIGHUP (`systemctl reload`) reads sluice.yaml again; what needs a restart is said.
  options.reload = [&cli, config_path, started = *config]() -> Result<ReloadedSettings> {
    Result<SchedulerConfig> again = LoadSchedulerConfig(config_path);
    if (!again.ok()) return again.status();
    ReloadedSettings reloaded = SettingsToReload(*again, cli);
    if (cli.listen.empty() && again->listen != started.listen) {
      reloaded.notes.push_back("`listen` changed to " + again->listen +
                               ": the HTTP server moves there at the next restart");
    }
    if (cli.api_token_file.empty() && again->api_token_file != started.api_token_file) {
      reloaded.notes.push_back("`api_token_file` changed: the API takes it at the next restart");
    }
    return reloaded;
  };

  int stop_pipe[2], reload_pipe[2];
  if (!MakeSignalPipe(stop_pipe) || !MakeSignalPipe(reload_pipe)) {
    PrintError("cannot create the signal pipes");
    return kExitFailed;
  }
  g_stop_write_fd = stop_pipe[1];
  g_reload_write_fd = reload_pipe[1];
  options.reload_fd = reload_pipe[0];
  struct sigaction sa {};
  sa.sa_handler = &OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  struct sigaction hup {};
  hup.sa_handler = &OnReloadSignal;
  sigemptyset(&hup.sa_mask);
  hup.sa_flags = SA_RESTART;
  sigaction(SIGHUP, &hup, nullptr);

  Status s = RunScheduler(options, ctx.plugins(), stop_pipe[0], std::cerr);
  http.reset();  // before the board it reads goes
  if (wake_fd >= 0) ::close(wake_fd);
  for (int fd : {stop_pipe[0], stop_pipe[1], reload_pipe[0], reload_pipe[1]}) ::close(fd);
  if (!s.ok()) {
    PrintError(s.message());
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace sluice::cli
