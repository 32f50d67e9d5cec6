// Manual re-runs end to end: `sluice tasks clear`, `sluice runs retry`, `sluice runs resume`
// and `sluice tasks logs --follow`, with and without a running scheduler. Each shell task
// appends to a file of its own when it runs, so what ran is seen apart from sluice's records.
#include <signal.h>

#include <algorithm>
#include <map>

#include "tests/http_client.h"
#include "tests/scheduler_daemon_test.h"

namespace sluice::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;


// a -> b -> c, a -> d, e alone; b fails until the file `fixed` exists; c exports a's dataset.
constexpr const char* kPipeline = R"(
tasks:
  - id: a
    plugin: extract.csv
    with: {path: input.csv, header: true, columns: [{name: id, type: int64}, {name: name, type: string}]}
  - {id: b, plugin: shell, depends_on: a, with: {command: "echo b >> ran.b; test -f fixed"}}
  - id: c
    plugin: export.csv
    depends_on: [a, b]
    with: {path: out.csv, input: a, header: true}
  - {id: d, plugin: shell, depends_on: a, with: {command: "echo d >> ran.d"}}
  - {id: e, plugin: shell, with: {command: "echo e >> ran.e"}}
)";

class RerunTest : public SchedulerDaemonTest {
 protected:
  void WritePipeline() {
    WriteFile(dir_ / "dags" / "pipe.yaml", kPipeline);
    WriteFile(dir_ / "input.csv", "id,name\n1,ana\n2,bia\n3,caio\n");
  }
  // How many times the shell task `id` ran, from its own file.
  size_t Ran(const std::string& id) {
    const std::string text = ReadFile(dir_ / ("ran." + id));
    return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  }
  json Run(const std::string& run_id) { return Json("runs show " + run_id + " --json"); }
};

TEST_F(RerunTest, ClearWithDownstreamRerunsExactlyThoseTasksAndReusesUpstreamOutputs) {
  WritePipeline();
  ASSERT_EQ(Sluice("run pipe").exit_code, 1);
  const std::string run_id = OnlyRunId();
  EXPECT_EQ(TasksById(Run(run_id))["c"]["state"], "upstream_failed");

  WriteFile(dir_ / "fixed", "");
  CommandResult cleared = Sluice("tasks clear " + run_id + " b --downstream");
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_NE(cleared.out.find("cleared 2 tasks of run " + run_id + ": b, c"), std::string::npos)
      << cleared.out;
  EXPECT_NE(cleared.out.find("sluice runs resume " + run_id), std::string::npos) << cleared.out;
  EXPECT_EQ(Run(run_id)["state"], "queued");

  CommandResult resumed = Sluice("runs resume " + run_id);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  const json run = Run(run_id);
  EXPECT_EQ(run["state"], "success");
  auto tasks = TasksById(run);
  EXPECT_EQ(Ran("b"), 2u);
  EXPECT_EQ(Ran("d"), 1u) << "d was not cleared";
  EXPECT_EQ(Ran("e"), 1u) << "e was not cleared";
  EXPECT_EQ(tasks["a"]["attempts"].size(), 1u) << "a's output was reused, not extracted again";
  ASSERT_EQ(tasks["b"]["attempts"].size(), 2u) << "the failed attempt is kept";
  EXPECT_EQ(tasks["b"]["attempts"][0]["state"], "failed");
  EXPECT_EQ(tasks["b"]["attempts"][1]["attempt"], 2);
  EXPECT_EQ(tasks["b"]["attempts"][1]["state"], "success");
  EXPECT_EQ(tasks["c"]["attempts"].size(), 1u);
  EXPECT_EQ(ReadFile(dir_ / "out.csv"), "id,name\n1,ana\n2,bia\n3,caio\n")
      << "c exported a's dataset from the run's workspace";
}

