// Test fixture for end-to-end tests: a temporary working folder, and a way to run the real
// `sluice` binary in it and capture exit code, stdout and stderr.
#ifndef SLUICE_TESTS_SLUICE_CLI_H_
#define SLUICE_TESTS_SLUICE_CLI_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>

#include <nlohmann/json.hpp>

namespace sluice::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

/// Runs `command` with /bin/sh and returns its stdout and stderr together, without the
/// trailing newlines; for independent checkers such as tests/oracles/*.py.
inline std::string CaptureCommand(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  char buf[4096];
  while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  if (p != nullptr) ::pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

/// The task entries of `sluice runs show RUN --json`, by task id.
inline std::map<std::string, nlohmann::json> TasksById(const nlohmann::json& run) {
  std::map<std::string, nlohmann::json> out;
  for (const nlohmann::json& t : run["tasks"]) out[t["task_id"].get<std::string>()] = t;
  return out;
}

inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class SluiceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("sluice-it-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" +
            info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "dags");
  }
  void TearDown() override {
    if (HasFailure() || std::getenv("SLUICE_KEEP_TEST_DIRS")) return;
    // A process of the test may still be exiting and removing its own files (SQLite's -shm):
    // a file vanishing under remove_all is no failure of the test, so it is tried again.
    std::error_code error;
    for (int tries = 0; tries < 20; ++tries) {
      std::filesystem::remove_all(dir_, error);
      if (!error) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "cannot remove the test folder " << dir_ << ": " << error.message();
  }

  /// Runs `sluice ARGS` in the test's folder. `env` is prepended as shell assignments.
  CommandResult Sluice(const std::string& args, const std::string& env = "") {
    return Shell("env " + env + " " + SLUICE_BINARY + " " + args);
  }

  /// Runs a shell command in the test's folder, with SLUICE_HOME and SLUICE_PLUGIN_PATH set.
  CommandResult Shell(const std::string& command) {
    const std::string out = (dir_ / ".out").string(), err = (dir_ / ".err").string();
    const std::string cmd = "cd " + ShellQuote(dir_.string()) +
                            " && export SLUICE_HOME=home SLUICE_PLUGIN_PATH=" +
                            ShellQuote(plugin_path_) + " && (" + command + ") >" + out + " 2>" +
                            err;
    const int status = std::system(cmd.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = ReadFile(out);
    r.err = ReadFile(err);
    return r;
  }

  nlohmann::json Json(const std::string& args) {
    CommandResult r = Sluice(args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  /// The run id of the only run so far.
  std::string OnlyRunId() {
    nlohmann::json runs = Json("runs list --json");
    EXPECT_EQ(runs.size(), 1u);
    return runs.empty() ? "" : runs[0]["run_id"].get<std::string>();
  }

  std::filesystem::path dir_;
  std::string plugin_path_ = std::string(SLUICE_TEST_PLUGIN_DIR) + "/good";
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SLUICE_CLI_H_
