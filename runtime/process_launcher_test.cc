#include "runtime/process_launcher.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sluice {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

class ProcessLauncherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice-launcher-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  LaunchSpec Shell(const std::string& script) {
    LaunchSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.log_path = (dir_ / "logs" / "attempt.log").string();
    return spec;
  }

  // Waits until `pid` exits, collecting every report line on the way.
  ProcessEvent WaitForExit(ProcessLauncher& launcher, int64_t pid) {
    ProcessEvent all;
    for (int i = 0; i < 1000; ++i) {
      for (ProcessEvent& ev : launcher.Wait(milliseconds(100))) {
        if (ev.pid != pid) continue;
        all.report_lines.insert(all.report_lines.end(), ev.report_lines.begin(),
                                ev.report_lines.end());
        if (ev.exited) {
          ev.report_lines = all.report_lines;
          return ev;
        }
      }
    }
    ADD_FAILURE() << "process " << pid << " did not exit";
    return all;
  }

  std::string Log() {
    std::ifstream in(dir_ / "logs" / "attempt.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
};

TEST_F(ProcessLauncherTest, ReportsExitCodeAndAppendsOutputToLog) {
  auto launcher = MakeLocalProcessLauncher();
  auto pid = launcher->Launch(Shell("echo out; echo err >&2; exit 4"));
  ASSERT_TRUE(pid.ok()) << pid.message();
  EXPECT_EQ(launcher->running(), 1u);
  ProcessEvent ev = WaitForExit(*launcher, *pid);
  EXPECT_EQ(ev.exit_code, 4);
  EXPECT_FALSE(ev.term_signal);
  EXPECT_GT(ev.peak_rss_kb, 0);
  EXPECT_EQ(Log(), "out\nerr\n");
  EXPECT_EQ(launcher->running(), 0u);
}

TEST_F(ProcessLauncherTest, NamesTheSignalThatKilledTheChild) {
  auto launcher = MakeLocalProcessLauncher();
  auto pid = launcher->Launch(Shell("kill -SEGV $$"));
  ASSERT_TRUE(pid.ok());
  ProcessEvent ev = WaitForExit(*launcher, *pid);
  EXPECT_EQ(ev.term_signal, SIGSEGV);
  EXPECT_FALSE(ev.exit_code);
  EXPECT_EQ(DescribeSignal(SIGSEGV), "SIGSEGV (segmentation fault)");
}

TEST_F(ProcessLauncherTest, DeliversStdinAndReportLinesFromDescriptorThree) {
  auto launcher = MakeLocalProcessLauncher();
  LaunchSpec spec = Shell("read line; echo \"got $line\" >&3; printf 'partial' >&3");
  spec.stdin_data = "hello\n";
  auto pid = launcher->Launch(spec);
  ASSERT_TRUE(pid.ok());
  ProcessEvent ev = WaitForExit(*launcher, *pid);
  EXPECT_EQ(ev.report_lines, (std::vector<std::string>{"got hello", "partial"}));
}

TEST_F(ProcessLauncherTest, KillReachesTheWholeProcessGroup) {
  auto launcher = MakeLocalProcessLauncher();
  const fs::path marker = dir_ / "grandchild-survived";
  fs::create_directories(dir_);
  // The grandchild would write the marker after 1 s unless the group kill reaches it.
  auto pid = launcher->Launch(Shell("(sleep 1; touch " + marker.string() + ") & sleep 30"));
  ASSERT_TRUE(pid.ok());
  launcher->Wait(milliseconds(100));
  launcher->Kill(*pid, SIGKILL);
  ProcessEvent ev = WaitForExit(*launcher, *pid);
  EXPECT_EQ(ev.term_signal, SIGKILL);
  ::usleep(1500 * 1000);
  EXPECT_FALSE(fs::exists(marker));
}

TEST_F(ProcessLauncherTest, ExitIsSeenEvenWhenAGrandchildKeepsTheReportChannelOpen) {
  auto launcher = MakeLocalProcessLauncher();
  // The background sleep inherits fd 3; the parent's exit must still be reported promptly.
  auto pid = launcher->Launch(Shell("sleep 5 & echo done >&3; exit 0"));
  ASSERT_TRUE(pid.ok());
  const auto start = std::chrono::steady_clock::now();
  ProcessEvent ev = WaitForExit(*launcher, *pid);
  EXPECT_EQ(ev.exit_code, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(ev.report_lines, (std::vector<std::string>{"done"}));
  ::kill(-static_cast<pid_t>(*pid), SIGKILL);  // the orphaned sleep
}

TEST_F(ProcessLauncherTest, MissingExecutableFailsWithItsName) {
  auto launcher = MakeLocalProcessLauncher();
  LaunchSpec spec = Shell("true");
  spec.argv = {"/nonexistent/binary"};
  auto pid = launcher->Launch(spec);
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(pid.message().find("/nonexistent/binary"), std::string::npos);
}

TEST_F(ProcessLauncherTest, WaitReturnsAtOnceWithNoChildren) {
  auto launcher = MakeLocalProcessLauncher();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(launcher->Wait(std::nullopt).empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(50));
}

}  // namespace
}  // namespace sluice