TEST_F(RerunTest, UpstreamClearsTheTasksBeforeAndAnUnknownTaskIsNamed) {
  WritePipeline();
  WriteFile(dir_ / "fixed", "");
  ASSERT_EQ(Sluice("run pipe").exit_code, 0);
  const std::string run_id = OnlyRunId();
  CommandResult cleared = Sluice("tasks clear " + run_id + " c --upstream");
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_NE(cleared.out.find(": a, b, c\n"), std::string::npos) << cleared.out;
  CommandResult typo = Sluice("tasks clear " + run_id + " bb");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("DAG pipe has no task 'bb'; did you mean 'b'?"), std::string::npos)
      << typo.err;
}

TEST_F(RerunTest, RunsRetryQueuesFailedAndUpstreamFailedTasksOnly) {
  WritePipeline();
  ASSERT_EQ(Sluice("run pipe").exit_code, 1);
  const std::string run_id = OnlyRunId();
  WriteFile(dir_ / "fixed", "");
  CommandResult retried = Sluice("runs retry " + run_id);
  ASSERT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_NE(retried.out.find("cleared 2 tasks of run " + run_id + ": b, c"), std::string::npos)
      << retried.out;
  ASSERT_EQ(Sluice("runs resume " + run_id).exit_code, 0);
  EXPECT_EQ(Run(run_id)["state"], "success");
  EXPECT_EQ(Ran("d"), 1u);
  CommandResult again = Sluice("runs retry " + run_id);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("nothing to retry"), std::string::npos) << again.out;
}

TEST_F(RerunTest, TasksRunRunsOneTaskNowAndNeedsItsUpstreamUnlessTold) {
  WritePipeline();
  ASSERT_EQ(Sluice("run pipe").exit_code, 1);
  const std::string run_id = OnlyRunId();
  CommandResult refused = Sluice("tasks run " + run_id + " c");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("b (failed) did not succeed"), std::string::npos) << refused.err;

  WriteFile(dir_ / "fixed", "");
  CommandResult b = Sluice("tasks run " + run_id + " b --lines");
  EXPECT_EQ(b.exit_code, 0) << b.out << b.err;
  auto tasks = TasksById(Run(run_id));
  EXPECT_EQ(tasks["b"]["state"], "success");
  EXPECT_EQ(tasks["b"]["attempts"].size(), 2u);
  EXPECT_EQ(tasks["c"]["state"], "upstream_failed") << "only b ran";
  EXPECT_EQ(Run(run_id)["state"], "failed") << "c still has not run";
  EXPECT_EQ(Ran("d"), 1u);

  // c's upstream all succeeded now: it runs without --ignore-deps, and the run succeeds.
  EXPECT_EQ(Sluice("tasks run " + run_id + " c").exit_code, 0);
  EXPECT_EQ(Run(run_id)["state"], "success");
  EXPECT_EQ(ReadFile(dir_ / "out.csv"), "id,name\n1,ana\n2,bia\n3,caio\n");
}

TEST_F(RerunTest, ASchedulerStartingDuringTasksRunLeavesThatRunToIt) {
  WriteFile(dir_ / "dags" / "wait.yaml", R"(
tasks:
  - {id: w, plugin: shell, with: {command: "echo w >> ran.w; test -f go || test -f started || { touch started; exit 1; }; while [ ! -f go ]; do sleep 0.05; done"}}
)");
  // A triggered run (a `sluice run` one is never adopted by the scheduler anyway).
  ASSERT_EQ(Sluice("dags trigger wait").exit_code, 0);
  const std::string run_id = OnlyRunId();
  ASSERT_EQ(Sluice("runs resume " + run_id).exit_code, 1);
  Shell(std::string("(") + SLUICE_BINARY + " tasks run " + run_id +
        " w --quiet >bg.log 2>&1; echo $? > bg.code) >/dev/null 2>&1 &");
  ASSERT_TRUE(WaitFor([&] { return Ran("w") == 2; }, seconds(10)));
  const pid_t scheduler = StartScheduler();
  EXPECT_NE(SchedulerLog(1).find("run " + run_id + " is being run by process"), std::string::npos)
      << SchedulerLog(1);
  WriteFile(dir_ / "go", "");
  ASSERT_TRUE(WaitFor([&] { return !ReadFile(dir_ / "bg.code").empty(); }, seconds(10)));
  EXPECT_EQ(ReadFile(dir_ / "bg.code"), "0\n") << ReadFile(dir_ / "bg.log");
  EXPECT_EQ(StopScheduler(scheduler), 0);
  auto tasks = TasksById(Run(run_id));
  EXPECT_EQ(tasks["w"]["state"], "success");
  EXPECT_EQ(tasks["w"]["attempts"].size(), 2u) << "the scheduler neither killed nor retried it";
  EXPECT_EQ(Run(run_id)["state"], "success");
}

