// `sluice scheduler` killed with SIGKILL at random moments of many runs, then restarted: the
// history it leaves — its database and what the task processes themselves wrote — must show
// no run lost, no attempt running twice at once, every vanished attempt failed and retried by
// its policy, and missed schedule fires handled by the DAG's catchup rule.
//
// The moments are drawn from a seeded std::mt19937; the seed is printed, and
// SLUICE_CRASH_SEED=N replays it.
#include "tests/scheduler_daemon_test.h"

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

namespace sluice::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using SystemClock = std::chrono::system_clock;

constexpr int kRetries = 3;
// Schedulers killed at most; fewer when the machine is slow (the kills stop before end_date).
constexpr int kMostKills = 12;
// How many schedule fires (one a second) the `tick` DAG has in all: the kills go on for most
// of them, about ten kills.
constexpr int kTickFires = 18;

// `sh attempt.sh RUN TASK SECONDS`: one attempt of TASK in RUN, as every task below runs.
// It appends START and END lines to history.log under a lock, and holds the directory
// markers/RUN.TASK while it runs: finding that directory held by a live process of the same
// task and run means two attempts run at once, reported in the file `overlap`. It ignores
// SIGTERM, like a stubborn task: after a kill -9 of the scheduler (whose attempt server then
// sends SIGTERM to its attempts) only the next scheduler's SIGKILL stops it early.
constexpr const char* kAttemptScript = R"sh(trap '' TERM
run=$1 task=$2
marker=markers/$run.$task
note() { ( flock 9 && echo "$1 $(date +%s.%N)" >> history.log ) 9>> history.lock; }
if ! mkdir "$marker" 2>/dev/null; then
  # Left by an earlier attempt: stale when that attempt's process is gone (killed, or pid reused).
  other=$(cat "$marker/pid" 2>/dev/null)
  if [ -n "$other" ] &&
     tr '\0' ' ' 2>/dev/null < "/proc/$other/cmdline" | grep -qF "attempt.sh $run $task "; then
    echo "$run $task: pid $$ started while pid $other still ran" >> overlap
    exit 1
  fi
fi
echo $$ > "$marker/pid"
note "START $run $task $$"
sleep "$3"
note "END $run $task $$"
rm -rf "$marker"
)sh";

struct TaskShape {
  std::string id;
  std::string upstream;  // empty: none
  std::string seconds;   // how long its attempt sleeps
};

// The DAGs' tasks, from which their files are written and their runs checked.
const std::map<std::string, std::vector<TaskShape>>& Shapes() {
  static const auto* shapes = new std::map<std::string, std::vector<TaskShape>>{
      {"tick",
       {{"extract", "", "0.1"}, {"transform", "extract", "0.3"}, {"load", "transform", "0.05"}}},
      {"lazy", {{"fetch", "", "0.4"}, {"publish", "fetch", "0.05"}}},
      {"manual",
       {{"prepare", "", "0.2"}, {"left", "prepare", "0.15"}, {"right", "prepare", "0.25"}}},
  };
  return *shapes;
}

std::string DagYaml(const std::string& dag_id, const std::string& head) {
  std::string text =
      head + "defaults: {retries: " + std::to_string(kRetries) + ", retry_delay: 1s}\ntasks:\n";
  for (const TaskShape& t : Shapes().at(dag_id)) {
    text += "  - {id: " + t.id + ", plugin: shell, " +
            (t.upstream.empty() ? "" : "depends_on: [" + t.upstream + "], ") +
            "with: {command: \"exec sh attempt.sh {{ run_id }} " + t.id + " " + t.seconds +
            "\"}}\n";
  }
  return text;
}

