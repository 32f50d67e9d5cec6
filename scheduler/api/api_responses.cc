// Responses and request parsing shared by the handlers, and the pool of state connections.
#include "scheduler/api/api_internal.h"

namespace sluice::api {

HttpResponse JsonResponse(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  // Invalid UTF-8 (a log excerpt cut mid-character) must not fail the whole answer.
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse ErrorResponse(int status, const std::string& message) {
  return JsonResponse(status, {{"error", {{"status", status}, {"message", message}}}});
}

HttpResponse StoreError(const std::string& message) {
  return ErrorResponse(500, "state database: " + message);
}

std::optional<json> JsonBody(const HttpRequest& request, HttpResponse& error) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  const std::string type = request.Header("content-type");
  if (!type.empty() && type.find("application/json") == std::string::npos) {
    error = ErrorResponse(415, "the body must be JSON (Content-Type: application/json), not " + type);
    return std::nullopt;
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    error = ErrorResponse(400, "the body is not a JSON object — send e.g. {\"params\": {}}");
    return std::nullopt;
  }
  return body;
}

std::optional<int> LimitParam(const HttpRequest& request, int fallback, int max,
                              HttpResponse& error) {
  const std::string text = request.Query("limit");
  if (text.empty()) return fallback;
  int value = 0;
  bool digits = text.size() <= 9;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  if (digits) value = std::stoi(text);
  if (!digits || value < 1) {
    error = ErrorResponse(400, "limit=" + text + " is not a positive whole number");
    return std::nullopt;
  }
  return std::min(value, max);
}

Result<StorePool::Lease> StorePool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<StateStore> store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(store));
    }
  }
  Result<std::unique_ptr<StateStore>> opened = OpenSqliteStateStore(path_);
  if (!opened.ok()) return opened.status();
  return Lease(this, std::move(opened).value());
}

void StorePool::Return(std::unique_ptr<StateStore> store) {
  constexpr size_t kKeptIdle = 8;
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < kKeptIdle) idle_.push_back(std::move(store));
}

}  // namespace sluice::api
