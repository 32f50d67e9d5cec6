// The HTTP API of the real `sluice scheduler` (docs/openapi.yaml), over real loopback HTTP:
// the bearer token, bad input, that GET never changes state, and trigger, clear, retry,
// pause, logs and the event stream end to end. What the API says is checked against the
// state database read through the test's own connection, and against files the tasks write.
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <limits>

#include "tests/http_client.h"
#include "tests/scheduler_daemon_test.h"

namespace sluice::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr const char* kToken = "test-token-8d1f";

// a -> b -> c; b fails (saying why on stderr) until the file `fixed` exists.
constexpr const char* kPipeline = R"(
dag: pipe
params: {greeting: hello}
tasks:
  - {id: a, plugin: shell, with: {command: "echo a >> ran.a; echo '{{ params.greeting }} from a'"}}
  - {id: b, plugin: shell, depends_on: a, with: {command: "echo b >> ran.b; test -f fixed || { echo 'b is not fixed yet' >&2; exit 3; }"}}
  - {id: c, plugin: shell, depends_on: b, with: {command: "echo c >> ran.c"}}
)";

class ApiTest : public SchedulerDaemonTest {
 protected:
  void SetUp() override {
    SchedulerDaemonTest::SetUp();
    ::setenv("SLUICE_API_TOKEN", kToken, 1);  // the scheduler's child inherits it
  }
  void TearDown() override {
    ::unsetenv("SLUICE_API_TOKEN");
    SchedulerDaemonTest::TearDown();
  }

  // Starts the scheduler on the pipeline (and `extra` files) and returns a client for it.
  HttpClient Start(const std::map<std::string, std::string>& extra = {}) {
    WriteFile(dir_ / "dags" / "pipe.yaml", kPipeline);
    for (const auto& [name, text] : extra) WriteFile(dir_ / "dags" / name, text);
    StartScheduler();
    const int port = HttpPort();
    EXPECT_GT(port, 0) << "the scheduler did not say where it listens";
    return HttpClient(port, kToken);
  }

  std::string Trigger(HttpClient& http, const std::string& dag, const std::string& body = "") {
    HttpReply reply = http.Post("/api/v1/dags/" + dag + "/trigger", body);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.Json().value("run_id", "");
  }

  std::string RunState(const std::string& run_id) {
    Result<std::optional<RunRecord>> run = Store().GetRun(run_id);
    return run.ok() && *run ? (*run)->state : "";
  }

  bool WaitForRunState(const std::string& run_id, const std::string& state) {
    return WaitFor([&] { return RunState(run_id) == state; }, std::chrono::seconds(20));
  }

  size_t Ran(const std::string& id) {
    const std::string text = ReadFile(dir_ / ("ran." + id));
    return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  }

  std::map<std::string, TaskInstanceRecord> Tasks(const std::string& run_id) {
    std::map<std::string, TaskInstanceRecord> out;
    Result<std::vector<TaskInstanceRecord>> tasks = Store().ListTaskInstances(run_id);
    EXPECT_TRUE(tasks.ok()) << tasks.message();
    if (tasks.ok()) {
      for (const TaskInstanceRecord& t : *tasks) out[t.task_id] = t;
    }
    return out;
  }

  // Everything in the state database, as SQL text, read by the sqlite3 shell.
  std::string DatabaseDump() {
    return CaptureCommand("sqlite3 " + ShellQuote((dir_ / "home" / "sluice.db").string()) +
                          " .dump");
  }
};

