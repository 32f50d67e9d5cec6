#include "run_command.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace sluice::shell {
namespace {

namespace fs = std::filesystem;

class RunShellCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice-shell-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string ReadFile(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
};

TEST_F(RunShellCommandTest, ExitZeroSucceeds) {
  EXPECT_EQ(RunShellCommand({"true", {}, ""}), std::nullopt);
}

TEST_F(RunShellCommandTest, NonZeroExitFailsNamingTheCode) {
  EXPECT_EQ(RunShellCommand({"exit 3", {}, ""}), "command exited with code 3");
}

TEST_F(RunShellCommandTest, DeathBySignalNamesTheSignal) {
  EXPECT_EQ(RunShellCommand({"kill -9 $$", {}, ""}), "command was killed by signal SIGKILL");
}

TEST_F(RunShellCommandTest, CommandIsPassedToTheShellUnquoted) {
  const fs::path out = dir_ / "out.txt";
  ASSERT_EQ(RunShellCommand({"printf '%s|' a 'b c' | tr '|' ';' > '" + out.string() + "'", {}, ""}),
            std::nullopt);
  EXPECT_EQ(ReadFile(out), "a;b c;");
}

TEST_F(RunShellCommandTest, EnvValuesReachTheCommandAndReplaceInheritedOnes) {
  ASSERT_EQ(setenv("SLUICE_SHELL_TEST_OLD", "inherited", 1), 0);
  const fs::path out = dir_ / "env.txt";
  const ShellCommand command{
      "printf '%s %s %s' \"$GREETING\" \"$SLUICE_SHELL_TEST_OLD\" \"$HOME\" > '" + out.string() + "'",
      {{"GREETING", "hello world"}, {"SLUICE_SHELL_TEST_OLD", "replaced"}},
      ""};
  ASSERT_EQ(RunShellCommand(command), std::nullopt);
  const char* home = getenv("HOME");
  EXPECT_EQ(ReadFile(out), std::string("hello world replaced ") + (home ? home : ""))
      << "added values are seen, inherited ones are kept unless replaced";
  ASSERT_EQ(unsetenv("SLUICE_SHELL_TEST_OLD"), 0);
}

TEST_F(RunShellCommandTest, CwdIsHonoured) {
  ASSERT_EQ(RunShellCommand({"pwd -P > where.txt", {}, dir_.string()}), std::nullopt);
  EXPECT_EQ(ReadFile(dir_ / "where.txt"), fs::canonical(dir_).string() + "\n");
}

TEST_F(RunShellCommandTest, WithoutCwdRunsInTheCurrentFolder) {
  const fs::path before = fs::current_path();
  fs::current_path(dir_);
  const auto result = RunShellCommand({"pwd -P > here.txt", {}, ""});
  fs::current_path(before);
  ASSERT_EQ(result, std::nullopt);
  EXPECT_EQ(ReadFile(dir_ / "here.txt"), fs::canonical(dir_).string() + "\n");
}

TEST_F(RunShellCommandTest, MissingCwdFailsSayingSo) {
  const std::string missing = (dir_ / "no-such-folder").string();
  const auto result = RunShellCommand({"true", {}, missing});
  ASSERT_NE(result, std::nullopt);
  EXPECT_EQ(*result, "cwd '" + missing +
                         "' does not exist (No such file or directory); create it or fix `cwd:`");
}

TEST_F(RunShellCommandTest, CwdThatIsAFileFailsSayingSo) {
  const fs::path file = dir_ / "file";
  { std::ofstream(file) << "x"; }
  const auto result = RunShellCommand({"true", {}, file.string()});
  ASSERT_NE(result, std::nullopt);
  EXPECT_EQ(*result, "cwd '" + file.string() + "' is not a folder; fix `cwd:`");
}

TEST_F(RunShellCommandTest, SigpipeIgnoredByTheHostIsDefaultInTheCommand) {
  // Were SIG_IGN inherited, a writer in `producer | head` would see EPIPE errors instead of
  // ending quietly, and the shell could not even restore the default.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous {};
  ASSERT_EQ(sigaction(SIGPIPE, &ignore, &previous), 0);
  const auto result = RunShellCommand({"kill -PIPE $$", {}, ""});
  ASSERT_EQ(sigaction(SIGPIPE, &previous, nullptr), 0);
  EXPECT_EQ(result, "command was killed by signal SIGPIPE");
}

}  // namespace
}  // namespace sluice::shell
