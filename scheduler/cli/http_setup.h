// `sluice scheduler`'s HTTP side: the API token, and the server for the API, UI and /metrics
// (scheduler/api/api_service.h), started once the scheduler holds its lock.
#ifndef SLUICE_SCHEDULER_CLI_HTTP_SETUP_H_
#define SLUICE_SCHEDULER_CLI_HTTP_SETUP_H_

#include <memory>
#include <ostream>
#include <string>

#include "runtime/status.h"
#include "scheduler/dag_board.h"
#include "scheduler/scheduler_metrics.h"

namespace sluice::cli {

/// The API token: `token_file`'s content when given; else $SLUICE_API_TOKEN; else
/// HOME/api-token, created (mode 0600) with a random token when missing. Surrounding
/// whitespace is dropped; an empty token is an error that says where it came from.
Result<std::string> ResolveApiToken(const std::string& home, const std::string& token_file);

struct HttpSetup {
  std::string listen;  // HOST:PORT
  std::string token;
  std::string database_path;
  std::string home;
  const DagBoard* board = nullptr;
  int wake_fd = -1;  // written to after each change the API makes
  const SchedulerMetrics* metrics = nullptr;  // served at /metrics
};

/// The running HTTP server; stopping it (destruction) ends its streams first.
class HttpFrontDoor {
 public:
  virtual ~HttpFrontDoor() = default;
  virtual int port() const = 0;
};

/// Binds and serves; logs "http: listening on http://HOST:PORT" to `log`.
Result<std::unique_ptr<HttpFrontDoor>> StartHttp(const HttpSetup& setup, std::ostream& log);

}  // namespace sluice::cli

#endif  // SLUICE_SCHEDULER_CLI_HTTP_SETUP_H_
