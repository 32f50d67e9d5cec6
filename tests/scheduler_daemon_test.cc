// `sluice scheduler` end to end: the real daemon, real task processes, its real database.
#include "tests/scheduler_daemon_test.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

namespace sluice::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kEverySecond = R"(
schedule: "@every 1s"
catchup: CATCHUP
tasks:
  - {id: tick, plugin: shell, with: {command: "echo {{ logical_date }}"}}
)";

std::string EverySecondDag(bool catchup) {
  std::string text = kEverySecond;
  text.replace(text.find("CATCHUP"), 7, catchup ? "true" : "false");
  return text;
}

TEST_F(SchedulerDaemonTest, ANewDagFileRunsWithinASecondAndEachRunCoversTheSecondBeforeIt) {
  const pid_t scheduler = StartScheduler();
  const TimePoint written = std::chrono::system_clock::now();
  WriteFile(dir_ / "dags" / "tick.yaml", EverySecondDag(false));
  ASSERT_TRUE(WaitFor([&] { return CountRuns("tick", "success") >= 3; }, seconds(10)));
  EXPECT_EQ(StopScheduler(scheduler), 0);

  const std::vector<RunRecord> runs = Runs("tick");
  // The first fire is the first whole second after the file was loaded.
  EXPECT_LT(Seconds(written, Time(runs[0].created_at)), 1.5);
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunRecord& r = runs[i];
    SCOPED_TRACE(r.run_id);
    EXPECT_EQ(r.trigger, "schedule");
    const TimePoint logical = Time(r.logical_date);
    EXPECT_EQ(logical.time_since_epoch() % seconds(1), TimePoint::duration(0)) << r.logical_date;
    EXPECT_EQ(r.data_interval_end, r.logical_date);
    EXPECT_EQ(Seconds(Time(r.data_interval_start), logical), 1.0);
    if (i > 0) {
      EXPECT_EQ(r.data_interval_start, runs[i - 1].logical_date) << "no gap, no repeat";
    }
    // Created at its fire time, not long after.
    EXPECT_GE(Seconds(logical, Time(r.created_at)), 0.0);
    EXPECT_LT(Seconds(logical, Time(r.created_at)), 0.5);
  }
}

TEST_F(SchedulerDaemonTest, ABrokenFileIsReportedWithItsLineAndNeverStopsTheOthers) {
  WriteFile(dir_ / "dags" / "tick.yaml", EverySecondDag(false));
  WriteFile(dir_ / "dags" / "broken.yaml", "schedule: \"@every 1s\"\ntasks:\n  - {id: a, plugin: shell, with: {comand: x}}\n");
  const pid_t scheduler = StartScheduler();
  ASSERT_TRUE(WaitFor([&] { return CountRuns("tick", "success") >= 1; }, seconds(5)));
  EXPECT_NE(SchedulerLog(1).find("broken.yaml:3:"), std::string::npos) << "file and line";
  EXPECT_TRUE(Runs("broken").empty());
  Result<std::vector<DagFileRecord>> files = Store().ListDagFiles();
  ASSERT_TRUE(files.ok());
  bool recorded = false;
  for (const DagFileRecord& f : *files) {
    if (f.file.find("broken.yaml") != std::string::npos) recorded = f.error.find("comand") != std::string::npos;
  }
  EXPECT_TRUE(recorded) << "dag_files keeps the error for `sluice dags list`";

  // Fixed in place: it is scheduled from then on.
  WriteFile(dir_ / "dags" / "broken.yaml", "schedule: \"@every 1s\"\ntasks:\n  - {id: a, plugin: shell, with: {command: \"true\"}}\n");
  EXPECT_TRUE(WaitFor([&] { return CountRuns("broken", "success") >= 1; }, seconds(5)));
  EXPECT_EQ(StopScheduler(scheduler), 0);
}

TEST_F(SchedulerDaemonTest, ASecondSchedulerRefusesToStartAndNamesTheFirst) {
  const pid_t first = StartScheduler();
  CommandResult second = Sluice("--dags dags scheduler");
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("pid " + std::to_string(first)), std::string::npos) << second.err;
  EXPECT_EQ(StopScheduler(first), 0);
  // Gone, even by SIGKILL: the next one starts.
  const pid_t third = StartScheduler();
  EXPECT_EQ(StopScheduler(third, SIGKILL), 128 + SIGKILL);
  const pid_t fourth = StartScheduler();
  EXPECT_EQ(StopScheduler(fourth), 0);
}