TEST_F(ApiTest, MutatingCallsWithoutTheBearerTokenAre401AndChangeNothing) {
  HttpClient http = Start();
  HttpClient anonymous(HttpPort());
  HttpClient impostor(HttpPort(), "not-the-token");

  for (HttpClient* client : {&anonymous, &impostor}) {
    for (const char* path :
         {"/api/v1/dags/pipe/trigger", "/api/v1/dags/pipe/pause", "/api/v1/dags/pipe/unpause"}) {
      HttpReply reply = client->Post(path);
      EXPECT_EQ(reply.status, 401) << path << ": " << reply.body;
      EXPECT_EQ(reply.Json()["error"]["status"], 401) << reply.body;
      EXPECT_NE(reply.Header("WWW-Authenticate").find("Bearer"), std::string::npos);
    }
  }
  EXPECT_TRUE(Runs("pipe").empty()) << "a refused trigger created a run";
  Result<std::vector<DagControlRecord>> controls = Store().ListDagControls();
  ASSERT_TRUE(controls.ok());
  for (const DagControlRecord& c : *controls) EXPECT_FALSE(c.paused) << c.dag_id;
  // The answer never echoes a token back.
  EXPECT_EQ(impostor.Post("/api/v1/dags/pipe/trigger").body.find("not-the-token"),
            std::string::npos);

  const std::string run_id = Trigger(http, "pipe");
  ASSERT_FALSE(run_id.empty());
  EXPECT_EQ(Runs("pipe").size(), 1u);
  EXPECT_EQ(Runs("pipe")[0].trigger, "manual");
}

TEST_F(ApiTest, WithoutATokenGivenTheSchedulerCreatesAnOwnerOnlyTokenFileAndKeepsItOutOfItsLog) {
  ::unsetenv("SLUICE_API_TOKEN");
  HttpClient with_unused_token = Start();  // carries kToken, which this scheduler never got
  const std::filesystem::path file = dir_ / "home" / "api-token";
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0) << "no " << file;
  EXPECT_EQ(info.st_mode & 0777, 0600) << "readable by others";
  std::string token = ReadFile(file);
  token.erase(token.find_last_not_of("\n") + 1);
  EXPECT_EQ(token.size(), 64u) << token;
  EXPECT_EQ(SchedulerLog(1).find(token), std::string::npos) << "the token is in the log";

  EXPECT_EQ(with_unused_token.Post("/api/v1/dags/pipe/pause").status, 401);
  HttpClient http(HttpPort(), token);
  EXPECT_EQ(http.Post("/api/v1/dags/pipe/pause").status, 200);
}

TEST_F(ApiTest, BadInputGetsA4xxWithAJsonErrorThatSaysWhatIsWrong) {
  HttpClient http = Start();
  const std::string run_id = Trigger(http, "pipe");
  ASSERT_TRUE(WaitForRunState(run_id, "failed"));

  struct Case {
    std::string method, path, body;
    int status;
    std::string says;  // a part of the message
  };
  const std::vector<Case> cases = {
      {"POST", "/api/v1/dags/nope/trigger", "", 404, "no DAG 'nope'"},
      {"POST", "/api/v1/dags/pipe/trigger", "{not json", 400, "not a JSON object"},
      {"POST", "/api/v1/dags/pipe/trigger", R"({"params": [1]})", 400, "must be an object"},
      {"POST", "/api/v1/dags/pipe/trigger", R"({"params": {"colour": "red"}})", 400, "colour"},
      {"POST", "/api/v1/dags/pipe/trigger", R"({"parms": {}})", 400, "unknown field 'parms'"},
      {"GET", "/api/v1/runs?limit=many", "", 400, "limit=many"},
      {"GET", "/api/v1/runs/nope", "", 404, "no run 'nope'"},
      {"GET", "/api/v1/runs/" + run_id + "/tasks/zz", "", 404, "no task 'zz'"},
      {"GET", "/api/v1/runs/" + run_id + "/tasks/b/attempts/0/log", "", 400, "attempt number"},
      {"GET", "/api/v1/runs/" + run_id + "/tasks/b/attempts/9/log", "", 404, "no attempt 9"},
      {"GET", "/api/v1/runs/" + run_id + "/tasks/b/attempts/1/log?offset=-1", "", 400, "offset"},
      {"POST", "/api/v1/runs/" + run_id + "/clear", R"({"task_ids": ["zz"]})", 400, "zz"},
      {"POST", "/api/v1/runs/" + run_id + "/clear", R"({"task_ids": []})", 400, "names no task"},
      {"POST", "/api/v1/runs/" + run_id + "/clear", R"({"task_ids": ["b"], "down": true})", 400,
       "unexpected field 'down'"},
      {"POST", "/api/v1/runs/" + run_id + "/retry", R"({"x": 1})", 400, "takes no fields"},
      {"POST", "/api/v1/runs/nope/retry", "", 404, "no run 'nope'"},
      {"GET", "/api/v1/dags/pipe/trigger", "", 405, "use POST"},
      {"DELETE", "/api/v1/dags", "", 405, "use GET"},
      {"GET", "/api/v1/nothing-here", "", 404, "no API endpoint"},
  };
  for (const Case& c : cases) {
    HttpReply reply = c.method == "POST" ? http.Post(c.path, c.body)
                      : c.method == "GET" ? http.Get(c.path)
                                          : http.Send(c.method, c.path);
    SCOPED_TRACE(c.method + " " + c.path + " " + c.body);
    EXPECT_EQ(reply.status, c.status) << reply.body;
    const json error = reply.Json();
    ASSERT_TRUE(error.is_object()) << reply.body;
    EXPECT_EQ(error["error"]["status"], c.status);
    EXPECT_NE(error["error"]["message"].get<std::string>().find(c.says), std::string::npos)
        << reply.body;
  }
  EXPECT_EQ(Runs("pipe").size(), 1u) << "a refused trigger created a run";
  EXPECT_EQ(Tasks(run_id)["b"].attempts, 1) << "a refused clear ran b again";
}

