// /metrics of the real `sluice scheduler`, scraped by a real Prometheus (Debian's package) on
// loopback with the scrape job of ops/prometheus/prometheus.yml. The values Prometheus
// stores are checked against the state database, read with the sqlite3 shell (not through
// sluice's own code); the scrape passes `promtool check metrics`; and every query of the
// Grafana dashboard (ops/grafana/sluice-dashboard.json) is valid PromQL naming only metrics the
// scrape holds, so the dashboard cannot drift from the code.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <functional>
#include <regex>
#include <set>
#include <utility>

#include "tests/http_client.h"
#include "tests/scheduler_daemon_test.h"
#include "tests/webhook_receiver.h"

namespace sluice::testing {
namespace {

using nlohmann::json;

constexpr const char* kPrometheus = "/usr/bin/prometheus";
constexpr const char* kPromtool = "/usr/bin/promtool";

std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

// The names of the samples in an exposition ("name{...} value" or "name value").
std::set<std::string> SampleNames(const std::string& exposition) {
  std::set<std::string> names;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    names.insert(line.substr(0, line.find_first_of("{ ")));
  }
  return names;
}

// Every PromQL expression of the dashboard's panels (rows included), as written.
std::vector<std::string> DashboardExpressions(const json& dashboard) {
  std::vector<std::string> out;
  std::function<void(const json&)> walk = [&](const json& panels) {
    for (const json& panel : panels) {
      for (const json& target : panel.value("targets", json::array())) {
        out.push_back(target.at("expr").get<std::string>());
      }
      walk(panel.value("panels", json::array()));
    }
  };
  walk(dashboard.at("panels"));
  return out;
}

class PrometheusScrapeTest : public SchedulerDaemonTest {
 protected:
  void SetUp() override {
    SchedulerDaemonTest::SetUp();
    if (::access(kPrometheus, X_OK) != 0 || ::access(kPromtool, X_OK) != 0) {
      GTEST_SKIP() << kPrometheus << " or " << kPromtool
                   << " is missing; ops/dev/install-deps.sh installs Debian's prometheus";
    }
    ::setenv("SLUICE_TEST_HOOK", receiver_.Url("/hook").c_str(), 1);
    WriteFile(dir_ / "home" / "sluice.yaml",
              "alerts:\n  - webhook: \"${SLUICE_TEST_HOOK}\"\n    on: [failure, success]\n");
  }
  void TearDown() override {
    StopPrometheus();
    ::unsetenv("SLUICE_TEST_HOOK");
    if (HasFailure())
      std::cerr << "---- prometheus log ----\n" << ReadFile(dir_ / "prometheus.log");
    SchedulerDaemonTest::TearDown();
  }

