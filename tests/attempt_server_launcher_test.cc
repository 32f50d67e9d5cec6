// The attempt server launcher against a real attempt server (`sluice task-exec --server`).
#include <chrono>
#include <thread>

#include "runtime/attempt_protocol.h"
#include "runtime/attempt_server.h"
#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

class AttemptServerLauncherTest : public SluiceCliTest {
 protected:
  LaunchSpec Shell(const std::string& task, const std::string& config_json) {
    AttemptSpec spec;
    spec.dag_id = "d";
    spec.run_id = "r";
    spec.task_id = task;
    spec.plugin = "shell";
    spec.config_json = config_json;
    spec.workspace_dir = dir_.string();
    spec.output_path = (dir_ / (task + ".sds")).string();
    spec.plugin_dirs = {SLUICE_PLUGIN_BUILD_DIR};
    LaunchSpec launch;
    launch.argv = {SLUICE_BINARY, "task-exec"};
    launch.stdin_data = EncodeAttemptSpec(spec);
    launch.log_path = (dir_ / (task + ".log")).string();
    return launch;
  }
};

TEST_F(AttemptServerLauncherTest, ExitReceivedWhileAnotherLaunchFailsIsStillReported) {
  auto launcher = MakeAttemptServerLauncher(SLUICE_BINARY);
  auto quick = launcher->Launch(Shell("quick", R"({"command": "true"})"));
  ASSERT_TRUE(quick.ok()) << quick.message();
  // Let `quick` end, so its exit waits in the socket ahead of the next launch's reply.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto broken = launcher->Launch(Shell("broken", R"({"command": "true", "cwd": "no/such"})"));
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.message().find("no/such"), std::string::npos) << broken.message();
  EXPECT_EQ(launcher->running(), 1u) << "quick's exit is known but not yet handed out";
  std::vector<ProcessEvent> events = launcher->Wait(std::chrono::milliseconds(0));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].pid, *quick);
  EXPECT_TRUE(events[0].exited);
  EXPECT_EQ(events[0].exit_code, 0);
  EXPECT_EQ(launcher->running(), 0u);
}

}  // namespace
}  // namespace sluice::testing
