// Alert delivery against a real HTTP receiver on loopback (tests/webhook_receiver.h), through
// libcurl, with the outbox in a real SQLite database.
#include "runtime/alert_dispatcher.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/alert.h"
#include "tests/webhook_receiver.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testing::WebhookReceiver;
using nlohmann::json;

class AlertDispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice-alerts-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    path_ = (dir_ / "sluice.db").string();
    store_ = Open();
    env_["SLUICE_TEST_HOOK"] = receiver_.Url("/services/T0/B0/SECRET-TOKEN-123");
    settings_.ui_url = "http://ui.example:9";
    settings_.connect_timeout = milliseconds(500);
    settings_.request_timeout = milliseconds(800);
    settings_.retry.first_delay = milliseconds(100);
    settings_.retry.jitter = 0;
    settings_.collapse_window = milliseconds(400);
    settings_.env = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<StateStore> Open() {
    Result<std::unique_ptr<StateStore>> store = OpenSqliteStateStore(path_);
    EXPECT_TRUE(store.ok()) << store.message();
    return std::move(store).value();
  }

  static AlertEvent Event(const std::string& kind, const std::string& task,
                          const std::string& run = "20261123T223501-3f9a0c") {
    AlertEvent e;
    e.kind = kind;
    e.dag_id = "sales";
    e.run_id = run;
    e.task_id = task;
    e.attempt = task.empty() ? 0 : 2;
    e.max_attempts = task.empty() ? 0 : 3;
    e.error = task.empty() ? "" : "exit code 1: relation \"orders\" does not exist";
    e.log_path = "/home/logs/sales/run/" + task + ".2.log";
    e.logical_date = "2026-11-23T00:00:00Z";
    e.at = "2026-11-23T22:40:00.000000Z";
    return e;
  }
  std::vector<AlertRoute> Routes(const std::string& webhook = "${SLUICE_TEST_HOOK}",
                                 const std::string& template_json = "") {
    return {{webhook, {"failure", "retry", "success", "recovery"}, template_json}};
  }
  void Enqueue(const AlertEvent& event, const std::vector<AlertRoute>& routes) {
    Status s = EnqueueAlert(*store_, event, routes);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  std::vector<AlertRecord> Alerts() {
    Result<std::vector<AlertRecord>> alerts = store_->ListAlerts({});
    EXPECT_TRUE(alerts.ok()) << alerts.message();
    std::vector<AlertRecord> out = alerts.ok() ? *alerts : std::vector<AlertRecord>();
    std::reverse(out.begin(), out.end());  // oldest first
    return out;
  }
  AlertLog Log() {
    return [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mutex_);
      log_ += line + "\n";
    };
  }
  std::string LogText() {
    std::lock_guard<std::mutex> lock(log_mutex_);
    return log_;
  }
  // Delivers until nothing is due within `deadline` (as `sluice run` does at its end).
  void DeliverAll(milliseconds deadline = milliseconds(5000)) {
    Status s = DeliverPendingAlerts(*store_, settings_, std::chrono::steady_clock::now() + deadline,
                                    Log());
    ASSERT_TRUE(s.ok()) << s.message();
  }
  // One pass of the scheduler's dispatcher: what is due now, nothing more.
  void DeliverDueOnce() {
    AlertDelivery delivery(*store_, settings_, *sender_, Log());
    Result<std::optional<TimePoint>> next = delivery.DeliverDue(/*hold_storms=*/false);
    ASSERT_TRUE(next.ok()) << next.message();
  }
  static bool WaitFor(const std::function<bool()>& done, milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return done();
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<StateStore> store_;
  WebhookReceiver receiver_;
  std::map<std::string, std::string> env_;
  AlertDeliverySettings settings_;
  std::unique_ptr<WebhookSender> sender_ = MakeCurlWebhookSender();
  std::mutex log_mutex_;
  std::string log_;
};