std::string IsoSeconds(TimePoint t) {
  const std::time_t secs = SystemClock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// One line of history.log.
struct HistoryLine {
  std::string kind;  // START or END
  std::string run_id;
  std::string task_id;
  int64_t pid = 0;
  double at = 0;  // seconds since the epoch
};

// The complete lines of history.log (a line being appended right now is left out).
std::vector<HistoryLine> ReadHistory(const fs::path& file) {
  std::string text = ReadFile(file);
  text.erase(text.find_last_of('\n') == std::string::npos ? 0 : text.find_last_of('\n') + 1);
  std::vector<HistoryLine> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    HistoryLine h;
    fields >> h.kind >> h.run_id >> h.task_id >> h.pid >> h.at;
    EXPECT_TRUE(fields && (h.kind == "START" || h.kind == "END"))
        << "history.log: '" << line << "'";
    lines.push_back(h);
  }
  return lines;
}

// START lines without their END so far.
std::vector<HistoryLine> UnendedAttempts(const std::vector<HistoryLine>& history) {
  std::map<int64_t, HistoryLine> open;
  for (const HistoryLine& h : history) {
    if (h.kind == "START") open[h.pid] = h;
    if (h.kind == "END") open.erase(h.pid);
  }
  std::vector<HistoryLine> out;
  for (const auto& [pid, h] : open) out.push_back(h);
  return out;
}

// The attempts, among `lines` of one task and run, that started while another was running:
// between a START and the END of that process (a killed one has none), any other START.
std::vector<std::string> StartsDuringAnother(const std::vector<HistoryLine>& lines) {
  std::vector<std::string> found;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].kind != "START") continue;
    size_t end = i + 1;
    while (end < lines.size() && !(lines[end].kind == "END" && lines[end].pid == lines[i].pid)) {
      ++end;
    }
    for (size_t j = i + 1; end < lines.size() && j < end; ++j) {
      if (lines[j].kind != "START") continue;
      found.push_back("pid " + std::to_string(lines[j].pid) + " started while pid " +
                      std::to_string(lines[i].pid) + " ran (it ended later)");
    }
  }
  return found;
}

// Whether `h`'s process still runs as that attempt (its pid may have been reused since).
bool StillRunning(const HistoryLine& h) {
  std::string cmdline = ReadFile("/proc/" + std::to_string(h.pid) + "/cmdline");
  std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
  return cmdline.find("attempt.sh " + h.run_id + " " + h.task_id + " ") != std::string::npos;
}

bool SaysSchedulerStopped(const AttemptRecord& a) {
  return a.error.find("scheduler stopped") != std::string::npos;
}

class SchedulerCrashTest : public SchedulerDaemonTest {
 protected:
  /// Seeds the random moments from SLUICE_CRASH_SEED, else at random, and prints the seed.
  void Seed() {
    const char* replay = std::getenv("SLUICE_CRASH_SEED");
    seed_ = replay != nullptr ? static_cast<uint32_t>(std::strtoul(replay, nullptr, 10))
                              : std::random_device{}();
    std::cout << "[   SEED   ] SLUICE_CRASH_SEED=" << seed_ << "\n";
    RecordProperty("seed", std::to_string(seed_));
    rng_.seed(seed_);
  }

  double Uniform(double low, double high) {
    return std::uniform_real_distribution<>(low, high)(rng_);
  }
  bool Chance(double p) { return Uniform(0, 1) < p; }
  static void Sleep(double seconds) {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  }

  /// `tick` (every second, catchup) and `lazy` (every 2 s, no catchup) fire from two seconds
  /// from now for kTickFires seconds; `manual` runs only when triggered.
  void WriteDags() {
    start_ = std::chrono::ceil<seconds>(SystemClock::now()) + seconds(2);
    end_ = start_ + seconds(kTickFires - 1);
    lazy_last_ = start_ + (end_ - start_) / seconds(2) * seconds(2);
    const std::string dates =
        "start_date: \"" + IsoSeconds(start_) + "\"\nend_date: \"" + IsoSeconds(end_) + "\"\n";
    WriteFile(dir_ / "attempt.sh", kAttemptScript);
    fs::create_directories(dir_ / "markers");
    WriteFile(dir_ / "home" / "sluice.yaml", "parallelism: 8\n");
    WriteFile(dir_ / "dags" / "tick.yaml",
              DagYaml("tick",
                      "schedule: \"@every 1s\"\n" + dates + "catchup: true\nmax_active_runs: 3\n"));
    WriteFile(dir_ / "dags" / "lazy.yaml",
              DagYaml("lazy", "schedule: \"@every 2s\"\n" + dates + "catchup: false\n"));
    WriteFile(dir_ / "dags" / "manual.yaml", DagYaml("manual", "max_active_runs: 2\n"));
  }