TEST_F(ApiTest, AClearOfARunningRunIs409) {
  HttpClient http = Start({{"slow.yaml", "tasks:\n  - {id: s, plugin: shell, with: {command: sleep 30}}\n"}});
  const std::string run_id = Trigger(http, "slow");
  ASSERT_TRUE(WaitForRunState(run_id, "running"));
  HttpReply reply = http.Post("/api/v1/runs/" + run_id + "/clear", R"({"task_ids": ["s"]})");
  EXPECT_EQ(reply.status, 409) << reply.body;
  EXPECT_NE(reply.Json()["error"]["message"].get<std::string>().find("running"), std::string::npos);
  EXPECT_EQ(http.Post("/api/v1/runs/" + run_id + "/retry").status, 409);
}

TEST_F(ApiTest, GetNeverChangesTheStateDatabase) {
  HttpClient http = Start({{"broken.yaml", "tasks: [\n"}});
  const std::string run_id = Trigger(http, "pipe");
  ASSERT_TRUE(WaitForRunState(run_id, "failed"));
  // The scheduler's own writes after the run ended (the failure alert) settle first: two
  // dumps 300 ms apart agree.
  std::string before = DatabaseDump();
  for (int look = 0; look < 20; ++look) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::string again = DatabaseDump();
    if (again == before) break;
    before = std::move(again);
  }
  ASSERT_NE(before.find(run_id), std::string::npos) << "the dump did not read the database";

  const std::vector<std::string> paths = {
      "/api/v1/health", "/api/v1/dags", "/api/v1/dags/pipe", "/api/v1/dags/broken",
      "/api/v1/dags/pipe/grid", "/api/v1/runs", "/api/v1/runs?dag_id=pipe&limit=3",
      "/api/v1/runs/" + run_id, "/api/v1/runs/" + run_id + "/tasks/b",
      "/api/v1/runs/" + run_id + "/tasks/b/attempts/1/log", "/api/v1/alerts", "/metrics", "/",
      "/dags/pipe",
      // GET on the mutating endpoints is refused, not obeyed.
      "/api/v1/dags/pipe/trigger", "/api/v1/dags/pipe/pause", "/api/v1/runs/" + run_id + "/clear",
      "/api/v1/runs/" + run_id + "/retry"};
  for (const std::string& path : paths) {
    HttpReply reply = http.Get(path);
    EXPECT_NE(reply.status, 0) << path;
    EXPECT_LT(reply.status, 500) << path << ": " << reply.body;
  }
  EXPECT_EQ(http.Get("/api/v1/dags/pipe/trigger").status, 405);
  const std::string events = http.Stream("/api/v1/events", [](const std::string& got) {
    return got.find("event: hello") != std::string::npos;
  });
  EXPECT_NE(events.find("event: hello"), std::string::npos) << events;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(DatabaseDump(), before) << "a GET changed the state database";
  EXPECT_EQ(Runs("pipe").size(), 1u);
  EXPECT_EQ(Ran("b"), 1u);
}