TEST_F(SchedulerDaemonTest, TriggerPauseAndUnpauseTakeEffectWithinASecond) {
  WriteFile(dir_ / "dags" / "manual.yaml", R"(
params: {who: nobody}
tasks:
  - {id: greet, plugin: shell, with: {command: "echo hello {{ params.who }} > greeting.txt"}}
)");
  WriteFile(dir_ / "dags" / "tick.yaml", EverySecondDag(false));
  const pid_t scheduler = StartScheduler();

  CommandResult trigger = Sluice("--dags dags dags trigger manual --param who=ana");
  ASSERT_EQ(trigger.exit_code, 0) << trigger.err;
  ASSERT_TRUE(WaitFor([&] { return CountRuns("manual", "success") == 1; }, seconds(5)));
  const RunRecord run = Runs("manual")[0];
  EXPECT_EQ(run.trigger, "manual");
  // From the CLI's write (created_at is set just before it commits) to the scheduler's start.
  EXPECT_LT(Seconds(Time(run.created_at), Time(run.started_at)), 1.0) << "noticed within a second";
  EXPECT_EQ(ReadFile(dir_ / "greeting.txt"), "hello ana\n");

  ASSERT_EQ(Sluice("--dags dags dags pause tick").exit_code, 0);
  for (const nlohmann::json& dag : Json("--dags dags dags list --json")) {
    EXPECT_EQ(dag["paused"].get<bool>(), dag["dag_id"] == "tick") << dag.dump();
  }
  std::this_thread::sleep_for(seconds(1));  // a run created before the pause may still come
  const size_t before = Runs("tick").size();
  std::this_thread::sleep_for(milliseconds(2500));
  EXPECT_EQ(Runs("tick").size(), before) << "paused: no new runs";
  ASSERT_EQ(Sluice("--dags dags dags unpause tick").exit_code, 0);
  EXPECT_TRUE(WaitFor([&] { return Runs("tick").size() > before; }, milliseconds(1500)));
  EXPECT_EQ(StopScheduler(scheduler), 0);
}

TEST_F(SchedulerDaemonTest, AfterDowntimeCatchupFalseRunsTheLatestFireAndTrueRunsEveryOne) {
  WriteFile(dir_ / "dags" / "lazy.yaml", EverySecondDag(false));
  WriteFile(dir_ / "dags" / "eager.yaml", EverySecondDag(true));
  pid_t scheduler = StartScheduler();
  ASSERT_TRUE(WaitFor([&] { return CountRuns("lazy", "success") >= 1 && CountRuns("eager", "success") >= 1; },
                      seconds(5)));
  ASSERT_EQ(StopScheduler(scheduler), 0);
  const TimePoint stopped = std::chrono::system_clock::now();
  std::this_thread::sleep_for(milliseconds(3500));
  const TimePoint restarted = std::chrono::system_clock::now();
  scheduler = StartScheduler();
  ASSERT_TRUE(WaitFor([&] {
    const std::vector<RunRecord> eager = Runs("eager");
    return !eager.empty() && Time(eager.back().logical_date) >= restarted;
  }, seconds(5)));
  ASSERT_EQ(StopScheduler(scheduler), 0);

  // eager: every whole second from its first fire to its last has exactly one run.
  const std::vector<RunRecord> eager = Runs("eager");
  for (size_t i = 1; i < eager.size(); ++i) {
    EXPECT_EQ(Seconds(Time(eager[i - 1].logical_date), Time(eager[i].logical_date)), 1.0)
        << eager[i].logical_date;
  }
  // lazy: the seconds of the downtime were skipped but the latest one, run at restart.
  const std::vector<RunRecord> lazy = Runs("lazy");
  int gaps = 0;
  for (size_t i = 1; i < lazy.size(); ++i) {
    const double step = Seconds(Time(lazy[i - 1].logical_date), Time(lazy[i].logical_date));
    if (step == 1.0) continue;
    ++gaps;
    EXPECT_GE(step, 3.0) << "the downtime was at least 3.5 s";
    EXPECT_LE(Time(lazy[i - 1].logical_date), stopped);
    // The one run owed at restart is the latest fire, at most a second before it.
    EXPECT_GT(Time(lazy[i].logical_date), restarted - seconds(1));
  }
  EXPECT_EQ(gaps, 1);
}