TEST_F(AlertDispatcherTest, TheReceiverGetsSlackJsonNamingDagTaskRunAttemptErrorAndLog) {
  Enqueue(Event("failure", "extract"), Routes());
  DeliverAll();
  std::vector<WebhookReceiver::Request> requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const WebhookReceiver::Request& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/services/T0/B0/SECRET-TOKEN-123") << "the ${ENV} reference was resolved";
  EXPECT_EQ(r.Header("content-type"), "application/json");
  const std::vector<AlertRecord> alerts = Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(r.Header("x-sluice-alert-id"), std::to_string(alerts[0].id));

  const json payload = json::parse(r.body);
  const std::string text = payload.at("text");
  EXPECT_NE(text.find("task extract of DAG sales failed, attempt 2/3"), std::string::npos) << text;
  std::string fields, sections;
  for (const json& block : payload.at("blocks")) {
    ASSERT_EQ(block.at("type"), "section");
    if (block.contains("fields")) {
      for (const json& f : block["fields"]) fields += f.at("text").get<std::string>() + "|";
    } else {
      sections += block.at("text").at("text").get<std::string>() + "|";
    }
  }
  EXPECT_EQ(fields,
            "*DAG*\nsales|*Task*\nextract|*Run*\n20261123T223501-3f9a0c|*Attempt*\n2/3|"
            "*Logical date*\n2026-11-23T00:00:00Z|");
  EXPECT_NE(sections.find("```exit code 1: relation \"orders\" does not exist```"), std::string::npos)
      << sections;
  EXPECT_NE(sections.find("<http://ui.example:9/runs/20261123T223501-3f9a0c/tasks/extract/attempts/2/log|"),
            std::string::npos)
      << sections;

  EXPECT_EQ(alerts[0].state, "delivered");
  EXPECT_EQ(alerts[0].attempts, 1);
  EXPECT_EQ(alerts[0].last_status, 200);
  EXPECT_FALSE(alerts[0].delivered_at.empty());
}

TEST_F(AlertDispatcherTest, AServerErrorIsRetriedThenDelivered) {
  receiver_.Script({{500}, {200}});
  Enqueue(Event("success", ""), Routes());
  DeliverAll();
  std::vector<WebhookReceiver::Request> requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("x-sluice-alert-id"), requests[1].Header("x-sluice-alert-id"))
      << "a retry is the same alert: the receiver can drop a duplicate";
  EXPECT_GE(requests[1].at - requests[0].at, milliseconds(90)) << "after the back-off";
  const AlertRecord a = Alerts().at(0);
  EXPECT_EQ(a.state, "delivered");
  EXPECT_EQ(a.attempts, 2);
  EXPECT_NE(LogText().find("try 1 failed: HTTP 500"), std::string::npos) << LogText();
}

TEST_F(AlertDispatcherTest, TooManyRequestsWaitsForRetryAfter) {
  receiver_.Script({{429, "1"}, {200}});
  Enqueue(Event("success", ""), Routes());
  DeliverDueOnce();
  AlertRecord a = Alerts().at(0);
  EXPECT_EQ(a.state, "pending");
  EXPECT_EQ(a.last_status, 429);
  const double wait = std::chrono::duration<double>(*ParseUtc(a.next_attempt_at) -
                                                    *ParseUtc(a.last_attempt_at)).count();
  EXPECT_NEAR(wait, 1.0, 0.05) << "Retry-After: 1, not the 0.1 s back-off";
  DeliverAll();
  std::vector<WebhookReceiver::Request> requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_GE(requests[1].at - requests[0].at, milliseconds(990));
  EXPECT_EQ(Alerts().at(0).state, "delivered");
}

TEST_F(AlertDispatcherTest, AHangingReceiverTimesOutAndIsRetried) {
  receiver_.Script({{200, "", /*hang=*/true}});
  Enqueue(Event("success", ""), Routes());
  const auto start = std::chrono::steady_clock::now();
  DeliverDueOnce();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(3000));
  AlertRecord a = Alerts().at(0);
  EXPECT_EQ(a.state, "pending");
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.last_status, 0);
  EXPECT_EQ(a.last_error, "timed out");
  DeliverAll();
  EXPECT_EQ(receiver_.Requests().size(), 2u);
  EXPECT_EQ(Alerts().at(0).state, "delivered");
}

