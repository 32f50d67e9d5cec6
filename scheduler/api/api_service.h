// The HTTP API under /api/v1 (docs/openapi.yaml), /metrics and the UI's files, as one
// handler for HttpServer (runtime/http_server.h). `sluice scheduler` serves it.
//
// Threads: requests arrive on the server's pool threads and never touch the event loop's
// objects. They read the state database through connections of their own (SQLite WAL lets
// them read beside the loop's writes), and the DAGs the loop has loaded through the
// DagBoard it publishes. A mutating call (trigger, clear, retry, pause) writes the same rows
// the CLI verbs write, in one transaction, then calls `state_changed` so that the loop looks
// at once — exactly as it notices a CLI verb, only without waiting for the file to close.
//
// Security (DESIGN.md decision 7): every call that changes state needs
// `Authorization: Bearer TOKEN`; GET, HEAD and the event stream never change state. Nothing
// served carries a secret: alert routes appear as written ("${SLACK_WEBHOOK_URL}"), logs were
// redacted when written.
#ifndef SLUICE_SCHEDULER_API_API_SERVICE_H_
#define SLUICE_SCHEDULER_API_API_SERVICE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/http_server.h"
#include "runtime/state_store.h"
#include "scheduler/dag_board.h"

namespace sluice {

/// One built file of the UI (runtime/ui_assets.h provides them in the binary).
struct StaticFile {
  std::string_view body;
  std::string_view content_type;
  bool immutable = false;  // its name carries its hash: cache it forever
};

struct ApiSettings {
  std::string database_path;
  std::string home;  // SLUICE_HOME: where runs' workspaces are
  /// The bearer token mutating calls must carry. Empty: every mutating call is refused.
  std::string token;
  std::string version;
  /// The DAGs the scheduler has loaded; must outlive the service.
  const DagBoard* board = nullptr;
  /// Called after a mutation committed, from the request's thread: wakes the event loop.
  std::function<void()> state_changed;
  /// The Prometheus exposition for /metrics; unset: /metrics answers 404.
  std::function<Result<std::string>(StateStore& store)> render_metrics;
  /// The UI's file at `path` ("/index.html", "/assets/..."); unset or nullopt: none.
  std::function<std::optional<StaticFile>(std::string_view path)> find_static_file;
};

class ApiService {
 public:
  explicit ApiService(ApiSettings settings);
  ~ApiService();
  ApiService(const ApiService&) = delete;
  ApiService& operator=(const ApiService&) = delete;

  /// Answers one request; safe to call from many threads at once.
  HttpResponse Handle(const HttpRequest& request);
  /// Ends the event streams and followed logs within a fraction of a second, so that the
  /// HTTP server can stop; later requests are answered 503.
  void Shutdown();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_API_API_SERVICE_H_