TEST_F(ApiTest, TheDagListShowsLoadedDagsTheirTasksAndBrokenFilesWithTheirErrors) {
  HttpClient http = Start({{"broken.yaml", "dag: broken\ntasks:\n  - {id: x, plugin: no.such.plugin}\n"},
                           {"daily.yaml", "schedule: \"0 6 * * *\"\ntimezone: UTC\n"
                                          "tasks:\n  - {id: t, plugin: shell, with: {command: 'true'}}\n"}});
  const json dags = http.Get("/api/v1/dags").Json()["dags"];
  std::map<std::string, json> by_id;
  for (const json& d : dags) by_id[d["dag_id"]] = d;
  ASSERT_EQ(by_id.size(), 3u) << dags.dump(2);

  EXPECT_EQ(by_id["pipe"]["valid"], true);
  EXPECT_EQ(by_id["pipe"]["task_count"], 3);
  EXPECT_EQ(by_id["pipe"]["next_run"], nullptr) << "pipe has no schedule";
  EXPECT_EQ(by_id["broken"]["valid"], false);
  ASSERT_FALSE(by_id["broken"]["errors"].empty());
  const std::string error = by_id["broken"]["errors"][0];
  EXPECT_NE(error.find("broken.yaml:3:"), std::string::npos) << "file:line of the bad task: " << error;
  EXPECT_NE(error.find("no.such.plugin"), std::string::npos) << error;

  // The next 06:00 UTC after now, computed here from the clock alone.
  const auto now = std::chrono::system_clock::now();
  const auto today = std::chrono::floor<std::chrono::days>(now);
  auto six = today + std::chrono::hours(6);
  if (six <= now) six += std::chrono::days(1);
  EXPECT_EQ(Time(by_id["daily"]["next_run"].get<std::string>()), six) << by_id["daily"].dump();

  const json pipe = http.Get("/api/v1/dags/pipe").Json();
  ASSERT_EQ(pipe["tasks"].size(), 3u) << pipe.dump(2);
  EXPECT_EQ(pipe["tasks"][0]["task_id"], "a");
  EXPECT_EQ(pipe["tasks"][1]["depends_on"], json::array({"a"}));
  EXPECT_EQ(pipe["tasks"][2]["depends_on"], json::array({"b"}));
  EXPECT_EQ(pipe["tasks"][1]["plugin"], "shell");
  EXPECT_EQ(pipe["params"], json::parse(R"([{"name": "greeting", "default": "hello"}])"))
      << "as kPipeline declares it";
  EXPECT_EQ(http.Get("/api/v1/dags/broken").Json()["valid"], false);
  EXPECT_EQ(http.Get("/api/v1/dags/broken").Json()["params"], json::array());
}