  void TriggerManualRun() {
    CommandResult r = Sluice("--dags dags dags trigger manual");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string run_id = r.out.substr(0, r.out.find('\n'));
    if (r.exit_code == 0) triggered_.push_back(run_id);
    log_ << " trigger(" << run_id << ")";
  }

  /// No attempt that a scheduler before `restarted` recorded is still "running": the scheduler
  /// started then has settled them all.
  bool Recovered(TimePoint restarted) {
    Result<std::vector<RunRecord>> active = Store().ListActiveRuns();
    if (!active.ok()) return false;
    for (const RunRecord& run : *active) {
      for (const AttemptRecord& a : Attempts(run.run_id)) {
        if (a.state == "running" && Time(a.started_at) < restarted) return false;
      }
    }
    return true;
  }

  /// Waits up to `timeout` until the scheduler started at `restarted` has settled the
  /// attempts its predecessors left running; then none of `leftovers` (attempt processes that
  /// had not ended when it started) may run any more: it kills what outlived its predecessor
  /// before retrying it. Returns whether it settled them in time.
  bool ExpectLeftoversGone(int life, TimePoint restarted, const std::vector<HistoryLine>& leftovers,
                           milliseconds timeout) {
    if (!WaitFor([&] { return Recovered(restarted); }, std::max(timeout, milliseconds(0)))) {
      return false;
    }
    for (const HistoryLine& h : leftovers) {
      EXPECT_FALSE(StillRunning(h))
          << "life " << life << ": pid " << h.pid << " (" << h.run_id << " " << h.task_id
          << ") outlived its scheduler and still runs after the next one settled its attempt";
    }
    return true;
  }

  /// One scheduler's life: started, killed with SIGKILL after a random 0.2–1.5 s (but before
  /// end_date); a manual run may be triggered meanwhile.
  void LiveAndDie(int life) {
    const std::vector<HistoryLine> leftovers = UnendedAttempts(ReadHistory(dir_ / "history.log"));
    const TimePoint restarted = SystemClock::now();
    const pid_t scheduler = StartScheduler();
    const double lifetime = std::min(
        Uniform(0.2, 1.5),
        std::chrono::duration<double>(end_ - milliseconds(300) - SystemClock::now()).count());
    const auto death = std::chrono::steady_clock::now() + std::chrono::duration<double>(lifetime);
    log_ << "life " << life << ": " << static_cast<int>(lifetime * 1000) << " ms";
    auto left = [&] {
      return std::chrono::duration<double>(death - std::chrono::steady_clock::now());
    };
    if (!ExpectLeftoversGone(life, restarted, leftovers,
                             std::chrono::duration_cast<milliseconds>(left()))) {
      log_ << " (killed before it settled the attempts left running)";
    }
    if (Chance(0.5)) {
      Sleep(Uniform(0, std::max(0.0, left().count())));
      TriggerManualRun();
    }
    std::this_thread::sleep_until(death);
    EXPECT_EQ(StopScheduler(scheduler, SIGKILL), 128 + SIGKILL);
    kills_.push_back(SystemClock::now());
    log_ << ", killed at " << FormatUtc(kills_.back());
  }

