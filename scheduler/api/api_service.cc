#include "scheduler/api/api_service.h"

#include <string_view>
#include <vector>

#include "scheduler/api/api_internal.h"

namespace sluice {

using api::Context;
using api::ErrorResponse;
using api::Handler;
using api::JsonResponse;
using api::PathParams;

namespace {

// A route: a method and a path whose "{name}" segments match any one segment.
struct Route {
  std::string method;
  std::vector<std::string> segments;
  Handler handler;
  bool mutates;
};

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Route MakeRoute(std::string method, std::string_view pattern, Handler handler) {
  const bool mutates = method != "GET";
  return Route{std::move(method), Split(pattern), handler, mutates};
}

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = {
      MakeRoute("GET", "/api/v1/dags", api::ListDags),
      MakeRoute("GET", "/api/v1/dags/{dag_id}", api::GetDag),
      MakeRoute("GET", "/api/v1/dags/{dag_id}/source", api::GetDagSource),
      MakeRoute("GET", "/api/v1/dags/{dag_id}/grid", api::GetDagGrid),
      MakeRoute("POST", "/api/v1/dags/{dag_id}/trigger", api::TriggerDag),
      MakeRoute("POST", "/api/v1/dags/{dag_id}/backfill", api::BackfillDag),
      MakeRoute("POST", "/api/v1/dags/{dag_id}/pause", api::PauseDag),
      MakeRoute("POST", "/api/v1/dags/{dag_id}/unpause", api::UnpauseDag),
      MakeRoute("GET", "/api/v1/runs", api::ListRuns),
      MakeRoute("GET", "/api/v1/runs/{run_id}", api::GetRun),
      MakeRoute("POST", "/api/v1/runs/{run_id}/clear", api::ClearRun),
      MakeRoute("POST", "/api/v1/runs/{run_id}/retry", api::RetryRun),
      MakeRoute("GET", "/api/v1/runs/{run_id}/tasks/{task_id}", api::GetTaskInstance),
      MakeRoute("GET", "/api/v1/runs/{run_id}/tasks/{task_id}/output", api::GetTaskOutput),
      MakeRoute("GET", "/api/v1/runs/{run_id}/tasks/{task_id}/attempts/{attempt}/log",
                api::GetAttemptLog),
      MakeRoute("GET", "/api/v1/alerts", api::ListAlerts),
      MakeRoute("GET", "/api/v1/events", api::StreamEvents),
  };
  return routes;
}

bool Matches(const Route& route, const std::vector<std::string>& segments, PathParams& params) {
  if (route.segments.size() != segments.size()) return false;
  PathParams found;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = route.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (segments[i].empty()) return false;
      found[want.substr(1, want.size() - 2)] = segments[i];
    } else if (want != segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

// Compares without an early exit, so the time taken says nothing of how much matched.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ b[i % (b.empty() ? 1 : b.size())];
  return diff == 0 && !b.empty();
}

std::optional<HttpResponse> CheckToken(const Context& ctx, const HttpRequest& request) {
  if (ctx.settings.token.empty()) {
    return ErrorResponse(403, "this scheduler takes no changes over HTTP: it has no API token");
  }
  const std::string header = request.Header("authorization");
  const std::string_view prefix = "Bearer ";
  if (header.rfind(prefix, 0) != 0 ||
      !SameSecret(std::string_view(header).substr(prefix.size()), ctx.settings.token)) {
    HttpResponse response = ErrorResponse(
        401, header.empty()
                 ? "this call changes state and needs 'Authorization: Bearer TOKEN' — the token "
                   "is the scheduler's SLUICE_API_TOKEN, or the file HOME/api-token"
                 : "the bearer token is not this scheduler's API token");
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"sluice\"");
    return response;
  }
  return std::nullopt;
}

HttpResponse Health(const Context& ctx) {
  return JsonResponse(200, {{"status", "ok"},
                            {"version", ctx.settings.version},
                            {"token_required", true},
                            {"accepts_changes", !ctx.settings.token.empty()}});
}

HttpResponse Metrics(Context& ctx) {
  if (!ctx.settings.render_metrics) return ErrorResponse(404, "metrics are not enabled");
  auto store = ctx.stores.Acquire();
  if (!store.ok()) return api::StoreError(store.message());
  Result<std::string> text = ctx.settings.render_metrics(**store);
  if (!text.ok()) return api::StoreError(text.message());
  HttpResponse response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = std::move(text).value();
  return response;
}

// The UI: its built files, and index.html for every other path (the UI routes itself).
HttpResponse StaticOrIndex(const Context& ctx, const std::string& path) {
  if (!ctx.settings.find_static_file) return ErrorResponse(404, "no UI in this build");
  std::optional<StaticFile> file = ctx.settings.find_static_file(path);
  const bool is_index = !file;
  if (!file) file = ctx.settings.find_static_file("/index.html");
  if (!file) return ErrorResponse(404, "no UI in this build");
  HttpResponse response;
  response.content_type = std::string(file->content_type);
  response.body = std::string(file->body);
  response.headers.emplace_back(
      "Cache-Control", file->immutable && !is_index ? "public, max-age=31536000, immutable"
                                                    : "no-cache");
  return response;
}

}  // namespace

struct ApiService::Impl {
  explicit Impl(ApiSettings settings) : ctx(std::move(settings)) {}
  Context ctx;
  std::atomic<bool> shut_down{false};
};

ApiService::ApiService(ApiSettings settings) : impl_(std::make_unique<Impl>(std::move(settings))) {}

ApiService::~ApiService() { Shutdown(); }

void ApiService::Shutdown() {
  impl_->shut_down = true;
  impl_->ctx.feed.Stop();
}

HttpResponse ApiService::Handle(const HttpRequest& original) {
  Context& ctx = impl_->ctx;
  // HEAD is GET without the body (the server drops it).
  HttpRequest head_as_get;
  if (original.method == "HEAD") {
    head_as_get = original;
    head_as_get.method = "GET";
  }
  const HttpRequest& request = original.method == "HEAD" ? head_as_get : original;
  if (impl_->shut_down) return ErrorResponse(503, "the scheduler is stopping");
  const std::string& path = request.path;
  const bool is_api = path == "/api" || path.rfind("/api/", 0) == 0;
  if (path == "/metrics") {
    if (request.method != "GET") return ErrorResponse(405, "/metrics answers GET only");
    return Metrics(ctx);
  }
  if (!is_api) {
    if (request.method != "GET") return ErrorResponse(405, path + " answers GET only");
    return StaticOrIndex(ctx, path);
  }
  if (path == "/api/v1/health") return Health(ctx);

  const std::vector<std::string> segments = Split(path);
  std::string allowed;
  for (const Route& route : Routes()) {
    PathParams params;
    if (!Matches(route, segments, params)) continue;
    if (route.method != request.method) {
      allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    if (route.mutates) {
      if (std::optional<HttpResponse> refused = CheckToken(ctx, request)) return *refused;
    }
    HttpResponse response = route.handler(ctx, request, params);
    if (route.mutates && response.status < 300) {
      ctx.feed.Bump();
      if (ctx.settings.state_changed) ctx.settings.state_changed();
    }
    return response;
  }
  if (!allowed.empty()) {
    HttpResponse response =
        ErrorResponse(405, request.method + " is not allowed on " + path + "; use " + allowed);
    response.headers.emplace_back("Allow", allowed);
    return response;
  }
  return ErrorResponse(404, "no API endpoint " + path + " — docs/openapi.yaml lists them");
}

}  // namespace sluice
