#include "runtime/alert_dispatcher.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>

#include "runtime/alert_message.h"
#include "runtime/redact.h"

namespace sluice {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

// Pending alerts looked at per pass; more wait for the next pass.
constexpr int kBatch = 500;
// However far the next retry is, look again after this long: alerts that other processes
// (a `sluice run` that ran out of time) left pending are picked up.
constexpr milliseconds kLongestSleep{std::chrono::seconds(60)};
// After a database error: wait this long before trying again.
constexpr milliseconds kErrorPause{std::chrono::seconds(5)};
// What a claim adds to the request's own timeouts: the time to record the outcome.
constexpr milliseconds kLeaseMargin{std::chrono::seconds(30)};

bool Collapsible(const AlertRecord& a) {
  return (a.kind == "failure" || a.kind == "retry") && !a.run_id.empty() && a.attempts == 0;
}

std::string Describe(const AlertRecord& a, size_t carried) {
  std::string what = "alert " + std::to_string(a.id) + " (" + a.kind;
  if (carried > 1) what += " x" + std::to_string(carried);
  if (!a.dag_id.empty()) what += " of " + a.dag_id + (a.task_id.empty() ? "" : "." + a.task_id);
  if (!a.run_id.empty()) what += ", run " + a.run_id;
  return what + ") to " + a.webhook;
}

// Everything a message about the resolved URL could leak: the URL, and its parts after the
// scheme (a host-less path is the token of Slack's webhooks).
std::vector<std::string> SecretsOf(const std::string& url) {
  std::vector<std::string> secrets = {url};
  if (size_t scheme = url.find("://"); scheme != std::string::npos) {
    const std::string rest = url.substr(scheme + 3);
    secrets.push_back(rest);
    if (size_t path = rest.find('/'); path != std::string::npos && rest.size() - path > 1) {
      secrets.push_back(rest.substr(path));
    }
  }
  return secrets;
}

}  // namespace

AlertDelivery::AlertDelivery(StateStore& store, AlertDeliverySettings settings,
                             WebhookSender& sender, AlertLog log, const std::atomic<bool>* stop)
    : store_(store),
      settings_(std::move(settings)),
      sender_(sender),
      log_(std::move(log)),
      stop_(stop),
      random_(std::random_device{}()) {}

