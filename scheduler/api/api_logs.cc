// GET /api/v1/runs/{run}/tasks/{task}/attempts/{n}/log: an attempt's log from a byte offset;
// with follow=true, streamed as it grows until the attempt ends (as `sluice tasks logs
// --follow`). Logs were redacted when written (runtime/redact.h).
#include <fstream>
#include <thread>

#include "scheduler/api/api_internal.h"

namespace sluice::api {
namespace {

constexpr size_t kMaxPiece = 4 << 20;  // bytes per answer or stream piece
constexpr auto kFollowPoll = std::chrono::milliseconds(200);

// Up to `max` bytes of `path` from `offset`; "" when the file is not there (yet).
std::string ReadFrom(const std::string& path, uint64_t offset, size_t max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in) return "";
  std::string out(max, '\0');
  in.read(out.data(), static_cast<std::streamsize>(max));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

struct AttemptLookup {
  std::optional<AttemptRecord> attempt;
  HttpResponse error;
};

AttemptLookup FindAttempt(Context& ctx, const std::string& run_id, const std::string& task_id,
                          int number) {
  AttemptLookup out;
  auto store = ctx.stores.Acquire();
  if (!store.ok()) {
    out.error = StoreError(store.message());
    return out;
  }
  Result<std::vector<AttemptRecord>> attempts = (*store)->ListAttempts(run_id, task_id);
  if (!attempts.ok()) {
    out.error = StoreError(attempts.message());
    return out;
  }
  for (const AttemptRecord& a : *attempts) {
    if (a.attempt == number) {
      out.attempt = a;
      return out;
    }
  }
  out.error = ErrorResponse(404, "task '" + task_id + "' of run " + run_id + " has no attempt " +
                                     std::to_string(number) + " (it has " +
                                     std::to_string(attempts->size()) + ")");
  return out;
}

std::optional<uint64_t> ParseNumber(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

HttpResponse GetAttemptLog(Context& ctx, const HttpRequest& request, const PathParams& params) {
  const std::string run_id = params.at("run_id");
  const std::string task_id = params.at("task_id");
  const std::optional<uint64_t> number = ParseNumber(params.at("attempt"));
  if (!number || *number == 0 || *number > 1000000) {
    return ErrorResponse(400, "attempt '" + params.at("attempt") + "' is not an attempt number (1, 2, ...)");
  }
  const std::string offset_text = request.Query("offset");
  const std::optional<uint64_t> offset = offset_text.empty() ? 0 : ParseNumber(offset_text);
  if (!offset) return ErrorResponse(400, "offset=" + offset_text + " is not a byte offset");
  const std::string follow_text = request.Query("follow");
  if (!follow_text.empty() && follow_text != "true" && follow_text != "false") {
    return ErrorResponse(400, "follow=" + follow_text + ": use true or false");
  }
  AttemptLookup found = FindAttempt(ctx, run_id, task_id, static_cast<int>(*number));
  if (!found.attempt) return found.error;
  const std::string path = found.attempt->log_path;

  if (follow_text != "true") {
    const bool running = found.attempt->state == "running";
    HttpResponse response;
    response.content_type = "text/plain; charset=utf-8";
    response.body = ReadFrom(path, *offset, kMaxPiece);
    const uint64_t next = *offset + response.body.size();
    const bool complete = !running && response.body.size() < kMaxPiece;
    response.headers.emplace_back("X-Sluice-Log-Next-Offset", std::to_string(next));
    response.headers.emplace_back("X-Sluice-Log-Complete", complete ? "true" : "false");
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  // Followed: pieces as the file grows; done once the attempt has ended and all is sent.
  struct Follow {
    uint64_t offset;
    bool ended = false;
  };
  auto state = std::make_shared<Follow>(Follow{*offset});
  ++ctx.streams;
  auto release = std::shared_ptr<void>(nullptr, [&ctx](void*) { --ctx.streams; });
  const int attempt_number = static_cast<int>(*number);
  HttpResponse response;
  // Not text/*: cpp-httplib gzips text for clients that accept it, and a compressor holds
  // the stream's small pieces back — a follower would see nothing until the attempt ends.
  response.content_type = "application/octet-stream";
  response.headers.emplace_back("Cache-Control", "no-store");
  response.stream = [&ctx, state, release, path, run_id, task_id,
                     attempt_number](const HttpStreamWriter& write) {
    for (;;) {
      if (ctx.feed.stopped()) return false;
      std::string piece = ReadFrom(path, state->offset, kMaxPiece);
      if (!piece.empty()) {
        state->offset += piece.size();
        return write(piece);
      }
      if (state->ended) return false;  // ended, and everything after the end is sent
      AttemptLookup now = FindAttempt(ctx, run_id, task_id, attempt_number);
      if (!now.attempt || now.attempt->state != "running") {
        state->ended = true;  // one more read: the last lines may have landed meanwhile
        continue;
      }
      std::this_thread::sleep_for(kFollowPoll);
    }
  };
  return response;
}

}  // namespace sluice::api