TEST_F(SchedulerDaemonTest, BackfillRunsEachIntervalOnceOldestFirstOneAtATime) {
  WriteFile(dir_ / "dags" / "daily.yaml", R"(
schedule: "@daily"
tasks:
  - id: load
    plugin: shell
    with: {command: "echo {{ data_interval_start }} {{ data_interval_end }} >> intervals.txt; sleep 0.1"}
)");
  const pid_t scheduler = StartScheduler();
  CommandResult backfill =
      Sluice("--dags dags dags backfill daily --from 2026-01-01 --to 2026-01-05");
  ASSERT_EQ(backfill.exit_code, 0) << backfill.err;
  EXPECT_NE(backfill.out.find("5 backfill run(s)"), std::string::npos) << backfill.out;
  ASSERT_TRUE(WaitFor([&] { return CountRuns("daily", "success") == 5; }, seconds(15)));
  EXPECT_EQ(StopScheduler(scheduler), 0);

  EXPECT_EQ(ReadFile(dir_ / "intervals.txt"),
            "2025-12-31T00:00:00+00:00 2026-01-01T00:00:00+00:00\n"
            "2026-01-01T00:00:00+00:00 2026-01-02T00:00:00+00:00\n"
            "2026-01-02T00:00:00+00:00 2026-01-03T00:00:00+00:00\n"
            "2026-01-03T00:00:00+00:00 2026-01-04T00:00:00+00:00\n"
            "2026-01-04T00:00:00+00:00 2026-01-05T00:00:00+00:00\n");
  std::vector<RunRecord> runs = Runs("daily");
  std::sort(runs.begin(), runs.end(),
            [](const RunRecord& a, const RunRecord& b) { return a.started_at < b.started_at; });
  for (size_t i = 1; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].trigger, "backfill");
    EXPECT_LT(runs[i - 1].logical_date, runs[i].logical_date) << "oldest first";
    EXPECT_LE(runs[i - 1].ended_at, runs[i].started_at) << "max_active_runs: 1";
  }
}

TEST_F(SchedulerDaemonTest, APoolCapsTasksAcrossDagsWhileOthersRunBeside) {
  WriteFile(dir_ / "home" / "sluice.yaml", "parallelism: 4\npools:\n  db: 1\n");
  for (const char* name : {"a", "b"}) {
    WriteFile(dir_ / "dags" / (std::string(name) + ".yaml"), R"(
tasks:
  - {id: x1, plugin: shell, pool: db, with: {command: "sleep 0.3"}}
  - {id: x2, plugin: shell, pool: db, with: {command: "sleep 0.3"}}
  - {id: free, plugin: shell, with: {command: "sleep 0.3"}}
)");
  }
  WriteFile(dir_ / "dags" / "typo.yaml", R"(
tasks:
  - {id: x, plugin: shell, pool: dbb, with: {command: "true"}}
)");
  // Queued before the scheduler starts, so that both runs start in its first turn.
  ASSERT_EQ(Sluice("--dags dags dags trigger a").exit_code, 0);
  ASSERT_EQ(Sluice("--dags dags dags trigger b").exit_code, 0);
  const pid_t scheduler = StartScheduler();
  ASSERT_TRUE(WaitFor([&] { return CountRuns("a", "success") == 1 && CountRuns("b", "success") == 1; },
                      seconds(10)));
  EXPECT_EQ(StopScheduler(scheduler), 0);
  EXPECT_NE(SchedulerLog(1).find("typo.yaml:3:"), std::string::npos) << "undeclared pool";
  EXPECT_NE(SchedulerLog(1).find("pool 'dbb' in task 'x' is not declared"), std::string::npos);

  std::vector<std::pair<TimePoint, TimePoint>> pooled, free;
  for (const char* dag : {"a", "b"}) {
    for (const AttemptRecord& a : Attempts(Runs(dag)[0].run_id)) {
      (a.task_id == "free" ? free : pooled).emplace_back(Time(a.started_at), Time(a.ended_at));
    }
  }
  ASSERT_EQ(pooled.size(), 4u);
  std::sort(pooled.begin(), pooled.end());
  for (size_t i = 1; i < pooled.size(); ++i) {
    EXPECT_LE(pooled[i - 1].second, pooled[i].first) << "the pool has one slot";
  }
  // The tasks outside the pool did not wait for it: both ran during the first pooled one.
  for (const auto& f : free) EXPECT_LT(f.first, pooled[1].first);
}

// The most intervals of `spans` open at one instant (an interval ending when another starts
// does not overlap it).
size_t MostAtOnce(const std::vector<std::pair<TimePoint, TimePoint>>& spans) {
  std::vector<std::pair<TimePoint, int>> edges;
  for (const auto& [start, end] : spans) {
    edges.emplace_back(start, +1);
    edges.emplace_back(end, -1);
  }
  std::sort(edges.begin(), edges.end());  // at equal times, -1 (an end) sorts first
  int open = 0, most = 0;
  for (const auto& edge : edges) most = std::max(most, open += edge.second);
  return static_cast<size_t>(most);
}