namespace {

// What one look at the pending alerts found: the messages due now, each a carrier and the
// fresh alerts of its storm, and when the earliest other one falls due.
struct DeliveryPlan {
  std::vector<std::pair<AlertRecord, std::vector<AlertRecord>>> due;
  std::optional<TimePoint> next;
};

DeliveryPlan PlanDeliveries(std::vector<AlertRecord> pending, TimePoint now, bool hold_storms,
                            milliseconds collapse_window) {
  DeliveryPlan plan;
  auto consider = [&plan](TimePoint t) { plan.next = plan.next ? std::min(*plan.next, t) : t; };
  // A storm: fresh failures of one run to one route (and template) go out as one message.
  using StormKey = std::tuple<std::string, std::string, std::string>;
  std::map<StormKey, std::vector<AlertRecord>> storms;
  for (AlertRecord& a : pending) {
    if (Collapsible(a)) {
      storms[{a.run_id, a.webhook, a.template_json}].push_back(std::move(a));
      continue;
    }
    const TimePoint due = ParseUtc(a.next_attempt_at).value_or(now);
    consider(std::max(due, now));
    if (due <= now) plan.due.emplace_back(std::move(a), std::vector<AlertRecord>());
  }
  for (auto& [key, alerts] : storms) {
    std::sort(alerts.begin(), alerts.end(),
              [](const AlertRecord& x, const AlertRecord& y) { return x.id < y.id; });
    TimePoint send_at = now;
    if (hold_storms) {
      TimePoint first = now;
      for (const AlertRecord& a : alerts) {
        first = std::min(first, ParseUtc(a.created_at).value_or(now));
      }
      send_at = std::max(now, first + collapse_window);
    }
    consider(send_at);
    if (send_at > now) continue;
    AlertRecord carrier = std::move(alerts.front());
    alerts.erase(alerts.begin());
    plan.due.emplace_back(std::move(carrier), std::move(alerts));
  }
  return plan;
}

// A process killed while it delivered an alert (kill -9, a crash) holds its claim until the
// lease runs out, about 45 s; its alerts are due again at once instead.
Status ReleaseClaimsOfDeadProcesses(StateStore& store) {
  Result<std::vector<AlertClaim>> claims = store.ListAlertClaims();
  if (!claims.ok()) return claims.status();
  for (const AlertClaim& claim : *claims) {
    const bool alive = claim.pid == ::getpid() ||
                       ::kill(static_cast<pid_t>(claim.pid), 0) == 0 || errno == EPERM;
    if (alive) continue;
    Result<bool> released = store.ReleaseAlertClaim(claim, FormatUtc(SystemClock::now()));
    if (!released.ok()) return released.status();
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<TimePoint>> AlertDelivery::DeliverDue(bool hold_storms) {
  if (Status s = ReleaseClaimsOfDeadProcesses(store_); !s.ok()) return s;
  Result<std::vector<AlertRecord>> pending = store_.ListPendingAlerts("", kBatch);
  if (!pending.ok()) return pending.status();
  DeliveryPlan plan = PlanDeliveries(std::move(pending).value(), SystemClock::now(), hold_storms,
                                     settings_.collapse_window);
  if (plan.due.empty()) return plan.next;
  for (const auto& [carrier, join] : plan.due) {
    if (stopping()) return plan.next;
    // Past the deadline a try could only be cut short: leave the rest for later.
    if (request_deadline_ && SteadyClock::now() >= *request_deadline_) return plan.next;
    if (Status s = Deliver(carrier, join); !s.ok()) return s;
  }
  // The tries just made have set their next times (and more may wait beyond one batch).
  pending = store_.ListPendingAlerts("", kBatch);
  if (!pending.ok()) return pending.status();
  return PlanDeliveries(std::move(pending).value(), SystemClock::now(), hold_storms,
                        settings_.collapse_window)
      .next;
}

Status AlertDelivery::Deliver(const AlertRecord& carrier, const std::vector<AlertRecord>& join) {
  const TimePoint now = SystemClock::now();
  const milliseconds lease =
      settings_.connect_timeout + settings_.request_timeout + kLeaseMargin;
  bool claimed = false;
  Status taken = store_.InTransaction([&]() -> Status {
    Result<bool> claim = store_.ClaimAlert(carrier.id, FormatUtc(now), FormatUtc(now + lease));
    if (!claim.ok()) return claim.status();
    claimed = *claim;
    if (!claimed) return Status::Ok();
    for (const AlertRecord& a : join) {
      if (Result<bool> c = store_.CollapseAlert(a.id, carrier.id); !c.ok()) return c.status();
    }
    return Status::Ok();
  });
  if (!taken.ok()) return taken;
  if (!claimed) return Status::Ok();  // another process has it, or it is no longer due

  // The message carries every alert collapsed into it, now or on an earlier try.
  std::vector<AlertRecord> alerts = {carrier};
  if (carrier.kind == "failure" || carrier.kind == "retry") {
    AlertFilter filter;
    filter.run_id = carrier.run_id;
    filter.collapsed_into = carrier.id;
    Result<std::vector<AlertRecord>> carried = store_.ListAlerts(filter);
    if (!carried.ok()) return carried.status();
    std::reverse(carried->begin(), carried->end());  // oldest first, as they happened
    alerts.insert(alerts.end(), carried->begin(), carried->end());
  }
  const int attempts = carrier.attempts + 1;

  Result<std::string> url = ResolveWebhook(carrier.webhook, settings_.env);
  if (!url.ok()) {
    DeliveryDecision failed{DeliveryVerdict::kFailed, milliseconds(0), url.message()};
    LogOutcome(carrier, alerts.size(), attempts, failed, 0, {});
    return Record(carrier, failed, 0, SystemClock::now());
  }
  const std::vector<std::string> secrets = SecretsOf(*url);
  Result<std::string> body = AlertBody(alerts, settings_.ui_url);
  if (!body.ok()) {
    DeliveryDecision failed{DeliveryVerdict::kFailed, milliseconds(0), body.message()};
    LogOutcome(carrier, alerts.size(), attempts, failed, 0, secrets);
    return Record(carrier, failed, 0, SystemClock::now());
  }
  WebhookRequest request;
  request.url = *url;
  request.body = std::move(body).value();
  request.headers.push_back("X-Sluice-Alert-Id: " + std::to_string(carrier.id));
  request.connect_timeout = settings_.connect_timeout;
  request.total_timeout = settings_.request_timeout;
  bool cut_by_deadline = false;
  if (request_deadline_) {
    const auto left = std::chrono::ceil<milliseconds>(*request_deadline_ - SteadyClock::now());
    cut_by_deadline = left < request.total_timeout;
    request.total_timeout = std::clamp(left, milliseconds(1), request.total_timeout);
    request.connect_timeout = std::min(request.connect_timeout, request.total_timeout);
  }
  WebhookResponse response = sender_.Post(request);
  // Our deadline, not the receiver, ended it: not a try (the scheduler sends it later).
  if (cut_by_deadline && response.status == 0 && response.error == "timed out") {
    response.interrupted = true;
  }
  std::uniform_real_distribution<double> jitter(1 - settings_.retry.jitter, 1 + settings_.retry.jitter);
  DeliveryDecision decision =
      DecideDelivery(response, attempts, settings_.retry, SystemClock::now(), jitter(random_));
  decision.error = Redact(decision.error, secrets);
  LogOutcome(carrier, alerts.size(), attempts, decision, response.status, secrets);
  return Record(carrier, decision, response.status, SystemClock::now());
}

void AlertDelivery::LogOutcome(const AlertRecord& carrier, size_t carried, int attempts,
                               const DeliveryDecision& decision, int http_status,
                               const std::vector<std::string>& secrets) {
  if (!log_) return;
  std::string line = Describe(carrier, carried) + ": ";
  switch (decision.verdict) {
    case DeliveryVerdict::kDelivered:
      line += "delivered (HTTP " + std::to_string(http_status) + ")";
      break;
    case DeliveryVerdict::kRetry: {
      const auto tenths = std::chrono::duration_cast<milliseconds>(decision.delay).count() / 100;
      line += "try " + std::to_string(attempts) + " failed: " + decision.error + "; again in " +
              std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
      break;
    }
    case DeliveryVerdict::kFailed:
      line += "failed for good: " + decision.error;
      break;
    case DeliveryVerdict::kInterrupted:
      line += "interrupted; it stays pending and is sent later";
      break;
  }
  log_(Redact(line, secrets));
}

Status AlertDelivery::Record(const AlertRecord& carrier, const DeliveryDecision& decision,
                             int http_status, TimePoint now) {
  AlertOutcome outcome;
  outcome.id = carrier.id;
  outcome.attempts = carrier.attempts + 1;
  outcome.attempted_at = FormatUtc(now);
  outcome.http_status = http_status;
  outcome.error = decision.error;
  switch (decision.verdict) {
    case DeliveryVerdict::kDelivered:
      outcome.state = "delivered";
      break;
    case DeliveryVerdict::kRetry:
      outcome.state = "pending";
      outcome.next_attempt_at = FormatUtc(now + decision.delay);
      break;
    case DeliveryVerdict::kFailed:
      outcome.state = "failed";
      break;
    case DeliveryVerdict::kInterrupted:
      // Not a try: released at once for whoever delivers next, the record as it was.
      outcome.state = "pending";
      outcome.attempts = carrier.attempts;
      outcome.next_attempt_at = FormatUtc(now);
      outcome.attempted_at = carrier.last_attempt_at;
      outcome.http_status = carrier.last_status;
      outcome.error = carrier.last_error;
      break;
  }
  return store_.RecordAlertOutcome(outcome);
}

// ---- the dispatcher thread ----

struct AlertDispatcher::Shared {
  std::unique_ptr<StateStore> store;
  std::unique_ptr<WebhookSender> sender;
  AlertLog log;
  std::atomic<bool> stop{false};
  std::unique_ptr<AlertDelivery> delivery;
  std::mutex mutex;
  std::condition_variable wake;
  bool notified = true;  // deliver what is pending at start
  std::optional<std::string> new_ui_url;  // SetUiUrl's, taken before the next pass
  std::thread thread;

  void Loop() {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        if (stop.load()) return;
        notified = false;
        if (new_ui_url) delivery->set_ui_url(*std::exchange(new_ui_url, std::nullopt));
      }
      Result<std::optional<TimePoint>> next = delivery->DeliverDue(/*hold_storms=*/true);
      milliseconds sleep = kLongestSleep;
      if (!next.ok()) {
        if (log) log("alert delivery: " + next.message() + "; trying again in 5 s");
        sleep = kErrorPause;
      } else if (*next) {
        const auto until = std::chrono::ceil<milliseconds>(**next - SystemClock::now());
        sleep = std::clamp(until, milliseconds(0), kLongestSleep);
      }
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait_for(lock, sleep, [&] { return notified || stop.load(); });
    }
  }
};

AlertDispatcher::AlertDispatcher(std::unique_ptr<Shared> shared) : shared_(std::move(shared)) {}

Result<std::unique_ptr<AlertDispatcher>> AlertDispatcher::Start(
    const std::string& database_path, AlertDeliverySettings settings, AlertLog log,
    std::unique_ptr<WebhookSender> sender) {
  Result<std::unique_ptr<StateStore>> store = OpenSqliteStateStore(database_path);
  if (!store.ok()) return store.status();
  auto shared = std::make_unique<Shared>();
  shared->store = std::move(store).value();
  shared->sender = sender ? std::move(sender) : MakeCurlWebhookSender();
  shared->log = std::move(log);
  shared->delivery = std::make_unique<AlertDelivery>(*shared->store, std::move(settings),
                                                     *shared->sender, shared->log, &shared->stop);
  Shared* raw = shared.get();
  shared->thread = std::thread([raw] { raw->Loop(); });
  return std::unique_ptr<AlertDispatcher>(new AlertDispatcher(std::move(shared)));
}

AlertDispatcher::~AlertDispatcher() { Stop(); }

void AlertDispatcher::Notify() {
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->notified = true;
  }
  shared_->wake.notify_one();
}