  /// Starts Prometheus on a free loopback port with ops/prometheus/prometheus.yml, pointed at
  /// `sluice_port` and scraping every second, its data in the test's folder.
  void StartPrometheus(int sluice_port) {
    std::string config =
        ReadFile(std::string(SLUICE_SOURCE_DIR) + "/ops/prometheus/prometheus.yml");
    for (const auto& [from, to] :
         {std::pair<std::string, std::string>{
              "targets: [\"127.0.0.1:8080\"]",
              "targets: [\"127.0.0.1:" + std::to_string(sluice_port) + "\"]"},
          {"scrape_interval: 15s", "scrape_interval: 1s"}}) {
      const size_t at = config.find(from);
      ASSERT_NE(at, std::string::npos) << "ops/prometheus/prometheus.yml no longer says " << from;
      config.replace(at, from.size(), to);
    }
    WriteFile(dir_ / "prometheus.yml", config);
    prometheus_port_ = WebhookReceiver::ClosedPort();
    const std::string command =
        std::string("exec ") + kPrometheus + " --config.file=prometheus.yml" +
        " --storage.tsdb.path=prometheus-data --web.listen-address=127.0.0.1:" +
        std::to_string(prometheus_port_) + " >prometheus.log 2>&1";
    prometheus_ = ::fork();
    if (prometheus_ == 0) {
      if (::chdir(dir_.c_str()) != 0) _exit(127);
      ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    ASSERT_GT(prometheus_, 0);
    HttpClient http(prometheus_port_);
    ASSERT_TRUE(
        WaitFor([&] { return http.Get("/-/ready").status == 200; }, std::chrono::seconds(30)))
        << "Prometheus did not start";
  }

  void StopPrometheus() {
    if (prometheus_ <= 0) return;
    ::kill(prometheus_, SIGTERM);
    const bool gone =
        WaitFor([&] { return ::waitpid(prometheus_, nullptr, WNOHANG) == prometheus_; },
                std::chrono::seconds(10));
    if (!gone) {
      ::kill(prometheus_, SIGKILL);
      ::waitpid(prometheus_, nullptr, 0);
    }
    prometheus_ = 0;
  }

  /// Prometheus's answer to an instant query; `status` is "success" for valid PromQL.
  json Query(const std::string& promql) {
    HttpReply reply = HttpClient(prometheus_port_).Get("/api/v1/query?query=" + UrlEncode(promql));
    json answer = reply.Json();
    EXPECT_TRUE(answer.is_object()) << promql << ": HTTP " << reply.status << " " << reply.body;
    return answer.is_object() ? answer : json::object();
  }

  /// The value of the one series `promql` selects; NaN when it selects none or several.
  double Value(const std::string& promql) {
    json answer = Query(promql);
    const json& result = answer["data"]["result"];
    EXPECT_EQ(answer.value("status", ""), "success") << promql << ": " << answer.dump();
    if (!result.is_array() || result.size() != 1) {
      ADD_FAILURE() << promql << " selects " << result.size() << " series: " << answer.dump();
      return std::nan("");
    }
    return std::stod(result[0]["value"][1].get<std::string>());
  }

  /// A count computed by the sqlite3 shell from the scheduler's database.
  double Sql(const std::string& query) {
    const std::string out = CaptureCommand(
        "sqlite3 " + ShellQuote((dir_ / "home" / "sluice.db").string()) + " " + ShellQuote(query));
    EXPECT_FALSE(out.empty()) << query;
    return out.empty() ? std::nan("") : std::stod(out);
  }

  WebhookReceiver receiver_;
  pid_t prometheus_ = 0;
  int prometheus_port_ = 0;
};

TEST_F(PrometheusScrapeTest, PrometheusScrapesWhatTheStateDatabaseHoldsAndTheDashboardQueriesIt) {
  WriteFile(dir_ / "dags" / "ok.yaml", R"(
dag: ok
tasks:
  - {id: a, plugin: shell, with: {command: "true"}}
  - {id: b, plugin: shell, depends_on: a, with: {command: "sleep 0.05"}}
)");
  WriteFile(dir_ / "dags" / "bad.yaml", R"(
dag: bad
tasks:
  - {id: boom, plugin: shell, with: {command: "echo no >&2; exit 3"}}
  - {id: after, plugin: shell, depends_on: boom, with: {command: "true"}}
)");
  WriteFile(dir_ / "dags" / "idle.yaml", R"(
dag: idle
tasks:
  - {id: x, plugin: shell, with: {command: "true"}}
)");
  WriteFile(dir_ / "dags" / "broken.yaml", "dag: broken\ntasks: [\n");
  // The first alert delivered is refused for good (404), the other one delivered (200).
  receiver_.Script({WebhookAnswer(404)});

  StartScheduler();
  const int sluice_port = HttpPort();
  ASSERT_GT(sluice_port, 0) << "the scheduler did not say where it listens";
  for (const char* args :
       {"dags trigger ok", "dags trigger ok", "dags trigger bad", "dags pause idle"}) {
    CommandResult r = Sluice(args);
    ASSERT_EQ(r.exit_code, 0) << args << ": " << r.err;
  }
  ASSERT_TRUE(
      WaitFor([&] { return CountRuns("ok", "success") == 2 && CountRuns("bad", "failed") == 1; },
              std::chrono::seconds(30)));
  // Two success alerts and a failure alert, each delivered or failed for good.
  ASSERT_TRUE(WaitFor(
      [&] {
        return Sql("SELECT count(*) FROM alerts WHERE state = 'pending'") == 0 &&
               Sql("SELECT count(*) FROM alerts") >= 3;
      },
      std::chrono::seconds(30)))
      << CaptureCommand("sqlite3 " + (dir_ / "home" / "sluice.db").string() +
                        " 'SELECT id, kind, state FROM alerts'");

  // The scrape itself: valid exposition, by Prometheus's own checker.
  HttpClient sluice(sluice_port);
  HttpReply scrape = sluice.Get("/metrics");
  ASSERT_EQ(scrape.status, 200) << scrape.body;
  EXPECT_NE(scrape.Header("Content-Type").find("version=0.0.4"), std::string::npos)
      << scrape.Header("Content-Type");
  WriteFile(dir_ / "scrape.txt", scrape.body);
  const CommandResult check = Shell(std::string(kPromtool) + " check metrics < scrape.txt");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out + check.err, "") << "promtool reports problems";
  const std::set<std::string> names = SampleNames(scrape.body);
  for (const std::string& name : names) EXPECT_EQ(name.rfind("sluice_", 0), 0u) << name;

  StartPrometheus(sluice_port);
  HttpClient prometheus(prometheus_port_);
  ASSERT_TRUE(WaitFor(
      [&] {
        const json targets = prometheus.Get("/api/v1/targets").Json();
        if (!targets.is_object()) return false;
        for (const json& t : targets["data"]["activeTargets"]) {
          if (t.value("health", "") == "up") return true;
        }
        return false;
      },
      std::chrono::seconds(30)))
      << prometheus.Get("/api/v1/targets").body;
  // The target is up once a scrape has been stored; wait for the series too.
  ASSERT_TRUE(WaitFor([&] { return Query("sluice_runs")["data"]["result"].size() >= 4; },
                      std::chrono::seconds(10)));

