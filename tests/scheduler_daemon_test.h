// Fixture for tests of the real `sluice scheduler` process: starts it in the background in
// the test's folder, stops it by signal, and reads the state database it writes through a
// connection of its own — as a CLI verb would.
#ifndef SLUICE_TESTS_SCHEDULER_DAEMON_TEST_H_
#define SLUICE_TESTS_SCHEDULER_DAEMON_TEST_H_

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "runtime/state_store.h"
#include "runtime/time_format.h"
#include "tests/sluice_cli.h"

namespace sluice::testing {

class SchedulerDaemonTest : public SluiceCliTest {
 protected:
  void TearDown() override {
    for (pid_t pid : started_) {
      if (::kill(pid, 0) == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
    }
    if (HasFailure()) {
      for (int i = 1; i <= starts_; ++i) {
        std::cerr << "---- scheduler log " << i << " ----\n" << SchedulerLog(i) << "\n";
      }
    }
    SluiceCliTest::TearDown();
  }

  /// Starts `sluice scheduler ARGS` in the test's folder (logs in scheduler.N.log) and waits
  /// until it has loaded the folder. Returns its pid. The HTTP server gets a free port unless
  /// ARGS say --listen.
  pid_t StartScheduler(const std::string& args = "") {
    const int n = ++starts_;
    const std::string listen =
        args.find("--listen") == std::string::npos ? "--listen 127.0.0.1:0 " : "";
    const std::string command = "exec " + std::string(SLUICE_BINARY) +
                                " --dags dags scheduler --rescan 1 --grace 5 " + listen + args +
                                " >scheduler." + std::to_string(n) + ".log 2>&1";
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (::chdir(dir_.c_str()) != 0) _exit(127);
      ::setenv("SLUICE_HOME", "home", 1);
      ::setenv("SLUICE_PLUGIN_PATH", plugin_path_.c_str(), 1);
      ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    started_.push_back(pid);
    EXPECT_TRUE(WaitFor([&] { return SchedulerLog(n).find("scheduler started") != std::string::npos; },
                        std::chrono::seconds(10)))
        << SchedulerLog(n);
    return pid;
  }

  /// The port the latest scheduler serves HTTP on (its "http: listening on" line); 0 when
  /// it has not said within 10 s.
  int HttpPort() {
    const std::string marker = "http: listening on http://127.0.0.1:";
    int port = 0;
    WaitFor(
        [&] {
          const std::string log = SchedulerLog(starts_);
          const size_t at = log.find(marker);
          if (at == std::string::npos) return false;
          port = std::atoi(log.c_str() + at + marker.size());
          return port > 0;
        },
        std::chrono::seconds(10));
    return port;
  }

  /// Sends `signal` and waits for the process; returns its exit code (128+N for signal N).
  int StopScheduler(pid_t pid, int signal = SIGTERM) {
    ::kill(pid, signal);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::string SchedulerLog(int n) const {
    return ReadFile(dir_ / ("scheduler." + std::to_string(n) + ".log"));
  }

  StateStore& Store() {
    if (!store_) {
      auto opened = OpenSqliteStateStore((dir_ / "home" / "sluice.db").string());
      EXPECT_TRUE(opened.ok()) << opened.message();
      store_ = std::move(opened).value();
    }
    return *store_;
  }

  /// Runs of `dag_id`, oldest first.
  std::vector<RunRecord> Runs(const std::string& dag_id) {
    Result<std::vector<RunRecord>> runs = Store().ListRuns(dag_id, 0);
    EXPECT_TRUE(runs.ok()) << runs.message();
    std::vector<RunRecord> out = runs.ok() ? *runs : std::vector<RunRecord>();
    std::reverse(out.begin(), out.end());
    return out;
  }

  size_t CountRuns(const std::string& dag_id, const std::string& state) {
    size_t n = 0;
    for (const RunRecord& r : Runs(dag_id)) n += r.state == state ? 1 : 0;
    return n;
  }

  std::vector<AttemptRecord> Attempts(const std::string& run_id) {
    Result<std::vector<AttemptRecord>> attempts = Store().ListAttempts(run_id, "");
    EXPECT_TRUE(attempts.ok()) << attempts.message();
    return attempts.ok() ? *attempts : std::vector<AttemptRecord>();
  }

  static bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
  }

  static TimePoint Time(const std::string& utc) {
    std::optional<TimePoint> t = ParseUtc(utc);
    EXPECT_TRUE(t.has_value()) << "'" << utc << "'";
    return t.value_or(TimePoint());
  }
  static double Seconds(TimePoint a, TimePoint b) {
    return std::chrono::duration<double>(b - a).count();
  }

 private:
  std::vector<pid_t> started_;
  int starts_ = 0;
  std::unique_ptr<StateStore> store_;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SCHEDULER_DAEMON_TEST_H_
