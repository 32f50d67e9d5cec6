#include "scheduler/run_engine.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "runtime/attempt_protocol.h"
#include "sluice/dataset.hpp"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// How a scripted attempt ends.
struct Outcome {
  bool hang = false;  // never ends unless killed
  std::optional<int> exit_code = 0;
  std::optional<int> term_signal;
  bool report = true;  // writes a final report line
  bool ok = true;
  std::string error;
  int64_t rows_out = 0;
};

// An in-memory ProcessLauncher: each attempt ends, as scripted, at the next Wait().
class FakeLauncher final : public ProcessLauncher {
 public:
  using Script = std::function<Outcome(const AttemptSpec&)>;
  explicit FakeLauncher(Script script) : script_(std::move(script)) {}

  Result<int64_t> Launch(const LaunchSpec& spec) override {
    auto attempt = DecodeAttemptSpec(spec.stdin_data);
    EXPECT_TRUE(attempt.ok()) << attempt.message();
    const int64_t pid = next_pid_++;
    procs_[pid] = {*attempt, script_(*attempt), std::nullopt};
    launched.push_back(attempt->task_id + "#" + std::to_string(attempt->attempt));
    max_running = std::max(max_running, procs_.size());
    return pid;
  }

  std::vector<ProcessEvent> Wait(std::optional<milliseconds> timeout) override {
    std::vector<ProcessEvent> events;
    for (auto it = procs_.begin(); it != procs_.end();) {
      Proc& p = it->second;
      if (p.outcome.hang && !p.killed_by) {
        ++it;
        continue;
      }
      ProcessEvent ev;
      ev.pid = it->first;
      ev.exited = true;
      if (p.killed_by) {
        ev.term_signal = *p.killed_by;
      } else {
        ev.exit_code = p.outcome.exit_code;
        ev.term_signal = p.outcome.term_signal;
        if (p.outcome.report) {
          AttemptReport r;
          r.rows_out = p.outcome.rows_out;
          r.done = true;
          r.ok = p.outcome.ok;
          r.error = p.outcome.error;
          std::string line = EncodeAttemptReport(r);
          line.pop_back();  // the launcher hands over lines without their newline
          ev.report_lines.push_back(line);
        }
      }
      events.push_back(ev);
      it = procs_.erase(it);
    }
    if (events.empty() && timeout) std::this_thread::sleep_for(*timeout);
    return events;
  }

  void Kill(int64_t pid, int signal) override {
    auto it = procs_.find(pid);
    if (it == procs_.end()) return;
    kills.push_back(it->second.spec.task_id + ":" + std::to_string(signal));
    // A process that ignores SIGTERM only dies of SIGKILL.
    if (signal == SIGKILL || !it->second.outcome.hang || !ignore_sigterm) {
      it->second.killed_by = signal;
    }
  }
  size_t running() const override { return procs_.size(); }

  std::vector<std::string> launched;
  std::vector<std::string> kills;
  size_t max_running = 0;
  bool ignore_sigterm = false;

 private:
  struct Proc {
    AttemptSpec spec;
    Outcome outcome;
    std::optional<int> killed_by;
  };
  Script script_;
  int64_t next_pid_ = 100;
  std::map<int64_t, Proc> procs_;
};

TaskSpec Task(const std::string& id, std::vector<std::string> deps = {}) {
  TaskSpec t;
  t.id = id;
  t.plugin = "shell";
  t.depends_on = std::move(deps);
  t.with_json = R"({"command":"true"})";
  t.retry_delay = milliseconds(1);
  return t;
}

class RunEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::temp_directory_path() /
            ("sluice-engine-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(home_);
    auto store = OpenSqliteStateStore((home_ / "sluice.db").string());
    ASSERT_TRUE(store.ok()) << store.message();
    store_ = std::move(store).value();
    settings_.home = home_.string();
    settings_.task_exec_binary = "/nonexistent/sluice";
    settings_.parallelism = 4;
    settings_.kill_grace = milliseconds(20);
    dag_.id = "demo";
    dag_.file = "demo.yaml";
  }
  void TearDown() override { fs::remove_all(home_); }

  // A finished run of the DAG written straight into the state, for history.
  RunRecord RunRecordFor(const std::string& run_id) const {
    RunRecord run;
    run.run_id = run_id;
    run.dag_id = dag_.id;
    run.state = "success";
    run.trigger = "manual";
    run.created_at = "2026-01-01T00:00:00.000000Z";
    return run;
  }

  RunRecord Run(FakeLauncher& launcher) {
    auto prepared = PrepareManualRun(dag_, {}, std::chrono::system_clock::now());
    EXPECT_TRUE(prepared.ok()) << prepared.message();
    auto run = ExecuteRun(dag_, *prepared, *store_, launcher, settings_, nullptr);
    EXPECT_TRUE(run.ok()) << run.message();
    return *run;
  }

  std::map<std::string, std::string> TaskStates(const std::string& run_id) {
    std::map<std::string, std::string> out;
    auto tasks = store_->ListTaskInstances(run_id);
    EXPECT_TRUE(tasks.ok());
    for (const TaskInstanceRecord& t : *tasks) out[t.task_id] = t.state;
    return out;
  }

  std::vector<AttemptRecord> Attempts(const std::string& run_id, const std::string& task) {
    auto attempts = store_->ListAttempts(run_id, task);
    EXPECT_TRUE(attempts.ok());
    return *attempts;
  }

  fs::path home_;
  std::unique_ptr<StateStore> store_;
  RunSettings settings_;
  DagSpec dag_;
};

TEST_F(RunEngineTest, AllTasksSucceedInDependencyOrder) {
  dag_.tasks = {Task("load", {"extract"}), Task("extract"), Task("report", {"load"})};
  FakeLauncher launcher([](const AttemptSpec&) { return Outcome{}; });
  RunRecord run = Run(launcher);
  EXPECT_EQ(run.state, "success");
  EXPECT_EQ(launcher.launched,
            (std::vector<std::string>{"extract#1", "load#1", "report#1"}));
  auto states = TaskStates(run.run_id);
  EXPECT_EQ(states["extract"], "success");
  EXPECT_EQ(states["report"], "success");
  auto stored = store_->GetRun(run.run_id);
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->state, "success");
}

TEST_F(RunEngineTest, FailedTaskMarksDownstreamUpstreamFailedAndIndependentBranchGoesOn) {
  dag_.tasks = {Task("a"), Task("b", {"a"}), Task("c", {"b"}), Task("side")};
  FakeLauncher launcher([](const AttemptSpec& s) {
    Outcome o;
    if (s.task_id == "a") {
      o.ok = false;
      o.exit_code = 1;
      o.error = "boom";
    }
    return o;
  });
  RunRecord run = Run(launcher);
  EXPECT_EQ(run.state, "failed");
  auto states = TaskStates(run.run_id);
  EXPECT_EQ(states["a"], "failed");
  EXPECT_EQ(states["b"], "upstream_failed");
  EXPECT_EQ(states["c"], "upstream_failed");
  EXPECT_EQ(states["side"], "success");
  auto attempts = Attempts(run.run_id, "a");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].error, "boom");
  EXPECT_EQ(attempts[0].exit_code, 1);
}

TEST_F(RunEngineTest, RetriesUntilSuccessKeepingEveryAttempt) {
  TaskSpec flaky = Task("flaky");
  flaky.retries = 3;
  dag_.tasks = {flaky};
  FakeLauncher launcher([](const AttemptSpec& s) {
    Outcome o;
    if (s.attempt < 3) {
      o.ok = false;
      o.exit_code = 1;
      o.error = "try " + std::to_string(s.attempt);
    }
    return o;
  });
  RunRecord run = Run(launcher);
  EXPECT_EQ(run.state, "success");
  auto attempts = Attempts(run.run_id, "flaky");
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].state, "failed");
  EXPECT_EQ(attempts[0].error, "try 1");
  EXPECT_EQ(attempts[1].error, "try 2");
  EXPECT_EQ(attempts[2].state, "success");
}

TEST_F(RunEngineTest, GivesUpAfterRetriesAreSpent) {
  TaskSpec bad = Task("bad");
  bad.retries = 1;
  dag_.tasks = {bad};
  FakeLauncher launcher([](const AttemptSpec&) {
    Outcome o;
    o.ok = false;
    o.exit_code = 1;
    o.error = "nope";
    return o;
  });
  RunRecord run = Run(launcher);
  EXPECT_EQ(run.state, "failed");
  EXPECT_EQ(Attempts(run.run_id, "bad").size(), 2u);
  EXPECT_EQ(TaskStates(run.run_id)["bad"], "failed");
}

TEST_F(RunEngineTest, CrashNamesTheSignal) {
  dag_.tasks = {Task("crash")};
  FakeLauncher launcher([](const AttemptSpec&) {
    Outcome o;
    o.exit_code.reset();
    o.term_signal = SIGSEGV;
    o.report = false;
    return o;
  });
  RunRecord run = Run(launcher);
  EXPECT_EQ(run.state, "failed");
  auto attempts = Attempts(run.run_id, "crash");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].term_signal, SIGSEGV);
  EXPECT_NE(attempts[0].error.find("SIGSEGV"), std::string::npos) << attempts[0].error;
}