TEST_F(RerunTest, TasksRunCountsTheRunTimeoutFromItsOwnStart) {
  WriteFile(dir_ / "dags" / "timed.yaml", R"(
run_timeout: 1s
tasks:
  - {id: t, plugin: shell, with: {command: "test -f fixed && sleep 0.3"}}
)");
  ASSERT_EQ(Sluice("run timed").exit_code, 1);
  const std::string run_id = OnlyRunId();
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // past the first start's limit
  WriteFile(dir_ / "fixed", "");
  CommandResult r = Sluice("tasks run " + run_id + " t");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const json attempts = TasksById(Run(run_id))["t"]["attempts"];
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[1]["state"], "success") << attempts.dump(2);
}

TEST_F(RerunTest, IgnoreDepsRunsATaskWhoseUpstreamFailed) {
  WritePipeline();
  ASSERT_EQ(Sluice("run pipe").exit_code, 1);
  const std::string run_id = OnlyRunId();
  CommandResult c = Sluice("tasks run " + run_id + " c --ignore-deps");
  EXPECT_EQ(c.exit_code, 0) << c.out << c.err;
  EXPECT_EQ(TasksById(Run(run_id))["c"]["state"], "success");
  EXPECT_EQ(Run(run_id)["state"], "failed") << "b still failed";
  EXPECT_EQ(Ran("b"), 1u) << "b was not run again";
}

TEST_F(RerunTest, ARunThatHasNotEndedCannotBeCleared) {
  WritePipeline();
  ASSERT_EQ(Sluice("dags trigger pipe").exit_code, 0);  // queued; no scheduler runs it
  const std::string run_id = OnlyRunId();
  CommandResult r = Sluice("tasks clear " + run_id + " b");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("run " + run_id + " is queued"), std::string::npos) << r.err;
}

TEST_F(RerunTest, TheRunningSchedulerRunsAClearedRunWithinASecond) {
  WritePipeline();
  WriteFile(dir_ / "fixed", "");
  const pid_t scheduler = StartScheduler();
  ASSERT_EQ(Sluice("dags trigger pipe").exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return CountRuns("pipe", "success") == 1; }, seconds(10)));
  const std::string run_id = Runs("pipe")[0].run_id;
  CommandResult cleared = Sluice("tasks clear " + run_id + " d");
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_NE(cleared.out.find("the scheduler (pid "), std::string::npos) << cleared.out;
  CommandResult refused = Sluice("runs resume " + run_id);
  EXPECT_EQ(refused.exit_code, 1) << "the scheduler runs it";
  EXPECT_NE(refused.err.find("a scheduler is running"), std::string::npos) << refused.err;
  const auto cleared_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return Ran("d") == 2 && CountRuns("pipe", "success") == 1; },
                      seconds(5)));
  EXPECT_LT(std::chrono::steady_clock::now() - cleared_at, seconds(2));
  EXPECT_EQ(StopScheduler(scheduler), 0);
  EXPECT_EQ(Ran("b"), 1u) << "only d was cleared";
  EXPECT_EQ(Ran("e"), 1u);
}