TEST_F(ApiTest, TriggerThenClearWithDownstreamRerunsTheFailedTaskAndWhatFollows) {
  HttpClient http = Start();
  const std::string run_id = Trigger(http, "pipe", R"({"params": {"greeting": "ola"}})");
  ASSERT_TRUE(WaitForRunState(run_id, "failed")) << RunState(run_id);
  auto tasks = Tasks(run_id);
  EXPECT_EQ(tasks["b"].state, "failed");
  EXPECT_EQ(tasks["c"].state, "upstream_failed");

  // The failed attempt's log carries what the task printed, and a's the rendered param.
  HttpReply log = http.Get("/api/v1/runs/" + run_id + "/tasks/b/attempts/1/log");
  EXPECT_EQ(log.status, 200);
  EXPECT_NE(log.body.find("b is not fixed yet"), std::string::npos) << log.body;
  EXPECT_EQ(log.Header("X-Sluice-Log-Complete"), "true");
  EXPECT_EQ(log.Header("X-Sluice-Log-Next-Offset"), std::to_string(log.body.size()));
  const std::string a_log = http.Get("/api/v1/runs/" + run_id + "/tasks/a/attempts/1/log").body;
  EXPECT_NE(a_log.find("ola from a"), std::string::npos) << a_log;
  const std::string tail =
      http.Get("/api/v1/runs/" + run_id + "/tasks/b/attempts/1/log?offset=10").body;
  EXPECT_EQ(tail, log.body.substr(10)) << "offset reads from that byte on";

  const json grid = http.Get("/api/v1/dags/pipe/grid").Json();
  ASSERT_EQ(grid["runs"].size(), 1u) << grid.dump(2);
  EXPECT_EQ(grid["tasks"], json::array({"a", "b", "c"}));
  EXPECT_EQ(grid["runs"][0]["tasks"]["b"]["state"], "failed");
  EXPECT_EQ(grid["runs"][0]["tasks"]["c"]["state"], "upstream_failed");

  WriteFile(dir_ / "fixed", "");
  HttpReply cleared =
      http.Post("/api/v1/runs/" + run_id + "/clear", R"({"task_ids": ["b"], "downstream": true})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(cleared.Json()["cleared"], json::array({"b", "c"}));
  ASSERT_TRUE(WaitForRunState(run_id, "success")) << RunState(run_id);
  tasks = Tasks(run_id);
  EXPECT_EQ(tasks["b"].attempts, 2);
  EXPECT_EQ(tasks["c"].attempts, 1);
  EXPECT_EQ(Ran("a"), 1u) << "a was not cleared";
  EXPECT_EQ(Ran("b"), 2u);
  EXPECT_EQ(Ran("c"), 1u);
  const json b = http.Get("/api/v1/runs/" + run_id + "/tasks/b").Json();
  ASSERT_EQ(b["attempts"].size(), 2u) << b.dump(2);
  EXPECT_EQ(b["attempts"][0]["state"], "failed");
  EXPECT_EQ(b["attempts"][0]["exit_code"], 3);
  EXPECT_EQ(b["attempts"][1]["state"], "success");
  EXPECT_FALSE(b["attempts"][0].contains("log_path")) << "no server paths in the API";
}

TEST_F(ApiTest, RetryRerunsWhatFailedAndPauseStopsTheScheduleUntilUnpaused) {
  HttpClient http = Start();
  const std::string run_id = Trigger(http, "pipe");
  ASSERT_TRUE(WaitForRunState(run_id, "failed"));
  WriteFile(dir_ / "fixed", "");
  HttpReply retried = http.Post("/api/v1/runs/" + run_id + "/retry");
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(retried.Json()["cleared"], json::array({"b", "c"}));
  ASSERT_TRUE(WaitForRunState(run_id, "success"));
  EXPECT_EQ(http.Post("/api/v1/runs/" + run_id + "/retry").status, 409) << "nothing left to retry";

  HttpReply paused = http.Post("/api/v1/dags/pipe/pause");
  ASSERT_EQ(paused.status, 200) << paused.body;
  auto is_paused = [&] {
    Result<std::vector<DagControlRecord>> controls = Store().ListDagControls();
    for (const DagControlRecord& c : controls.ok() ? *controls : std::vector<DagControlRecord>()) {
      if (c.dag_id == "pipe") return c.paused;
    }
    return false;
  };
  EXPECT_TRUE(is_paused());
  EXPECT_EQ(http.Get("/api/v1/dags/pipe").Json()["paused"], true);
  // A run triggered while paused waits, as with `sluice dags trigger`, and the answer says so.
  HttpReply triggered = http.Post("/api/v1/dags/pipe/trigger");
  ASSERT_EQ(triggered.status, 201) << triggered.body;
  EXPECT_EQ(triggered.Json()["paused"], true);
  const std::string waiting = triggered.Json()["run_id"];
  CommandResult cli = Sluice("dags trigger pipe");
  EXPECT_NE(cli.err.find("pipe is paused: the run waits until `sluice dags unpause pipe`"),
            std::string::npos)
      << cli.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(RunState(waiting), "queued");
  ASSERT_EQ(http.Post("/api/v1/dags/pipe/unpause").status, 200);
  EXPECT_FALSE(is_paused());
  EXPECT_TRUE(WaitForRunState(waiting, "success"));
  HttpReply unpaused_trigger = http.Post("/api/v1/dags/pipe/trigger");
  EXPECT_EQ(unpaused_trigger.Json()["paused"], false) << unpaused_trigger.body;
}

TEST_F(ApiTest, BackfillQueuesOneRunPerFireOfTheRangeAllOrNothing) {
  HttpClient http = Start({{"daily.yaml", "schedule: \"0 6 * * *\"\ntimezone: UTC\n"
                                          "tasks:\n  - {id: t, plugin: shell, with: {command: 'true'}}\n"}});
  HttpReply reply = http.Post("/api/v1/dags/daily/backfill",
                              R"({"from": "2026-01-01", "to": "2026-01-03"})");
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.Json()["run_ids"].size(), 3u) << reply.body;
  ASSERT_TRUE(WaitFor([&] { return CountRuns("daily", "success") == 3; }, seconds(20)));
  std::vector<std::string> dates;
  for (const RunRecord& r : Runs("daily")) {
    EXPECT_EQ(r.trigger, "backfill");
    dates.push_back(r.logical_date.substr(0, 19));
  }
  // 06:00 UTC of each day of the range, oldest first.
  EXPECT_EQ(dates, (std::vector<std::string>{"2026-01-01T06:00:00", "2026-01-02T06:00:00",
                                             "2026-01-03T06:00:00"}));

  const std::vector<std::pair<std::string, std::string>> refused = {
      {R"({"from": "2026-01-05", "to": "2026-01-04"})", "swap them"},
      {R"({"from": "2026-01-01"})", "a backfill needs"},
      {R"({"from": "yesterday", "to": "2026-01-04"})", "--from"},
      {R"({"from": "2026-01-01", "to": "2026-12-31", "max_runs": 5})", "more than 5"},
  };
  for (const auto& [body, says] : refused) {
    HttpReply bad = http.Post("/api/v1/dags/daily/backfill", body);
    EXPECT_EQ(bad.status, 400) << body << ": " << bad.body;
    EXPECT_NE(bad.body.find(says), std::string::npos) << bad.body;
  }
  EXPECT_EQ(http.Post("/api/v1/dags/pipe/backfill", R"({"from": "2026-01-01", "to": "2026-01-02"})")
                .status,
            400)
      << "pipe has no schedule";
  EXPECT_EQ(HttpClient(HttpPort()).Post("/api/v1/dags/daily/backfill",
                                        R"({"from": "2026-02-01", "to": "2026-02-02"})").status,
            401);
  EXPECT_EQ(Runs("daily").size(), 3u) << "a refused backfill queued nothing";
}