TEST_F(RunEngineTest, ExitWithoutReportNamesTheCode) {
  dag_.tasks = {Task("quits")};
  FakeLauncher launcher([](const AttemptSpec&) {
    Outcome o;
    o.exit_code = 7;
    o.report = false;
    return o;
  });
  RunRecord run = Run(launcher);
  auto attempts = Attempts(run.run_id, "quits");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_NE(attempts[0].error.find("exited with code 7"), std::string::npos) << attempts[0].error;
}

TEST_F(RunEngineTest, TimeoutTerminatesThenKillsAndRecordsTimedOut) {
  TaskSpec slow = Task("slow");
  slow.timeout = milliseconds(30);
  dag_.tasks = {slow};
  FakeLauncher launcher([](const AttemptSpec&) {
    Outcome o;
    o.hang = true;
    return o;
  });
  launcher.ignore_sigterm = true;
  RunRecord run = Run(launcher);
  EXPECT_EQ(run.state, "failed");
  EXPECT_EQ(launcher.kills, (std::vector<std::string>{"slow:15", "slow:9"}));
  auto attempts = Attempts(run.run_id, "slow");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].state, "timed_out");
  EXPECT_NE(attempts[0].error.find("timed out"), std::string::npos);
}

TEST_F(RunEngineTest, NeverRunsMoreThanParallelismAtOnce) {
  for (int i = 0; i < 20; ++i) dag_.tasks.push_back(Task("t" + std::to_string(i)));
  settings_.parallelism = 3;
  FakeLauncher launcher([](const AttemptSpec&) { return Outcome{}; });
  RunRecord run = Run(launcher);
  EXPECT_EQ(run.state, "success");
  EXPECT_EQ(launcher.launched.size(), 20u);
  EXPECT_EQ(launcher.max_running, 3u);
}

// With one slot, the task that took longest in earlier runs starts first, wherever it is in
// the file: the run then ends as soon as it can.
TEST_F(RunEngineTest, TaskThatTookLongestBeforeStartsFirstWhenSlotsAreShort) {
  dag_.tasks = {Task("quick"), Task("slow"), Task("after_quick", {"quick"})};
  settings_.parallelism = 1;
  FakeLauncher first_launcher([](const AttemptSpec&) { return Outcome{}; });
  EXPECT_EQ(Run(first_launcher).state, "success");
  EXPECT_EQ(first_launcher.launched, (std::vector<std::string>{"quick#1", "slow#1", "after_quick#1"}))
      << "no history: the longer chain (quick -> after_quick) first, then equal chains as they became ready";
  // History: slow took 30 s, quick and after_quick 1 s each.
  ASSERT_TRUE(store_->CreateRun(RunRecordFor("history"), {"quick", "slow", "after_quick"}).ok());
  for (const auto& [task, seconds] : std::vector<std::pair<std::string, int>>{{"quick", 1}, {"slow", 30}, {"after_quick", 1}}) {
    AttemptRecord a;
    a.run_id = "history";
    a.task_id = task;
    a.attempt = 1;
    a.state = "running";
    a.started_at = "2026-01-01T00:00:00.000000Z";
    ASSERT_TRUE(store_->StartAttempt(a).ok());
    a.state = "success";
    a.ended_at = "2026-01-01T00:00:" + std::to_string(seconds) + ".000000Z";
    ASSERT_TRUE(store_->FinishAttempt(a, "success").ok());
  }
  FakeLauncher second_launcher([](const AttemptSpec&) { return Outcome{}; });
  EXPECT_EQ(Run(second_launcher).state, "success");
  EXPECT_EQ(second_launcher.launched.front(), "slow#1");
}

TEST_F(RunEngineTest, PassesUpstreamDatasetsAndOwnOutputPath) {
  dag_.tasks = {Task("extract"), Task("export", {"extract"})};
  std::vector<AttemptSpec> seen;
  FakeLauncher launcher([&](const AttemptSpec& s) {
    seen.push_back(s);
    if (s.task_id == "extract") {
      // Stand in for the plugin: write the dataset file where the engine asked.
      fs::create_directories(fs::path(s.output_path).parent_path());
      std::ofstream(s.output_path) << "x";
    }
    return Outcome{};
  });
  Run(launcher);
  ASSERT_EQ(seen.size(), 2u);
  ASSERT_EQ(seen[1].inputs.size(), 1u);
  EXPECT_EQ(seen[1].inputs[0].task_id, "extract");
  EXPECT_EQ(seen[1].inputs[0].dataset_path, seen[0].output_path);
  EXPECT_NE(seen[0].output_path, seen[1].output_path);
}