TEST_F(RerunTest, TheSchedulerRemovesOldWorkspacesAndAClearThatNeedsOneIsRefusedByName) {
  WritePipeline();
  WriteFile(dir_ / "home" / "sluice.yaml", "workspace_retention: 1s\n");
  const pid_t scheduler = StartScheduler();
  ASSERT_EQ(Sluice("dags trigger pipe").exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return CountRuns("pipe", "failed") == 1; }, seconds(10)));
  const std::string run_id = Runs("pipe")[0].run_id;
  const std::filesystem::path workspace = dir_ / "home" / "workspaces" / run_id;
  ASSERT_TRUE(WaitFor([&] { return !std::filesystem::exists(workspace); }, seconds(5)))
      << "the workspace outlived its retention of 1 s";
  // Logged once the folder is gone: waited for, not read at once.
  EXPECT_TRUE(WaitFor(
      [&] { return SchedulerLog(1).find("workspaces: removed those of 1 run(s)") != std::string::npos; },
      seconds(5)))
      << SchedulerLog(1);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "home" / "logs")) << "logs stay";

  WriteFile(dir_ / "fixed", "");
  CommandResult refused = Sluice("tasks clear " + run_id + " b --downstream");
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.err.find("outputs of a are gone"), std::string::npos) << refused.err;
  EXPECT_EQ(Run(run_id)["state"], "failed") << "a refused clear changes nothing";
  HttpClient http(HttpPort(), ReadFile(dir_ / "home" / "api-token").substr(0, 64));
  HttpReply api = http.Post("/api/v1/runs/" + run_id + "/retry");
  EXPECT_EQ(api.status, 409) << api.body;
  EXPECT_NE(api.body.find("outputs of a are gone"), std::string::npos) << api.body;

  // With its upstream cleared too, every input is made again.
  CommandResult cleared = Sluice("tasks clear " + run_id + " b --upstream --downstream");
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  ASSERT_TRUE(WaitFor([&] { return CountRuns("pipe", "success") == 1; }, seconds(10)));
  EXPECT_EQ(ReadFile(dir_ / "out.csv"), "id,name\n1,ana\n2,bia\n3,caio\n");
  EXPECT_EQ(StopScheduler(scheduler), 0);
}

TEST_F(RerunTest, SluiceRunAloneRemovesWorkspacesOlderThanTheRetentionButNotWithABrokenConfig) {
  WritePipeline();
  WriteFile(dir_ / "fixed", "");
  WriteFile(dir_ / "home" / "sluice.yaml", "workspace_retention: 1s\n");
  ASSERT_EQ(Sluice("run pipe").exit_code, 0);
  const std::string first = OnlyRunId();
  const std::filesystem::path first_workspace = dir_ / "home" / "workspaces" / first;
  ASSERT_TRUE(std::filesystem::exists(first_workspace)) << "a run that just ended keeps it";
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // past the retention

  // A config with a problem: its retention is not trusted, nothing is removed.
  WriteFile(dir_ / "home" / "sluice.yaml", "workspace_retention: 1s\nparalelism: 2\n");
  CommandResult kept = Sluice("run pipe");
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_TRUE(std::filesystem::exists(first_workspace)) << kept.err;
  EXPECT_EQ(kept.err.find("workspaces: removed"), std::string::npos) << kept.err;

  WriteFile(dir_ / "home" / "sluice.yaml", "workspace_retention: 1s\n");
  CommandResult cleaned = Sluice("run pipe --lines");
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_FALSE(std::filesystem::exists(first_workspace)) << cleaned.err;
  EXPECT_NE(cleaned.err.find("workspaces: removed those of "), std::string::npos) << cleaned.err;
  EXPECT_NE(cleaned.err.find("(workspace_retention 1s)"), std::string::npos) << cleaned.err;
  // The run that just ended keeps its own, and every run keeps its records and logs.
  const std::vector<RunRecord> runs = Runs("pipe");
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "home" / "workspaces" / runs.back().run_id))
      << runs.back().run_id << " is the newest";
  EXPECT_EQ(Run(first)["state"], "success");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "home" / "logs"));
}