void AlertDispatcher::SetUiUrl(std::string ui_url) {
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->new_ui_url = std::move(ui_url);
    shared_->notified = true;
  }
  shared_->wake.notify_one();
}

void AlertDispatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->stop.store(true);
  }
  shared_->sender->Interrupt();
  shared_->wake.notify_one();
  if (shared_->thread.joinable()) shared_->thread.join();
}

Status DeliverPendingAlerts(StateStore& store, const AlertDeliverySettings& settings,
                            SteadyClock::time_point deadline, const AlertLog& log,
                            std::unique_ptr<WebhookSender> sender) {
  if (!sender) sender = MakeCurlWebhookSender();
  AlertDelivery delivery(store, settings, *sender, log);
  delivery.set_request_deadline(deadline);
  for (;;) {
    Result<std::optional<TimePoint>> next = delivery.DeliverDue(/*hold_storms=*/false);
    if (!next.ok()) return next.status();
    if (!*next) return Status::Ok();  // nothing pending
    const auto wait = std::chrono::ceil<milliseconds>(**next - SystemClock::now());
    if (SteadyClock::now() + wait >= deadline) return Status::Ok();  // the scheduler's, later
    std::this_thread::sleep_for(std::max(wait, milliseconds(1)));
  }
}

}  // namespace sluice