  /// Schedulers killed one after the other until end_date is near; between some of them the
  /// scheduler stays down for a while, missing schedule fires.
  void KillAtRandomPoints() {
    TriggerManualRun();  // queued before any scheduler runs
    std::cout << "[   LIFE   ] before the first:" << log_.str() << "\n";
    log_.str("");
    for (int life = 1; life <= kMostKills && SystemClock::now() < end_ - milliseconds(1500);
         ++life) {
      LiveAndDie(life);
      if (Chance(0.35)) {
        const double down = Uniform(0.5, 2.5);
        log_ << ", down " << static_cast<int>(down * 1000) << " ms";
        Sleep(down / 2);
        if (Chance(0.5)) TriggerManualRun();
        Sleep(down / 2);
      }
      std::cout << "[   LIFE   ] " << log_.str() << "\n";
      log_.str("");
    }
  }

  /// The last scheduler, started after a downtime over end_date (the fires it missed are owed
  /// by the catchup rule): runs until no run is queued or running and every fire up to
  /// end_date has its run, then stops by SIGTERM. Gives up on a fire whose run does not come
  /// within 3 s of all else being done; the checks afterwards say which.
  void FinishEverything() {
    std::this_thread::sleep_until(end_ + milliseconds(1200));
    const std::vector<HistoryLine> leftovers = UnendedAttempts(ReadHistory(dir_ / "history.log"));
    const TimePoint restarted = SystemClock::now();
    const pid_t scheduler = StartScheduler();
    EXPECT_TRUE(ExpectLeftoversGone(kMostKills + 1, restarted, leftovers, seconds(10)));
    auto idle = [&] {
      Result<std::vector<RunRecord>> active = Store().ListActiveRuns();
      return active.ok() && active->empty() && SystemClock::now() > restarted + seconds(1);
    };
    auto last_fires_ran = [&] {
      auto has = [&](const std::string& dag, TimePoint logical) {
        for (const RunRecord& r : Runs(dag)) {
          if (r.trigger == "schedule" && Time(r.logical_date) == logical) return true;
        }
        return false;
      };
      return has("tick", end_) && has("lazy", lazy_last_);
    };
    const auto give_up = std::chrono::steady_clock::now() + seconds(60);
    bool done = false;
    while (!done) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(give_up - std::chrono::steady_clock::now());
      if (!WaitFor(idle, left)) break;
      done = last_fires_ran() && idle();
      if (!done && !WaitFor(last_fires_ran, seconds(3))) break;
    }
    EXPECT_TRUE(done) << "runs still queued or running, or the last fires have no run";
    EXPECT_EQ(StopScheduler(scheduler), 0);
  }

  /// Checks one run against its DAG's shape: each task either succeeded once, in its last
  /// attempt, after only attempts failed because the scheduler stopped; or failed for good
  /// because the scheduler stopped during all of its kRetries + 1 attempts (then its
  /// downstream never ran). Returns the tasks that failed for good.
  std::vector<std::string> CheckRun(const RunRecord& run) {
    SCOPED_TRACE("run " + run.run_id + " of " + run.dag_id);
    std::map<std::string, std::vector<AttemptRecord>> by_task;
    for (const AttemptRecord& a : Attempts(run.run_id)) by_task[a.task_id].push_back(a);
    std::map<std::string, std::string> task_states;
    Result<std::vector<TaskInstanceRecord>> instances = Store().ListTaskInstances(run.run_id);
    EXPECT_TRUE(instances.ok());
    for (const TaskInstanceRecord& t :
         instances.ok() ? *instances : std::vector<TaskInstanceRecord>()) {
      task_states[t.task_id] = t.state;
    }

    std::vector<std::string> exhausted;
    std::set<std::string> not_run;                   // exhausted tasks and their downstream
    std::map<std::string, std::string> success_end;  // task -> ended_at of its success
    for (const TaskShape& task : Shapes().at(run.dag_id)) {
      SCOPED_TRACE("task " + task.id);
      std::vector<AttemptRecord>& attempts = by_task[task.id];
      std::sort(
          attempts.begin(), attempts.end(),
          [](const AttemptRecord& a, const AttemptRecord& b) { return a.attempt < b.attempt; });
      if (not_run.count(task.upstream) != 0) {
        EXPECT_TRUE(attempts.empty()) << "it ran although its upstream failed";
        EXPECT_EQ(task_states[task.id], "upstream_failed");
        not_run.insert(task.id);
        continue;
      }
      if (attempts.empty()) {
        ADD_FAILURE() << "never attempted (" << task_states[task.id] << ")";
        continue;
      }
      EXPECT_LE(attempts.size(), static_cast<size_t>(kRetries + 1))
          << "more attempts than retries allow";
      for (size_t k = 0; k < attempts.size(); ++k) {
        const AttemptRecord& a = attempts[k];
        EXPECT_EQ(a.attempt, static_cast<int>(k + 1)) << "attempt numbers are 1..N";
        EXPECT_FALSE(a.ended_at.empty()) << "attempt " << a.attempt << " never ended";
        if (k + 1 < attempts.size()) {
          EXPECT_EQ(a.state, "failed") << "attempt " << a.attempt << " is followed by another";
          EXPECT_LE(a.ended_at, attempts[k + 1].started_at)
              << "attempts " << a.attempt << " and " << a.attempt + 1 << " overlap in time";
        }
        if (a.state == "failed") {
          EXPECT_TRUE(SaysSchedulerStopped(a)) << "attempt " << a.attempt << " failed: " << a.error;
          EXPECT_TRUE(std::any_of(
              kills_.begin(), kills_.end(),
              [&](TimePoint kill) { return Time(a.started_at) < kill && kill < Time(a.ended_at); }))
              << "attempt " << a.attempt << " failed as if the scheduler stopped, but no kill "
              << "happened between its start and its end";
        }
      }
      if (!task.upstream.empty() && success_end.count(task.upstream) != 0) {
        EXPECT_GE(attempts.front().started_at, success_end[task.upstream])
            << "it started before its upstream succeeded";
      }
      const AttemptRecord& last = attempts.back();
      if (last.state == "success") {
        success_end[task.id] = last.ended_at;
        EXPECT_EQ(task_states[task.id], "success");
      } else {
        EXPECT_EQ(last.state, "failed");
        EXPECT_EQ(attempts.size(), static_cast<size_t>(kRetries + 1))
            << "failed for good with retries left";
        EXPECT_EQ(task_states[task.id], "failed");
        exhausted.push_back(task.id);
        not_run.insert(task.id);
      }
    }
    EXPECT_EQ(run.state, exhausted.empty() ? "success" : "failed");
    return exhausted;
  }

  /// What the task processes wrote agrees with the database: no attempt started while an
  /// earlier one of the same task and run was still going; every process that ran is a
  /// recorded attempt; each success is a process that ran to its end.
  void CheckHistoryAgainstDatabase(const std::map<std::string, RunRecord>& runs) {
    std::map<std::string, std::vector<HistoryLine>> by_attempt_key;  // "run task" -> lines
    for (const HistoryLine& h : ReadHistory(dir_ / "history.log")) {
      by_attempt_key[h.run_id + " " + h.task_id].push_back(h);
    }
    for (const auto& [key, lines] : by_attempt_key) {
      SCOPED_TRACE("history of " + key);
      const std::string run_id = key.substr(0, key.find(' '));
      const std::string task_id = key.substr(key.find(' ') + 1);
      if (runs.count(run_id) == 0) {
        ADD_FAILURE() << "a process ran for a run the database does not have";
        continue;
      }
      EXPECT_EQ(StartsDuringAnother(lines), std::vector<std::string>());
      std::set<int64_t> started;
      for (const HistoryLine& h : lines) {
        if (h.kind != "START") continue;
        EXPECT_TRUE(started.insert(h.pid).second) << "pid " << h.pid << " started twice";
      }
      // Each process is a recorded attempt (an attempt killed before its pid was recorded
      // has pid 0).
      std::map<int64_t, AttemptRecord> attempt_of_pid;
      size_t unrecorded = 0;
      for (const AttemptRecord& a : Attempts(run_id)) {
        if (a.task_id != task_id) continue;
        if (a.pid == 0) ++unrecorded;
        attempt_of_pid[a.pid] = a;
        // Recorded before its process started; a success recorded after its process ended.
        for (const HistoryLine& h : lines) {
          if (h.pid != a.pid) continue;
          if (h.kind == "START") {
            EXPECT_LE(Seconds(TimePoint(), Time(a.started_at)), h.at)
                << "attempt " << a.attempt << " recorded after its process started";
          } else if (a.state == "success") {
            EXPECT_GE(Seconds(TimePoint(), Time(a.ended_at)), h.at)
                << "attempt " << a.attempt << " recorded a success before its process ended";
          }
        }
        if (a.state == "success") {
          EXPECT_TRUE(std::count_if(lines.begin(), lines.end(),
                                    [&](const HistoryLine& h) {
                                      return h.kind == "END" && h.pid == a.pid;
                                    }) == 1)
              << "attempt " << a.attempt << " succeeded but its process (pid " << a.pid
              << ") did not run to its end";
        }
      }
      for (int64_t pid : started) {
        if (attempt_of_pid.count(pid) != 0) continue;
        EXPECT_GT(unrecorded, 0u) << "pid " << pid << " ran, but no attempt has that pid";
        if (unrecorded > 0) --unrecorded;
      }
    }
  }

  TimePoint start_, end_, lazy_last_;
  std::vector<TimePoint> kills_;  // right after each SIGKILL
  std::vector<std::string> triggered_;
  std::ostringstream log_;

 private:
  uint32_t seed_ = 0;
  std::mt19937 rng_;
};