TEST_F(SchedulerDaemonTest, MaxActiveTasksAndParallelismCapTasksRunningAtOnce) {
  WriteFile(dir_ / "home" / "sluice.yaml", "parallelism: 3\n");
  WriteFile(dir_ / "dags" / "narrow.yaml", R"(
max_active_tasks: 1
tasks:
  - {id: t1, plugin: shell, with: {command: "sleep 0.3"}}
  - {id: t2, plugin: shell, with: {command: "sleep 0.3"}}
  - {id: t3, plugin: shell, with: {command: "sleep 0.3"}}
)");
  WriteFile(dir_ / "dags" / "wide.yaml", R"(
tasks:
  - {id: t1, plugin: shell, with: {command: "sleep 0.3"}}
  - {id: t2, plugin: shell, with: {command: "sleep 0.3"}}
  - {id: t3, plugin: shell, with: {command: "sleep 0.3"}}
  - {id: t4, plugin: shell, with: {command: "sleep 0.3"}}
)");
  ASSERT_EQ(Sluice("--dags dags dags trigger narrow").exit_code, 0);
  ASSERT_EQ(Sluice("--dags dags dags trigger wide").exit_code, 0);
  const pid_t scheduler = StartScheduler();
  ASSERT_TRUE(WaitFor([&] {
    return CountRuns("narrow", "success") == 1 && CountRuns("wide", "success") == 1;
  }, seconds(15)));
  EXPECT_EQ(StopScheduler(scheduler), 0);

  std::vector<std::pair<TimePoint, TimePoint>> narrow, all;
  for (const char* dag : {"narrow", "wide"}) {
    for (const AttemptRecord& a : Attempts(Runs(dag)[0].run_id)) {
      all.emplace_back(Time(a.started_at), Time(a.ended_at));
      if (std::string(dag) == "narrow") narrow.push_back(all.back());
    }
  }
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(MostAtOnce(narrow), 1u) << "max_active_tasks: 1";
  // Three at once, never four: the global limit is reached and holds.
  EXPECT_EQ(MostAtOnce(all), 3u) << "parallelism: 3";
}

TEST_F(SchedulerDaemonTest, AKilledSchedulerLosesNoRunAndRetriesTheVanishedAttemptAlone) {
  // The task ignores SIGTERM, so only a SIGKILL ends the first attempt; the second attempt
  // records any earlier attempt's process still alive (running, not a zombie) when it starts.
  WriteFile(dir_ / "dags" / "stubborn.yaml", R"(
tasks:
  - id: work
    plugin: shell
    retries: 1
    retry_delay: 1s
    with:
      command: "trap '' TERM; for p in $(cat pids 2>/dev/null); do s=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null); [ -n \"$s\" ] && [ $s != Z ] && echo $p $s >> overlap; done; echo $$$$ >> pids; sleep 1.5"
)");
  pid_t scheduler = StartScheduler();
  ASSERT_EQ(Sluice("--dags dags dags trigger stubborn").exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / "pids"); }, seconds(5)));
  EXPECT_EQ(StopScheduler(scheduler, SIGKILL), 128 + SIGKILL);

  scheduler = StartScheduler();
  ASSERT_TRUE(WaitFor([&] { return CountRuns("stubborn", "success") == 1; }, seconds(10)));
  EXPECT_EQ(StopScheduler(scheduler), 0);
  const std::vector<AttemptRecord> attempts = Attempts(Runs("stubborn")[0].run_id);
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].state, "failed");
  EXPECT_NE(attempts[0].error.find("scheduler stopped"), std::string::npos) << attempts[0].error;
  EXPECT_EQ(attempts[1].state, "success");
  EXPECT_FALSE(fs::exists(dir_ / "overlap")) << "attempt 2 ran beside attempt 1's process";
  EXPECT_NE(SchedulerLog(2).find("resumed"), std::string::npos);
}

TEST_F(SchedulerDaemonTest, ARunOfSluiceRunIsLeftToItsOwnProcess) {
  WriteFile(dir_ / "dags" / "solo.yaml", "tasks:\n  - {id: a, plugin: shell, with: {command: \"true\"}}\n");
  RunRecord run;
  run.run_id = "20261207T120000-aaaaaa";
  run.dag_id = "solo";
  run.state = "running";
  run.trigger = "foreground";  // what `sluice run` records
  run.logical_date = run.data_interval_start = run.data_interval_end = run.created_at =
      "2026-12-07T12:00:00.000000Z";
  ASSERT_TRUE(Store().CreateRun(run, {"a"}).ok());
  const pid_t scheduler = StartScheduler();
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(StopScheduler(scheduler), 0);
  EXPECT_EQ(Runs("solo")[0].state, "running");
  EXPECT_TRUE(Attempts(run.run_id).empty()) << "the scheduler must not run it a second time";
}