TEST_F(RerunTest, ResumeFinishesARunWhoseProcessWasKilledButNotOneStillGoing) {
  WriteFile(dir_ / "dags" / "slow.yaml", R"(
tasks:
  - {id: first, plugin: shell, with: {command: "echo first >> ran.first"}}
  - {id: wait, plugin: shell, depends_on: first, retries: 1, retry_delay: 10ms,
     with: {command: "echo wait >> ran.wait; test -f go || exec sleep 30"}}
  - {id: last, plugin: shell, depends_on: wait, with: {command: "echo last >> ran.last"}}
)");
  const std::string pid_text = Shell(std::string("exec ") + SLUICE_BINARY +
                                     " run slow --lines >bg.log 2>&1 & echo $!").out;
  const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
  ASSERT_TRUE(WaitFor([&] { return Ran("wait") == 1; }, seconds(10)));
  const std::string run_id = OnlyRunId();
  CommandResult busy = Sluice("runs resume " + run_id);
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_NE(busy.err.find("is already being run by process " + std::to_string(pid)),
            std::string::npos)
      << busy.err;

  ::kill(pid, SIGKILL);
  ASSERT_TRUE(WaitFor([&] { return ::kill(pid, 0) != 0; }, seconds(5)));
  EXPECT_EQ(Run(run_id)["state"], "running") << "nothing ended it";
  WriteFile(dir_ / "go", "");
  CommandResult resumed = Sluice("runs resume " + run_id);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  auto tasks = TasksById(Run(run_id));
  EXPECT_EQ(Ran("first"), 1u);
  EXPECT_EQ(Ran("wait"), 2u) << "the orphaned attempt failed and was retried";
  EXPECT_EQ(Ran("last"), 1u);
  ASSERT_EQ(tasks["wait"]["attempts"].size(), 2u);
  EXPECT_NE(tasks["wait"]["attempts"][0]["error"].get<std::string>().find("process is gone"),
            std::string::npos);
}

TEST_F(RerunTest, FollowPrintsEveryAttemptsLogUntilTheTaskEnds) {
  WriteFile(dir_ / "dags" / "talk.yaml", R"(
tasks:
  - id: talk
    plugin: shell
    retries: 1
    retry_delay: 100ms
    with: {command: "echo hello; sleep 0.5; echo bye; test -f ok || { touch ok; exit 1; }"}
)");
  const pid_t run_pid = static_cast<pid_t>(std::stol(
      Shell(std::string("exec ") + SLUICE_BINARY + " run talk --quiet >bg.log 2>&1 & echo $!").out));
  std::string run_id;
  ASSERT_TRUE(WaitFor([&] {
    const json runs = Json("runs list --json");
    if (runs.empty()) return false;
    run_id = runs[0]["run_id"];
    return true;
  }, seconds(10)));
  CommandResult follow = Sluice("tasks logs " + run_id + " talk --follow");
  EXPECT_EQ(follow.exit_code, 0) << follow.err;
  const size_t second = follow.out.find("--- attempt 2 ---\n");
  ASSERT_NE(second, std::string::npos) << follow.out;
  const std::string first_log = follow.out.substr(0, second);
  const std::string second_log = follow.out.substr(second);
  for (const std::string& log : {first_log, second_log}) {
    EXPECT_NE(log.find("hello\n"), std::string::npos) << follow.out;
    EXPECT_NE(log.find("bye\n"), std::string::npos) << follow.out;
  }
  // `sluice run` ends after its task: records the run, sends alerts, cleans workspaces.
  EXPECT_TRUE(WaitFor([&] { return ::kill(run_pid, 0) != 0; }, seconds(10)));
}

}  // namespace
}  // namespace sluice::testing