TEST_F(SchedulerCrashTest, KilledAtRandomPointsTheHistoryStaysConsistent) {
  const auto began = std::chrono::steady_clock::now();
  Seed();
  WriteDags();
  KillAtRandomPoints();
  FinishEverything();

  EXPECT_FALSE(fs::exists(dir_ / "overlap")) << ReadFile(dir_ / "overlap");
  std::map<std::string, RunRecord> all_runs;
  int failed_for_good = 0;
  for (const auto& [dag_id, shape] : Shapes()) {
    for (const RunRecord& run : Runs(dag_id)) {
      all_runs[run.run_id] = run;
      const std::vector<std::string> exhausted = CheckRun(run);
      if (exhausted.empty()) continue;
      ++failed_for_good;
      std::cout << "[ RETRIED  ] run " << run.run_id << " of " << dag_id
                << " failed: the scheduler was killed during every attempt of " << exhausted[0]
                << "\n";
    }
  }
  CheckHistoryAgainstDatabase(all_runs);

  // tick (catchup: true): one run for every second from start_date to end_date.
  std::vector<std::string> tick_dates;
  for (const RunRecord& r : Runs("tick")) {
    EXPECT_EQ(r.trigger, "schedule") << r.run_id;
    tick_dates.push_back(FormatUtc(Time(r.logical_date)));
  }
  std::sort(tick_dates.begin(), tick_dates.end());
  std::vector<std::string> every_second;
  for (TimePoint t = start_; t <= end_; t += seconds(1)) every_second.push_back(FormatUtc(t));
  EXPECT_EQ(tick_dates, every_second) << "tick: a fire without its run, or with two";

  // lazy (catchup: false): fires of its schedule, each once, up to the last before end_date.
  std::set<TimePoint> lazy_dates;
  for (const RunRecord& r : Runs("lazy")) {
    SCOPED_TRACE(r.run_id + " for " + r.logical_date);
    EXPECT_EQ(r.trigger, "schedule");
    const TimePoint logical = Time(r.logical_date);
    EXPECT_TRUE(lazy_dates.insert(logical).second) << "a fire ran twice";
    EXPECT_TRUE(logical >= start_ && logical <= end_ &&
                (logical - start_) % seconds(2) == seconds(0))
        << "not a fire of its schedule";
  }
  EXPECT_TRUE(!lazy_dates.empty() && *lazy_dates.rbegin() == lazy_last_)
      << "the last fire has no run";

  // manual: every triggered run, and no other.
  std::set<std::string> manual_ids;
  for (const RunRecord& r : Runs("manual")) {
    EXPECT_EQ(r.trigger, "manual") << r.run_id;
    manual_ids.insert(r.run_id);
  }
  EXPECT_EQ(manual_ids, std::set<std::string>(triggered_.begin(), triggered_.end()));

  std::cout << "[   DONE   ] " << all_runs.size() << " runs (" << Runs("tick").size() << " tick, "
            << Runs("lazy").size() << " lazy, " << Runs("manual").size() << " manual), "
            << failed_for_good << " failed for good, in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count()
            << " s\n";
}