TEST_F(SchedulerDaemonTest, SigtermLetsRunningAttemptsFinishWithinTheGrace) {
  WriteFile(dir_ / "dags" / "slow.yaml", R"(
tasks:
  - {id: slow, plugin: shell, with: {command: "sleep 1; echo done > done.txt"}}
  - {id: next, plugin: shell, depends_on: [slow], with: {command: "echo next > next.txt"}}
)");
  const pid_t scheduler = StartScheduler();
  ASSERT_EQ(Sluice("--dags dags dags trigger slow").exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return !Runs("slow").empty() && !Attempts(Runs("slow")[0].run_id).empty(); },
                      seconds(5)));
  EXPECT_EQ(StopScheduler(scheduler), 0);
  EXPECT_TRUE(fs::exists(dir_ / "done.txt")) << "the running attempt finished";
  EXPECT_FALSE(fs::exists(dir_ / "next.txt")) << "nothing new started after SIGTERM";
  const RunRecord run = Runs("slow")[0];
  EXPECT_EQ(run.state, "running") << "it resumes with the next scheduler";
  EXPECT_EQ(Attempts(run.run_id)[0].state, "success");

  const pid_t again = StartScheduler();
  EXPECT_TRUE(WaitFor([&] { return CountRuns("slow", "success") == 1; }, seconds(5)));
  EXPECT_EQ(StopScheduler(again), 0);
  EXPECT_TRUE(fs::exists(dir_ / "next.txt"));
}

TEST_F(SchedulerDaemonTest, EachNewFileStartsOneRunOnceAcrossRestarts) {
  WriteFile(dir_ / "dags" / "ingest.yaml", R"(
trigger: {files: "../incoming/*.csv"}
tasks:
  - {id: load, plugin: shell, with: {command: "echo {{ trigger_file }} >> loaded.txt"}}
)");
  fs::create_directories(dir_ / "incoming");
  WriteFile(dir_ / "incoming" / "early.csv", "a\n1\n");  // there before the scheduler
  pid_t scheduler = StartScheduler();
  ASSERT_TRUE(WaitFor([&] { return CountRuns("ingest", "success") == 1; }, seconds(5)));

  // Written in place (closed when done), moved in, a hidden partial file, another extension.
  WriteFile(dir_ / "incoming" / "b.csv", "a\n2\n");
  WriteFile(dir_ / "c.tmp", "a\n3\n");
  fs::rename(dir_ / "c.tmp", dir_ / "incoming" / "c.csv");
  WriteFile(dir_ / "incoming" / ".d.csv.partial", "a\n");
  WriteFile(dir_ / "incoming" / "notes.txt", "x\n");
  ASSERT_TRUE(WaitFor([&] { return CountRuns("ingest", "success") == 3; }, seconds(5)));
  std::this_thread::sleep_for(milliseconds(700));  // nothing more comes
  EXPECT_EQ(Runs("ingest").size(), 3u);
  EXPECT_EQ(StopScheduler(scheduler), 0);

  // While it is down: one new file. After the restart, only that one runs.
  WriteFile(dir_ / "incoming" / "e.csv", "a\n5\n");
  std::this_thread::sleep_for(milliseconds(400));  // older than the settle time at the scan
  scheduler = StartScheduler();
  ASSERT_TRUE(WaitFor([&] { return CountRuns("ingest", "success") == 4; }, seconds(5)));
  std::this_thread::sleep_for(milliseconds(700));
  EXPECT_EQ(StopScheduler(scheduler), 0);

  std::multiset<std::string> loaded;
  std::istringstream lines(ReadFile(dir_ / "loaded.txt"));
  for (std::string line; std::getline(lines, line);) loaded.insert(fs::path(line).filename().string());
  EXPECT_EQ(loaded, (std::multiset<std::string>{"early.csv", "b.csv", "c.csv", "e.csv"}));
  for (const RunRecord& r : Runs("ingest")) {
    EXPECT_EQ(r.trigger, "file");
    EXPECT_TRUE(fs::path(r.trigger_file).is_absolute() || r.trigger_file.find("incoming/") != std::string::npos)
        << r.trigger_file;
  }
}

}  // namespace
}  // namespace sluice::testing
