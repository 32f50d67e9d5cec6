// Shared by the API's handler files (api_*.cc); not for use outside scheduler/api/.
#ifndef SLUICE_SCHEDULER_API_API_INTERNAL_H_
#define SLUICE_SCHEDULER_API_API_INTERNAL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "scheduler/api/api_service.h"

namespace sluice::api {

using nlohmann::json;
using PathParams = std::map<std::string, std::string>;

/// State database connections for the request threads: one per request at a time, kept open
/// between requests (opening one costs a migration check).
class StorePool {
 public:
  explicit StorePool(std::string database_path) : path_(std::move(database_path)) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<StateStore> store)
        : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (store_) pool_->Return(std::move(store_));
    }
    StateStore& operator*() const { return *store_; }
    StateStore* operator->() const { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<StateStore> store_;
  };

  Result<Lease> Acquire();

 private:
  void Return(std::unique_ptr<StateStore> store);

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<StateStore>> idle_;
};

/// Tells event-stream clients that the state changed: while anyone listens, a thread of its
/// own looks at the database's data_version a few times a second (any connection's commit
/// changes it: the loop's, a CLI verb's, the API's). Nobody listening: the thread sleeps.
class ChangeFeed {
 public:
  explicit ChangeFeed(std::string database_path);
  ~ChangeFeed();

  /// Waits until the version differs from `seen`, `timeout` passes or Stop; returns the
  /// version then.
  uint64_t WaitForChange(uint64_t seen, std::chrono::milliseconds timeout);
  uint64_t version() const { return version_.load(); }
  /// A change this process made: wakes the listeners without waiting for the next look.
  void Bump();
  void Stop();
  bool stopped() const { return stopped_.load(); }

 private:
  void Watch();

  std::string path_;
  std::atomic<uint64_t> version_{1};
  std::atomic<bool> stopped_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::condition_variable listeners_present_;
  int listeners_ = 0;
  std::thread thread_;
};

struct Context {
  explicit Context(ApiSettings s)
      : settings(std::move(s)), stores(settings.database_path), feed(settings.database_path) {}

  ApiSettings settings;
  StorePool stores;
  ChangeFeed feed;
  std::atomic<int> streams{0};  // event streams and followed logs open now
};

// Responses.
HttpResponse JsonResponse(int status, const json& body);
HttpResponse ErrorResponse(int status, const std::string& message);
/// 500 for a failure of the state database.
HttpResponse StoreError(const std::string& message);
/// The request's JSON body ({} when empty); nullopt, with `error` set to a 400, when it is
/// not a JSON object.
std::optional<json> JsonBody(const HttpRequest& request, HttpResponse& error);
/// `?limit=` within [1, max]; `fallback` when absent; nullopt (and a 400) when not a number.
std::optional<int> LimitParam(const HttpRequest& request, int fallback, int max,
                              HttpResponse& error);

// Handlers, by file. Each takes the path's {parameters}.
using Handler = HttpResponse (*)(Context&, const HttpRequest&, const PathParams&);

// api_dags.cc
HttpResponse ListDags(Context&, const HttpRequest&, const PathParams&);
HttpResponse GetDag(Context&, const HttpRequest&, const PathParams&);
HttpResponse GetDagSource(Context&, const HttpRequest&, const PathParams&);
HttpResponse GetDagGrid(Context&, const HttpRequest&, const PathParams&);
HttpResponse TriggerDag(Context&, const HttpRequest&, const PathParams&);
HttpResponse BackfillDag(Context&, const HttpRequest&, const PathParams&);
HttpResponse PauseDag(Context&, const HttpRequest&, const PathParams&);
HttpResponse UnpauseDag(Context&, const HttpRequest&, const PathParams&);
// api_runs.cc
HttpResponse ListRuns(Context&, const HttpRequest&, const PathParams&);
HttpResponse GetRun(Context&, const HttpRequest&, const PathParams&);
HttpResponse GetTaskInstance(Context&, const HttpRequest&, const PathParams&);
HttpResponse GetTaskOutput(Context&, const HttpRequest&, const PathParams&);
HttpResponse ClearRun(Context&, const HttpRequest&, const PathParams&);
HttpResponse RetryRun(Context&, const HttpRequest&, const PathParams&);
HttpResponse ListAlerts(Context&, const HttpRequest&, const PathParams&);
// api_logs.cc
HttpResponse GetAttemptLog(Context&, const HttpRequest&, const PathParams&);
// api_events.cc
HttpResponse StreamEvents(Context&, const HttpRequest&, const PathParams&);

}  // namespace sluice::api

#endif  // SLUICE_SCHEDULER_API_API_INTERNAL_H_