// Fires owed when the scheduler starts (missed while it was down, or since a start_date in
// the past) run at once, by the catchup rule. Found by the test above, whose last restart
// follows a downtime over end_date: when this test was written, the scheduler set a loaded
// DAG's next fire to the first one after now (Scheduler::UpdateClock -> NextFire), so owed
// fires waited for the schedule's next fire — half an hour here — and were never run once
// end_date had passed.
TEST_F(SchedulerCrashTest, FiresMissedWhileDownRunAtStartNotAtTheNextFire) {
  const TimePoint start =
      std::chrono::floor<seconds>(SystemClock::now()) - std::chrono::minutes(150);
  const std::string dates = "start_date: \"" + IsoSeconds(start) + "\"\n";
  const std::string ended = "end_date: \"" + IsoSeconds(start + std::chrono::minutes(140)) + "\"\n";
  const std::string tasks = "tasks:\n  - {id: t, plugin: shell, with: {command: \"true\"}}\n";
  WriteFile(dir_ / "dags" / "every.yaml",
            "schedule: \"@every 1h\"\n" + dates + "catchup: true\n" + tasks);
  WriteFile(dir_ / "dags" / "latest.yaml",
            "schedule: \"@every 1h\"\n" + dates + "catchup: false\n" + tasks);
  WriteFile(dir_ / "dags" / "ended.yaml",
            "schedule: \"@every 1h\"\n" + dates + ended + "catchup: true\n" + tasks);
  const pid_t scheduler = StartScheduler();
  // Owed: the fires of start, start + 1h and start + 2h (the next is half an hour away).
  const bool ran = WaitFor(
      [&] {
        return CountRuns("every", "success") == 3 && CountRuns("latest", "success") == 1 &&
               CountRuns("ended", "success") == 3;
      },
      seconds(10));
  EXPECT_EQ(StopScheduler(scheduler), 0);
  EXPECT_TRUE(ran) << "runs: every " << Runs("every").size() << " (3 owed), latest "
                   << Runs("latest").size() << " (1 owed), ended " << Runs("ended").size()
                   << " (3 owed)";
  for (const char* dag : {"every", "ended"}) {
    std::vector<std::string> dates_run;
    for (const RunRecord& r : Runs(dag)) dates_run.push_back(FormatUtc(Time(r.logical_date)));
    std::sort(dates_run.begin(), dates_run.end());
    EXPECT_EQ(dates_run,
              (std::vector<std::string>{FormatUtc(start), FormatUtc(start + std::chrono::hours(1)),
                                        FormatUtc(start + std::chrono::hours(2))}))
        << dag;
  }
  const std::vector<RunRecord> latest = Runs("latest");
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(Time(latest[0].logical_date), start + std::chrono::hours(2)) << "the latest owed fire";
}

}  // namespace
}  // namespace sluice::testing