TEST_F(RunEngineTest, UnrenderableTemplateFailsTheAttemptWithoutStartingAProcess) {
  TaskSpec t = Task("needs_env");
  t.with_json = R"({"command":"echo ${SLUICE_TEST_SURELY_UNSET_VARIABLE}"})";
  dag_.tasks = {t};
  FakeLauncher launcher([](const AttemptSpec&) { return Outcome{}; });
  RunRecord run = Run(launcher);
  EXPECT_EQ(run.state, "failed");
  EXPECT_TRUE(launcher.launched.empty());
  auto attempts = Attempts(run.run_id, "needs_env");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_NE(attempts[0].error.find("SLUICE_TEST_SURELY_UNSET_VARIABLE"), std::string::npos)
      << attempts[0].error;
}

// Stands in for an incremental extract: writes `values` as the int64 column `id` (nullopt:
// null) to the attempt's output, and remembers the `since` setting it was rendered with.
Outcome ExtractIds(const AttemptSpec& s, const std::vector<std::optional<int64_t>>& values,
                   std::vector<std::string>& seen_since) {
  seen_since.push_back(nlohmann::json::parse(s.config_json).at("since"));
  fs::create_directories(fs::path(s.output_path).parent_path());
  dataset::Writer writer(s.output_path, {{"id", dataset::Type::kInt64}});
  for (const auto& v : values) {
    if (v) {
      writer.AppendInt64(0, *v);
    } else {
      writer.AppendNull(0);
    }
    writer.EndRow();
  }
  writer.Finish();
  return Outcome{};
}

TaskSpec IncrementalTask() {
  TaskSpec t = Task("extract");
  t.with_json = R"({"since":"{{ watermark }}"})";
  t.watermark = WatermarkSpec{"id", "0"};
  return t;
}

TEST_F(RunEngineTest, WatermarkStartsAtInitialAndAdvancesToTheLargestValueOfSuccessfulRuns) {
  dag_.tasks = {IncrementalTask(), Task("load", {"extract"})};
  std::vector<std::string> since;
  std::vector<std::optional<int64_t>> rows = {5, std::nullopt, 42, 7};
  bool load_fails = false;
  FakeLauncher launcher([&](const AttemptSpec& s) {
    if (s.task_id == "extract") return ExtractIds(s, rows, since);
    Outcome o;
    if (load_fails) {
      o.exit_code = 1;
      o.ok = false;
      o.error = "load failed";
    }
    return o;
  });
  EXPECT_EQ(Run(launcher).state, "success");
  auto stored = store_->GetWatermark("demo", "extract");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->value, "42") << "the largest id, nulls ignored";

  // A run whose later task fails re-reads from the same watermark next time.
  rows = {50, 60};
  load_fails = true;
  EXPECT_EQ(Run(launcher).state, "failed");
  EXPECT_EQ((*store_->GetWatermark("demo", "extract"))->value, "42");

  load_fails = false;
  EXPECT_EQ(Run(launcher).state, "success");
  EXPECT_EQ((*store_->GetWatermark("demo", "extract"))->value, "60");

  // A run that finds nothing new keeps the watermark.
  rows = {};
  EXPECT_EQ(Run(launcher).state, "success");
  EXPECT_EQ((*store_->GetWatermark("demo", "extract"))->value, "60");
  EXPECT_EQ(since, (std::vector<std::string>{"0", "42", "42", "60"}));
}

TEST_F(RunEngineTest, WatermarkColumnMissingFromTheOutputFailsTheTaskSayingWhich) {
  TaskSpec t = IncrementalTask();
  t.watermark->column = "updated_at";
  dag_.tasks = {t};
  std::vector<std::string> since;
  FakeLauncher launcher([&](const AttemptSpec& s) { return ExtractIds(s, {1}, since); });
  RunRecord run = Run(launcher);
  EXPECT_EQ(run.state, "failed");
  auto attempts = Attempts(run.run_id, "extract");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_NE(attempts[0].error.find("'updated_at' is not in the task's output (id)"),
            std::string::npos) << attempts[0].error;
  EXPECT_FALSE(store_->GetWatermark("demo", "extract")->has_value());
}

}  // namespace
}  // namespace sluice
