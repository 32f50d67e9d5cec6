// What every CLI verb resolves the same way: the home folder, the DAG folder, the plugin
// folders, the state database. Flags win over environment variables, which win over defaults.
#ifndef SLUICE_SCHEDULER_CLI_CLI_CONTEXT_H_
#define SLUICE_SCHEDULER_CLI_CLI_CONTEXT_H_

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runtime/plugin_host.h"
#include "runtime/state_store.h"
#include "runtime/status.h"
#include "scheduler/scheduler_config.h"

namespace sluice::cli {

// Exit codes shared by every verb.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;   // a task or run failed, or an operation failed
constexpr int kExitInvalid = 2;  // invalid input: bad flags, broken DAG file, unknown id

struct GlobalOptions {
  std::string home;  // --home, else $SLUICE_HOME, else ./.sluice
  std::string dags;  // --dags, else $SLUICE_DAGS, else ./dags
};

class CliContext {
 public:
  explicit CliContext(const GlobalOptions& options);

  const std::string& home() const { return home_; }
  const std::string& dags_dir() const { return dags_; }
  std::string database_path() const { return home_ + "/sluice.db"; }
  /// The path of the running sluice binary (for spawning task-exec).
  const std::string& self_binary() const { return self_; }
  /// The plugin folders: $SLUICE_PLUGIN_PATH, then the build's or install's plugin folder.
  const std::vector<std::string>& plugin_dirs() const { return plugin_dirs_; }

  /// Loads every plugin once, on first use.
  const PluginHost& plugins();
  /// Opens the state database once, on first use.
  Result<StateStore*> store();
  /// The pools HOME/sluice.yaml declares, for checking DAG files' `pool:` as the scheduler
  /// will; nullopt (pools unchecked, after a warning) when the config file is broken.
  std::optional<std::set<std::string>> declared_pools();
  /// HOME/sluice.yaml (defaults when there is none); nullopt, after printing its problems as
  /// a warning, when it is broken.
  std::optional<SchedulerConfig> scheduler_config();

 private:
  std::string home_;
  std::string dags_;
  std::string self_;
  std::vector<std::string> plugin_dirs_;
  std::unique_ptr<PluginHost> plugins_;
  std::unique_ptr<StateStore> store_;
};

/// Prints "error: MESSAGE" to stderr.
void PrintError(const std::string& message);

}  // namespace sluice::cli

#endif  // SLUICE_SCHEDULER_CLI_CLI_CONTEXT_H_