TEST_F(AlertDispatcherTest, ARefusedConnectionIsRetried) {
  env_["SLUICE_TEST_HOOK"] = "http://127.0.0.1:" + std::to_string(WebhookReceiver::ClosedPort()) + "/x";
  Enqueue(Event("success", ""), Routes());
  DeliverDueOnce();
  AlertRecord a = Alerts().at(0);
  EXPECT_EQ(a.state, "pending");
  EXPECT_EQ(a.attempts, 1);
  EXPECT_NE(a.last_error.find("refused"), std::string::npos) << a.last_error;
  EXPECT_GT(a.next_attempt_at, a.last_attempt_at);
  env_["SLUICE_TEST_HOOK"] = receiver_.Url();  // the receiver is back
  DeliverAll();
  EXPECT_EQ(Alerts().at(0).state, "delivered");
  EXPECT_EQ(Alerts().at(0).attempts, 2);
}

TEST_F(AlertDispatcherTest, AClientErrorFailsAtOnce) {
  receiver_.Script({{404}});
  Enqueue(Event("success", ""), Routes());
  DeliverAll();
  EXPECT_EQ(receiver_.Requests().size(), 1u) << "never retried";
  AlertRecord a = Alerts().at(0);
  EXPECT_EQ(a.state, "failed");
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.last_status, 404);
  EXPECT_NE(a.last_error.find("HTTP 404"), std::string::npos) << a.last_error;
}

TEST_F(AlertDispatcherTest, RetriesStopAtTheMaximumNumberOfTries) {
  settings_.retry.max_attempts = 3;
  receiver_.Script({}, {500});
  Enqueue(Event("success", ""), Routes());
  DeliverAll();
  EXPECT_EQ(receiver_.Requests().size(), 3u);
  AlertRecord a = Alerts().at(0);
  EXPECT_EQ(a.state, "failed");
  EXPECT_EQ(a.attempts, 3);
  EXPECT_NE(a.last_error.find("gave up after 3 tries"), std::string::npos) << a.last_error;
}

TEST_F(AlertDispatcherTest, AStormOfFailuresInOneRunIsOneMessage) {
  Result<std::unique_ptr<AlertDispatcher>> dispatcher = AlertDispatcher::Start(path_, settings_, Log());
  ASSERT_TRUE(dispatcher.ok()) << dispatcher.message();
  for (const char* task : {"t1", "t2", "t3", "t4", "t5"}) {
    Enqueue(Event("failure", task), Routes());
    (*dispatcher)->Notify();
    std::this_thread::sleep_for(milliseconds(30));
  }
  Enqueue(Event("failure", "other", "20261123T230000-aaaaaa"), Routes());
  (*dispatcher)->Notify();
  ASSERT_TRUE(receiver_.WaitForRequests(2, milliseconds(5000)));
  std::this_thread::sleep_for(milliseconds(600));  // nothing more comes
  (*dispatcher)->Stop();
  std::vector<WebhookReceiver::Request> requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  std::set<std::string> texts;
  for (const auto& r : requests) texts.insert(json::parse(r.body).at("text").get<std::string>());
  EXPECT_EQ(texts.count("5 tasks failed in run 20261123T223501-3f9a0c of DAG sales: t1, t2, t3, t4, t5"), 1u)
      << *texts.begin();
  std::map<std::string, int> states;
  for (const AlertRecord& a : Alerts()) ++states[a.state];
  EXPECT_EQ(states["delivered"], 2);
  EXPECT_EQ(states["collapsed"], 4);
}