TEST_F(ApiTest, AFollowedLogStreamsAsTheAttemptWritesAndEndsWithIt) {
  HttpClient http = Start({{"talk.yaml",
                            "tasks:\n  - {id: t, plugin: shell, with: {command: "
                            "\"echo first; sleep 1; echo second; sleep 1; echo last\"}}\n"}});
  const std::string run_id = Trigger(http, "talk");
  ASSERT_TRUE(WaitFor([&] { return !Attempts(run_id).empty(); }, std::chrono::seconds(10)));
  const auto start = std::chrono::steady_clock::now();
  bool stopped_early = false;
  std::optional<std::chrono::steady_clock::time_point> first_seen, last_seen;
  const std::string body = http.Stream(
      "/api/v1/runs/" + run_id + "/tasks/t/attempts/1/log?follow=true",
      [&](const std::string& got) {
        const auto now = std::chrono::steady_clock::now();
        if (!first_seen && got.find("first") != std::string::npos) first_seen = now;
        if (!last_seen && got.find("last") != std::string::npos) last_seen = now;
        stopped_early = now - start > std::chrono::seconds(20);
        return stopped_early;
      });
  EXPECT_FALSE(stopped_early) << "the stream did not end with the attempt";
  EXPECT_NE(body.find("first"), std::string::npos) << body;
  EXPECT_NE(body.find("last"), std::string::npos) << body;
  EXPECT_LT(body.find("first"), body.find("second"));
  ASSERT_TRUE(first_seen && last_seen);
  // Each line arrived as it was written (not held back by compression or buffering): the
  // task sleeps 2 s between them.
  EXPECT_GT(std::chrono::duration<double>(*last_seen - *first_seen).count(), 1.5);
  EXPECT_EQ(RunState(run_id), "success");
}

