#include "runtime/alert.h"

#include <algorithm>
#include <chrono>

#include "runtime/time_format.h"

namespace sluice {

bool IsAlertKind(std::string_view kind) {
  return std::find(std::begin(kAlertKinds), std::end(kAlertKinds), kind) != std::end(kAlertKinds);
}

std::string ErrorExcerpt(std::string_view error) {
  // Cut at a line end where possible: half a line of a stack trace reads as noise.
  size_t end = 0;
  size_t lines = 0;
  while (end < error.size() && lines < kAlertErrorExcerptLines) {
    size_t next = error.find('\n', end);
    next = next == std::string_view::npos ? error.size() : next + 1;
    if (next > kAlertErrorExcerptBytes) {
      if (end == 0) end = kAlertErrorExcerptBytes;  // one very long first line
      break;
    }
    end = next;
    ++lines;
  }
  // Never cut inside a UTF-8 sequence: receivers reject invalid JSON text.
  while (end > 0 && end < error.size() && (static_cast<unsigned char>(error[end]) & 0xC0) == 0x80) {
    --end;
  }
  std::string out(error.substr(0, end));
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) {
    out.pop_back();
  }
  if (end < error.size()) {
    out += "\n… (" + std::to_string(error.size() - end) + " more bytes in the log)";
  }
  return out;
}

Status EnqueueAlert(StateStore& store, const AlertEvent& event,
                    const std::vector<AlertRoute>& routes) {
  if (!IsAlertKind(event.kind)) {
    return Status::Error("unknown alert kind '" + event.kind + "'");
  }
  const std::string now = FormatUtc(std::chrono::system_clock::now());
  AlertRecord record;
  record.created_at = now;
  record.kind = event.kind;
  record.dag_id = event.dag_id;
  record.run_id = event.run_id;
  record.task_id = event.task_id;
  record.attempt = event.attempt;
  record.max_attempts = event.max_attempts;
  record.error = ErrorExcerpt(event.error);
  record.log_path = event.log_path;
  record.logical_date = event.logical_date;
  record.retry_at = event.next_attempt_at;
  record.event_at = event.at.empty() ? now : event.at;
  record.file = event.file;
  record.next_attempt_at = now;  // due at once; the dispatcher holds failures briefly to collapse a storm
  // One call may write several rows: all of them or none, even outside a caller's transaction.
  return store.InTransaction([&]() -> Status {
    for (const AlertRoute& route : routes) {
      if (std::find(route.on.begin(), route.on.end(), event.kind) == route.on.end()) continue;
      record.webhook = route.webhook;
      record.template_json = route.template_json;
      if (Result<int64_t> id = store.InsertAlert(record); !id.ok()) return id.status();
    }
    return Status::Ok();
  });
}

}  // namespace sluice
