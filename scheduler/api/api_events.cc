// GET /api/v1/events: Server-Sent Events telling the UI that the state changed, so that it
// refetches what it shows instead of polling. One `change` event per change seen (several
// commits close together may make one), and a comment line every 15 s keeps proxies from
// closing an idle stream.
#include "runtime/state_store.h"
#include "scheduler/api/api_internal.h"

namespace sluice::api {
namespace {

constexpr auto kLookInterval = std::chrono::milliseconds(250);
constexpr auto kHeartbeat = std::chrono::seconds(15);
constexpr int kMaxStreams = 64;  // each holds a server thread; the UI falls back to polling

}  // namespace

ChangeFeed::ChangeFeed(std::string database_path)
    : path_(std::move(database_path)), thread_([this] { Watch(); }) {}

ChangeFeed::~ChangeFeed() { Stop(); }

void ChangeFeed::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
  listeners_present_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChangeFeed::Bump() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++version_;
  }
  changed_.notify_all();
}

uint64_t ChangeFeed::WaitForChange(uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  ++listeners_;
  listeners_present_.notify_all();
  changed_.wait_for(lock, timeout, [&] { return stopped_ || version_ != seen; });
  --listeners_;
  return version_;
}

void ChangeFeed::Watch() {
  // The baseline is taken now, not when the first listener arrives: a change made between a
  // client's `hello` and a late baseline would be missed. A change made while nobody listens
  // is reported to the next listener: a needless refetch, never a missed one.
  std::unique_ptr<StateStore> store;
  if (Result<std::unique_ptr<StateStore>> opened = OpenSqliteStateStore(path_); opened.ok()) {
    store = std::move(opened).value();
    (void)store->ChangedElsewhere();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopped_) {
    // Nobody listening: sleep until someone does (an idle scheduler uses no CPU).
    listeners_present_.wait(lock, [&] { return stopped_ || listeners_ > 0; });
    if (stopped_) break;
    lock.unlock();
    bool changed = false;
    if (!store) {
      Result<std::unique_ptr<StateStore>> opened = OpenSqliteStateStore(path_);
      if (opened.ok()) {
        store = std::move(opened).value();
        (void)store->ChangedElsewhere();  // the baseline
      }
    } else {
      Result<bool> result = store->ChangedElsewhere();
      changed = result.ok() && *result;
    }
    lock.lock();
    if (changed) {
      ++version_;
      changed_.notify_all();
    }
    listeners_present_.wait_for(lock, kLookInterval, [&] { return bool(stopped_); });
  }
}

HttpResponse StreamEvents(Context& ctx, const HttpRequest&, const PathParams&) {
  if (ctx.streams.load() >= kMaxStreams) {
    return ErrorResponse(503, "too many event streams open; poll instead");
  }
  ++ctx.streams;
  auto release = std::shared_ptr<void>(nullptr, [&ctx](void*) { --ctx.streams; });
  struct Seen {
    uint64_t version = 0;
    bool greeted = false;
  };
  auto seen = std::make_shared<Seen>();
  seen->version = ctx.feed.version();
  HttpResponse response;
  response.content_type = "text/event-stream";
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Accel-Buffering", "no");
  response.stream = [&ctx, seen, release](const HttpStreamWriter& write) {
    if (!seen->greeted) {
      seen->greeted = true;
      // Tells the client how long to wait before reconnecting, and where the count starts.
      return write("retry: 2000\nevent: hello\ndata: {\"version\":" +
                   std::to_string(seen->version) + "}\n\n");
    }
    // Short waits, so that Shutdown ends the stream within a second.
    const auto until = std::chrono::steady_clock::now() + kHeartbeat;
    while (std::chrono::steady_clock::now() < until) {
      if (ctx.feed.stopped()) return false;
      const uint64_t now = ctx.feed.WaitForChange(seen->version, std::chrono::milliseconds(500));
      if (now != seen->version) {
        seen->version = now;
        return write("event: change\ndata: {\"version\":" + std::to_string(now) + "}\n\n");
      }
    }
    return write(": still here\n\n");
  };
  return response;
}

}  // namespace sluice::api