TEST_F(ApiTest, ADagsSourceIsItsFileAndABrokenOneComesWithItsErrorsLines) {
  const std::string broken = "dag: broken\ntasks:\n  - {id: x, plugin: no.such.plugin}\n";
  // Over the 1 MiB the endpoint sends: a long comment.
  const std::string big = "dag: big\n# " + std::string(1100 * 1024, 'x') +
                          "\ntasks:\n  - {id: t, plugin: shell, with: {command: 'true'}}\n";
  HttpClient http = Start({{"broken.yaml", broken}, {"big.yaml", big}});
  HttpReply pipe = http.Get("/api/v1/dags/pipe/source");
  ASSERT_EQ(pipe.status, 200) << pipe.body;
  EXPECT_EQ(pipe.Json()["source"], ReadFile(dir_ / "dags" / "pipe.yaml"));
  EXPECT_EQ(pipe.Json()["valid"], true);
  EXPECT_TRUE(pipe.Json()["errors"].empty());
  EXPECT_EQ(pipe.Json()["truncated"], false);

  HttpReply bad = http.Get("/api/v1/dags/broken/source");
  ASSERT_EQ(bad.status, 200) << bad.body;
  EXPECT_EQ(bad.Json()["source"], broken);
  EXPECT_EQ(bad.Json()["valid"], false);
  ASSERT_EQ(bad.Json()["errors"].size(), 1u) << bad.body;
  const std::string error = bad.Json()["errors"][0];
  EXPECT_EQ(error.rfind(bad.Json()["file"].get<std::string>() + ":3:", 0), 0u) << error;
  EXPECT_NE(error.find("no.such.plugin"), std::string::npos) << error;

  const json cut = http.Get("/api/v1/dags/big/source").Json();
  EXPECT_EQ(cut["truncated"], true);
  EXPECT_EQ(cut["source"], big.substr(0, 1024 * 1024)) << "the file's first MiB, as it is";

  // Only the scheduler's own DAG files are read: a path is not a DAG id.
  for (const char* path : {"/api/v1/dags/nope/source", "/api/v1/dags/..%2F..%2Fetc%2Fpasswd/source",
                           "/api/v1/dags/%2Fetc%2Fpasswd/source"}) {
    HttpReply reply = http.Get(path);
    EXPECT_EQ(reply.status, 404) << path << ": " << reply.body;
    EXPECT_EQ(reply.body.find("root:"), std::string::npos) << path;
  }
}