  // Counted from the database at the scrape: compared with the database's own counts.
  for (const char* state : {"success", "failed", "queued", "running"}) {
    EXPECT_EQ(Value(std::string("sluice_runs{state=\"") + state + "\"}"),
              Sql(std::string("SELECT count(*) FROM runs WHERE state = '") + state + "'"))
        << state;
  }
  EXPECT_EQ(Value("sluice_runs{state=\"success\"}"), 2);
  for (const char* state : {"success", "failed", "upstream_failed", "pending"}) {
    EXPECT_EQ(Value(std::string("sluice_task_instances{state=\"") + state + "\"}"),
              Sql(std::string("SELECT count(*) FROM task_instances WHERE state = '") + state + "'"))
        << state;
  }
  for (const char* outcome : {"delivered", "failed"}) {
    const double n =
        Value(std::string("sluice_alert_deliveries_total{outcome=\"") + outcome + "\"}");
    EXPECT_EQ(n, Sql(std::string("SELECT count(*) FROM alerts WHERE state = '") + outcome + "'"))
        << outcome;
    EXPECT_GE(n, 1) << outcome;
  }
  EXPECT_EQ(Value("sluice_alerts_pending"), 0);
  EXPECT_EQ(Value("sluice_dag_files"), Sql("SELECT count(*) FROM dag_files"));
  EXPECT_EQ(Value("sluice_dag_files"), 4);
  EXPECT_EQ(Value("sluice_dag_parse_errors"),
            Sql("SELECT count(*) FROM dag_files WHERE error <> ''"));
  EXPECT_EQ(Value("sluice_dag_parse_errors"), 1);
  EXPECT_EQ(Value("sluice_dags_paused"), 1);

  // Kept by the scheduler: every attempt in the database was started and ended by it.
  EXPECT_EQ(Value("sluice_attempts_started_total"), Sql("SELECT count(*) FROM attempts"));
  EXPECT_EQ(Value("sluice_attempts_finished_total{state=\"success\"}"),
            Sql("SELECT count(*) FROM attempts WHERE state = 'success'"));
  EXPECT_EQ(Value("sluice_attempts_finished_total{state=\"failed\"}"),
            Sql("SELECT count(*) FROM attempts WHERE state = 'failed'"));
  EXPECT_EQ(Value("sluice_runs_finished_total{dag=\"ok\",state=\"success\"}"), 2);
  EXPECT_EQ(Value("sluice_runs_finished_total{dag=\"bad\",state=\"failed\"}"), 1);
  EXPECT_EQ(Value("sluice_task_duration_seconds_count{dag=\"ok\",task=\"b\"}"), 2);
  EXPECT_GE(Value("sluice_task_duration_seconds_sum{dag=\"ok\",task=\"b\"}"), 2 * 0.05);
  EXPECT_EQ(Value("sluice_task_duration_seconds_bucket{dag=\"ok\",task=\"b\",le=\"+Inf\"}"), 2);
  EXPECT_EQ(Value("sluice_running_attempts"), 0);
  EXPECT_EQ(Value("sluice_queued_tasks"), 0);
  EXPECT_EQ(Value("sluice_queued_runs"), 0);
  EXPECT_EQ(Value("up{job=\"sluice\"}"), 1);

  // The dashboard: every query valid, every sluice_* name it uses in the scrape.
  const json dashboard =
      json::parse(ReadFile(std::string(SLUICE_SOURCE_DIR) + "/ops/grafana/sluice-dashboard.json"));
  std::vector<std::string> expressions = DashboardExpressions(dashboard);
  ASSERT_GE(expressions.size(), 15u);
  for (const json& variable : dashboard["templating"]["list"]) {
    expressions.push_back(variable.value("definition", ""));  // label_values(METRIC, label)
  }
  std::set<std::string> referenced;
  const std::regex metric_name(R"(\bsluice_[a-z0-9_]+)");
  for (const std::string& expr : expressions) {
    for (auto it = std::sregex_iterator(expr.begin(), expr.end(), metric_name);
         it != std::sregex_iterator(); ++it) {
      referenced.insert(it->str());
    }
    if (expr.rfind("label_values(", 0) == 0) continue;  // Grafana's, not PromQL
    std::string promql = std::regex_replace(expr, std::regex(R"(\$__rate_interval)"), "1m");
    promql = std::regex_replace(promql, std::regex(R"(\$dag)"), ".*");
    ASSERT_EQ(promql.find('$'), std::string::npos)
        << "a dashboard variable the test does not know: " << expr;
    const json answer = Query(promql);
    EXPECT_EQ(answer.value("status", ""), "success") << promql << "\n" << answer.dump();
  }
  for (const std::string& name : referenced) {
    EXPECT_TRUE(names.count(name) == 1)
        << "the dashboard queries " << name << ", which /metrics does not export";
  }
  // And the other way round: every family the scrape exports has a panel.
  for (const std::string& name : names) {
    const std::string family = std::regex_replace(name, std::regex("_(bucket|sum|count)$"), "");
    bool shown = false;
    for (const char* suffix : {"", "_bucket", "_sum", "_count"}) {
      shown = shown || referenced.count(family + suffix) == 1;
    }
    EXPECT_TRUE(shown) << name << " has no panel in ops/grafana/sluice-dashboard.json";
  }
}

}  // namespace
}  // namespace sluice::testing
