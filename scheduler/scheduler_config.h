// The scheduler's own settings, HOME/sluice.yaml: how many task attempts run at once over all
// DAGs, the pools that cap chosen tasks across DAGs, the global alert routes and the UI's
// address for links in alerts, how long finished runs keep their workspaces, where the HTTP
// API listens and its token file (docs/configuration.md).
#ifndef SLUICE_SCHEDULER_SCHEDULER_CONFIG_H_
#define SLUICE_SCHEDULER_SCHEDULER_CONFIG_H_

#include <chrono>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/alert.h"
#include "runtime/alert_message.h"
#include "runtime/status.h"

namespace sluice {

/// The config file's name inside the sluice home folder.
inline constexpr std::string_view kSchedulerConfigFileName = "sluice.yaml";
/// Loopback only: the API can trigger runs, so reaching it from elsewhere is a choice.
inline constexpr std::string_view kDefaultListenAddress = "127.0.0.1:8080";

struct SchedulerConfig {
  size_t parallelism = 0;            // task attempts at once over all DAGs; 0: the number of cores
  std::map<std::string, int> pools;  // pool name -> slots (>= 1): its tasks that may run at once
  std::vector<AlertRoute> alerts;    // global routes: every DAG's events, and dag_broken
  std::string ui_url = std::string(kDefaultUiUrl);  // links to attempt logs in alerts
  /// How long a finished run keeps its workspace (its tasks' outputs, which clears and
  /// retries reuse) before the scheduler removes it (workspace_retention.h).
  std::chrono::milliseconds workspace_retention{std::chrono::hours(24 * 7)};
  /// Where the HTTP API, UI and /metrics listen (HOST:PORT, checked), or "off".
  /// `sluice scheduler --listen` overrides it.
  std::string listen = std::string(kDefaultListenAddress);
  /// The API's bearer token file (absolute, or relative to the sluice home folder); empty: the
  /// default ($SLUICE_API_TOKEN, else HOME/api-token). `--api-token-file` overrides it.
  std::string api_token_file;
  std::string path;                  // where it was read from; empty when there was no file

  /// The names a DAG's `pool:` may use, for LoadDagFile's `declared_pools`.
  std::set<std::string> PoolNames() const {
    std::set<std::string> names;
    for (const auto& [name, slots] : pools) names.insert(name);
    return names;
  }
};

/// Reads the config at `path`. A missing file is not an error: it gives the defaults (no
/// pools, one attempt per core) with an empty `path`. Otherwise the error lists every problem
/// of the file, one per line, as  FILE:LINE:COL: error: WHAT — HOW TO FIX.
Result<SchedulerConfig> LoadSchedulerConfig(const std::string& path);

/// Same, from text already in memory; `path` names it in messages and is kept in `path`.
/// Empty text (or only comments) gives the defaults.
Result<SchedulerConfig> ParseSchedulerConfig(const std::string& path, std::string_view text);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_SCHEDULER_CONFIG_H_
