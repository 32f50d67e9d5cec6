// The attempt server's failure modes, end to end: whichever of the engine and its attempt
// server dies, no attempt is left running unrecorded and no run hangs.
#include <signal.h>

#include <chrono>
#include <thread>

#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

using nlohmann::json;

class AttemptServerTest : public SluiceCliTest {
 protected:
  // Starts `sluice run` of a DAG whose one task records its pid in slow.pid and sleeps;
  // once the task runs, executes `then` (a shell snippet; $run is sluice's pid).
  CommandResult WhileSlowTaskRuns(const std::string& then) {
    WriteFile(dir_ / "dags" / "slow.yaml", R"(
tasks:
  - {id: slow, plugin: shell, with: {command: "echo $$$$ > slow.pid; exec sleep 30"}}
)");
    return Shell(std::string(SLUICE_BINARY) + " run slow > run.out 2>&1 & run=$!; " + "for i in $(seq 100); do [ -s slow.pid ] && break; sleep 0.05; done; " + then);
  }

  // Waits until `path` exists and holds a number; returns it (0 on timeout).
  long WaitForPidFile(const std::filesystem::path& path) {
    for (int i = 0; i < 100; ++i) {
      const std::string text = ReadFile(path);
      if (!text.empty() && text.back() == '\n') return std::stol(text);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }
  // Running, as opposed to gone or a zombie waiting for whoever adopted it to reap it.
  static bool Alive(long pid) {
    const std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
    const size_t paren = stat.rfind(')');
    return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
  }
};

TEST_F(AttemptServerTest, ServerDeathFailsTheAttemptInFlightWithAClearError) {
  // The server is the only child of `sluice run` running `task-exec --server`.
  CommandResult r = WhileSlowTaskRuns(
      "killed=$(date +%s); pkill -KILL -P $run -f 'task-exec --server'; wait $run; echo $? > run.rc; "
      "echo $(( $(date +%s) - killed )) > run.seconds");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(dir_ / "run.rc"), "1\n") << ReadFile(dir_ / "run.out");
  // Noticed at once, not when the 30 s task would have ended (it must not hold the server's
  // socket open).
  EXPECT_LE(std::stoi(ReadFile(dir_ / "run.seconds")), 10);
  json run = Json("runs show " + OnlyRunId() + " --json");
  ASSERT_EQ(run["tasks"].size(), 1u);
  EXPECT_EQ(run["state"], "failed");
  const std::string error = run["tasks"][0]["attempts"][0]["error"];
  EXPECT_NE(error.find("attempt server exited"), std::string::npos) << error;
  const long sleeper = WaitForPidFile(dir_ / "slow.pid");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(Alive(sleeper)) << "the orphaned attempt is stopped, not left running";
}

TEST_F(AttemptServerTest, EngineDeathStopsItsAttempts) {
  CommandResult r = WhileSlowTaskRuns("kill -KILL $run; wait");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const long sleeper = WaitForPidFile(dir_ / "slow.pid");
  ASSERT_GT(sleeper, 0);
  bool stopped = false;
  for (int i = 0; i < 60 && !stopped; ++i) {
    stopped = !Alive(sleeper);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(stopped) << "the attempt outlived the engine that would record it";
}

}  // namespace
}  // namespace sluice::testing