TEST_F(AlertDispatcherTest, ACustomTemplateIsRenderedWithEscapedValues) {
  AlertEvent event = Event("failure", "load");
  event.error = "line \"one\"\nline two";
  Enqueue(event, Routes("${SLUICE_TEST_HOOK}",
                        R"({"msg": "{{ dag }}.{{ task }} {{ kind }} #{{ attempt }}", "error": "{{ error }}", "log": "{{ log_url }}", "day": "{{ logical_date }}", "run": "{{ run_id }}"})"));
  DeliverAll();
  ASSERT_EQ(receiver_.Requests().size(), 1u);
  const json body = json::parse(receiver_.Requests()[0].body);
  EXPECT_EQ(body.at("msg"), "sales.load failure #2");
  EXPECT_EQ(body.at("error"), "line \"one\"\nline two");
  EXPECT_EQ(body.at("log"), "http://ui.example:9/runs/20261123T223501-3f9a0c/tasks/load/attempts/2/log");
  EXPECT_EQ(body.at("day"), "2026-11-23T00:00:00Z");
  EXPECT_EQ(body.at("run"), "20261123T223501-3f9a0c");
  EXPECT_FALSE(body.contains("blocks"));
}

TEST_F(AlertDispatcherTest, AnUnsetEnvironmentVariableIsARecordedFailureNamingIt) {
  Enqueue(Event("success", ""), Routes("${SLUICE_TEST_NOT_SET_ANYWHERE}"));
  DeliverAll();
  EXPECT_TRUE(receiver_.Requests().empty());
  AlertRecord a = Alerts().at(0);
  EXPECT_EQ(a.state, "failed");
  EXPECT_NE(a.last_error.find("SLUICE_TEST_NOT_SET_ANYWHERE is not set"), std::string::npos)
      << a.last_error;
  EXPECT_NE(LogText().find("SLUICE_TEST_NOT_SET_ANYWHERE"), std::string::npos) << LogText();
}

TEST_F(AlertDispatcherTest, TheResolvedUrlIsNeverStoredNorLogged) {
  receiver_.Script({{500}, {404}});
  Enqueue(Event("failure", "extract"), Routes());
  // Refused on another route: curl's own messages would name the host and port.
  env_["SLUICE_TEST_CLOSED"] =
      "http://127.0.0.1:" + std::to_string(WebhookReceiver::ClosedPort()) + "/T/B/OTHER-SECRET-456";
  Enqueue(Event("success", ""), Routes("${SLUICE_TEST_CLOSED}"));
  DeliverAll(milliseconds(1500));
  ASSERT_GE(receiver_.Requests().size(), 2u);
  const std::string log = LogText();
  EXPECT_NE(log.find("${SLUICE_TEST_HOOK}"), std::string::npos) << "the route as written: " << log;
  for (const std::string& secret : {std::string("SECRET-TOKEN-123"), std::string("OTHER-SECRET-456"),
                                    std::to_string(receiver_.port())}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in the log:\n" << log;
    for (const AlertRecord& a : Alerts()) {
      for (const std::string& column : {a.webhook, a.last_error, a.error, a.template_json}) {
        EXPECT_EQ(column.find(secret), std::string::npos) << secret << " in the table: " << column;
      }
    }
  }
}

TEST_F(AlertDispatcherTest, ADispatcherWakesOnNotifyNotByPolling) {
  Result<std::unique_ptr<AlertDispatcher>> dispatcher = AlertDispatcher::Start(path_, settings_, Log());
  ASSERT_TRUE(dispatcher.ok()) << dispatcher.message();
  std::this_thread::sleep_for(milliseconds(100));  // it has looked and is asleep (for 60 s)
  Enqueue(Event("success", ""), Routes());
  const auto notified = std::chrono::steady_clock::now();
  (*dispatcher)->Notify();
  ASSERT_TRUE(receiver_.WaitForRequests(1, milliseconds(3000)));
  EXPECT_LT(receiver_.Requests()[0].at - notified, milliseconds(1000));
}

TEST_F(AlertDispatcherTest, AFailureSentAfterSetUiUrlLinksToTheNewAddress) {
  Result<std::unique_ptr<AlertDispatcher>> dispatcher = AlertDispatcher::Start(path_, settings_, Log());
  ASSERT_TRUE(dispatcher.ok()) << dispatcher.message();
  Enqueue(Event("success", ""), Routes());
  (*dispatcher)->Notify();
  ASSERT_TRUE(receiver_.WaitForRequests(1, milliseconds(3000)));
  (*dispatcher)->SetUiUrl("https://sluice.example.com");
  Enqueue(Event("failure", "load"), Routes());
  (*dispatcher)->Notify();
  ASSERT_TRUE(receiver_.WaitForRequests(2, milliseconds(5000)));
  const std::string second = receiver_.Requests()[1].body;
  EXPECT_NE(second.find("https://sluice.example.com/runs/"), std::string::npos) << second;
  EXPECT_EQ(second.find("ui.example:9"), std::string::npos) << second;
}

TEST_F(AlertDispatcherTest, StopCutsADeliveryInFlightWhichStaysPending) {
  settings_.request_timeout = milliseconds(10000);
  receiver_.Script({{200, "", /*hang=*/true}});
  Enqueue(Event("success", ""), Routes());
  Result<std::unique_ptr<AlertDispatcher>> dispatcher = AlertDispatcher::Start(path_, settings_, Log());
  ASSERT_TRUE(dispatcher.ok()) << dispatcher.message();
  ASSERT_TRUE(receiver_.WaitForRequests(1, milliseconds(3000)));
  const auto stop = std::chrono::steady_clock::now();
  (*dispatcher)->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop, milliseconds(1000));
  AlertRecord a = Alerts().at(0);
  EXPECT_EQ(a.state, "pending");
  EXPECT_EQ(a.attempts, 0) << "an interrupted try does not count";
  EXPECT_LE(*ParseUtc(a.next_attempt_at), std::chrono::system_clock::now()) << "due again at once";
}

TEST_F(AlertDispatcherTest, AlertsPendingAtStopAreDeliveredByTheNextDispatcherOnceEach) {
  // The first dispatcher's receiver hangs: its alerts stay pending when it stops.
  receiver_.Script({}, {200, "", /*hang=*/true});
  settings_.request_timeout = milliseconds(10000);
  for (const char* kind : {"success", "recovery"}) Enqueue(Event(kind, ""), Routes());
  Enqueue(Event("failure", "extract"), Routes());
  {
    Result<std::unique_ptr<AlertDispatcher>> first = AlertDispatcher::Start(path_, settings_, Log());
    ASSERT_TRUE(first.ok()) << first.message();
    ASSERT_TRUE(receiver_.WaitForRequests(1, milliseconds(3000)));
    (*first)->Stop();
  }
  for (const AlertRecord& a : Alerts()) EXPECT_EQ(a.state, "pending") << a.id;
  receiver_.Script({}, {200});
  {
    Result<std::unique_ptr<AlertDispatcher>> second = AlertDispatcher::Start(path_, settings_, Log());
    ASSERT_TRUE(second.ok()) << second.message();
    ASSERT_TRUE(WaitFor([&] {
      for (const AlertRecord& a : Alerts()) if (a.state != "delivered") return false;
      return true;
    }, milliseconds(5000)));
    std::this_thread::sleep_for(milliseconds(300));
  }
  std::multiset<std::string> delivered;
  for (const auto& r : receiver_.Requests()) {
    if (r.answered == 200) delivered.insert(r.Header("x-sluice-alert-id"));
  }
  EXPECT_EQ(delivered.size(), 3u);
  EXPECT_EQ(std::set<std::string>(delivered.begin(), delivered.end()).size(), 3u) << "none twice";
}

TEST_F(AlertDispatcherTest, DeliverPendingAlertsReturnsByItsDeadlineLeavingTheRestPending) {
  settings_.request_timeout = milliseconds(10000);
  receiver_.Script({}, {200, "", /*hang=*/true});
  Enqueue(Event("success", ""), Routes());
  Enqueue(Event("recovery", ""), Routes());
  const auto start = std::chrono::steady_clock::now();
  DeliverAll(milliseconds(500));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1500));
  EXPECT_EQ(receiver_.Requests().size(), 1u) << "the second was not tried past the deadline";
  for (const AlertRecord& a : Alerts()) {
    EXPECT_EQ(a.state, "pending");
    EXPECT_EQ(a.attempts, 0) << "cut by our deadline, not a failed try";
  }
}

}  // namespace
}  // namespace sluice