TEST_F(ApiTest, ATasksOutputShowsItsSchemaAndFirstRowsAsTheInputHadThem) {
  WriteFile(dir_ / "people.csv", "id,name,balance\n1,ana,10.50\n2,,-3.25\n3,caio,0.00\n");
  HttpClient http = Start({{"people.yaml", R"yaml(
tasks:
  - id: load
    plugin: extract.csv
    with:
      path: people.csv
      header: true
      columns: [{name: id, type: int64}, {name: name, type: string}, {name: balance, type: "decimal(8,2)"}]
  - {id: note, plugin: shell, depends_on: load, with: {command: "true"}}
)yaml"}});
  const std::string run_id = Trigger(http, "people");
  ASSERT_TRUE(WaitForRunState(run_id, "success"));

  HttpReply reply = http.Get("/api/v1/runs/" + run_id + "/tasks/load/output");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json out = reply.Json();
  EXPECT_EQ(out["rows"], 3);
  ASSERT_EQ(out["columns"].size(), 3u);
  EXPECT_EQ(out["columns"][0]["name"], "id");
  EXPECT_EQ(out["columns"][2]["type"], "decimal(8,2)");
  EXPECT_EQ(out["columns"][1]["nulls"], 1) << "the empty name is null";
  // The rows of people.csv, written above, with their exact decimals.
  EXPECT_EQ(out["head"], json::parse(R"([[1, "ana", "10.50"], [2, null, "-3.25"], [3, "caio", "0.00"]])"));
  EXPECT_EQ(http.Get("/api/v1/runs/" + run_id + "/tasks/load/output?limit=2").Json()["head"].size(), 2u);

  HttpReply shell = http.Get("/api/v1/runs/" + run_id + "/tasks/note/output");
  EXPECT_EQ(shell.status, 404) << shell.body;
  EXPECT_NE(shell.body.find("has no output"), std::string::npos) << shell.body;
  EXPECT_EQ(http.Get("/api/v1/runs/" + run_id + "/tasks/nope/output").status, 404);
  EXPECT_EQ(http.Get("/api/v1/runs/" + run_id + "/tasks/..%2F..%2Fsluice.db/output").status, 404);
  EXPECT_EQ(http.Get("/api/v1/runs/" + run_id + "/tasks/load/output?limit=0").status, 400);
}

TEST_F(ApiTest, TheAddressAndTheTokenFileMayComeFromSluiceYamlAndTheFlagsWin) {
  WriteFile(dir_ / "dags" / "pipe.yaml", kPipeline);
  WriteFile(dir_ / "home" / "team-token", "from-the-file\n");
  WriteFile(dir_ / "flag-token", "from-the-flag\n");

  // The flags win over the file: HTTP is served although sluice.yaml says off.
  WriteFile(dir_ / "home" / "sluice.yaml", "listen: \"off\"\napi_token_file: team-token\n");
  const pid_t flagged = StartScheduler("--api-token-file flag-token");  // and --listen 127.0.0.1:0
  int port = HttpPort();
  ASSERT_GT(port, 0) << "--listen did not override `listen: off`";
  EXPECT_EQ(HttpClient(port, "from-the-file").Post("/api/v1/dags/pipe/pause").status, 401);
  EXPECT_EQ(HttpClient(port, "from-the-flag").Post("/api/v1/dags/pipe/pause").status, 200);
  EXPECT_EQ(StopScheduler(flagged), 0);

  // Without the flags, the file's address and token file (relative to the home) are used; its
  // token wins over $SLUICE_API_TOKEN, which the fixture sets. An empty --listen is no flag.
  WriteFile(dir_ / "home" / "sluice.yaml", "listen: 127.0.0.1:0\napi_token_file: team-token\n");
  StartScheduler("--listen ''");
  port = HttpPort();
  ASSERT_GT(port, 0) << "the scheduler did not listen where sluice.yaml says";
  EXPECT_EQ(HttpClient(port, kToken).Post("/api/v1/dags/pipe/unpause").status, 401);
  EXPECT_EQ(HttpClient(port, "from-the-file").Post("/api/v1/dags/pipe/unpause").status, 200);

  // A bad --listen is refused before anything starts, saying what to write.
  CommandResult bad = Sluice("scheduler --listen localhost");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--listen 'localhost' is not HOST:PORT: it has no port"), std::string::npos)
      << bad.err;
  EXPECT_NE(bad.err.find("nothing was started"), std::string::npos) << bad.err;
}

TEST_F(ApiTest, TheEventStreamTellsOfAChangeMadeElsewhere) {
  HttpClient http = Start();
  HttpClient listener(HttpPort());
  // The change is made only once the stream has said hello and the changes of the
  // scheduler's start (which may be told too: a needless refetch is allowed) are through, so
  // the test waits for events, not for a guessed time. Gives up after 20 s (at a heartbeat),
  // so that a missing event fails instead of hanging.
  std::atomic<bool> greeted{false};
  std::atomic<size_t> changes{0};
  std::atomic<size_t> wanted{std::numeric_limits<size_t>::max()};
  const auto give_up = std::chrono::steady_clock::now() + seconds(20);
  auto received = std::async(std::launch::async, [&] {
    return listener.Stream("/api/v1/events", [&](const std::string& got) {
      greeted = got.find("event: hello") != std::string::npos;
      size_t count = 0;
      for (size_t at = got.find("event: change"); at != std::string::npos;
           at = got.find("event: change", at + 1)) {
        ++count;
      }
      changes = count;
      return count >= wanted.load() || std::chrono::steady_clock::now() > give_up;
    });
  });
  ASSERT_TRUE(WaitFor([&] { return greeted.load(); }, seconds(20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  wanted = changes.load() + 1;
  // A CLI verb in another process: the API sees it through the database.
  ASSERT_EQ(Sluice("dags pause pipe").exit_code, 0);
  const std::string events = received.get();
  EXPECT_NE(events.find("event: hello"), std::string::npos) << events;
  EXPECT_GE(changes.load(), wanted.load()) << events;
}

}  // namespace
}  // namespace sluice::testing
