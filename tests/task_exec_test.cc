// `sluice task-exec` on its own, as the local launcher (and later executors) start it: the
// spec on stdin, the report channel on descriptor 3, the log on stdout/stderr.
#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

class TaskExecTest : public SluiceCliTest {
 protected:
  std::string Spec(const std::string& plugin, const std::string& config_json) {
    nlohmann::json spec = {{"dag_id", "d"},          {"run_id", "r1"},
                           {"task_id", "t"},         {"attempt", 1},
                           {"plugin", plugin},       {"config_json", config_json},
                           {"workspace_dir", "ws"},  {"output_path", "ws/t.sds"},
                           {"inputs", nlohmann::json::array()},
                           {"plugin_dirs", {SLUICE_PLUGIN_BUILD_DIR}}};
    return spec.dump();
  }
};

TEST_F(TaskExecTest, ShellPluginBecomesItsCommandAndSaysSoOnTheReportChannel) {
  WriteFile(dir_ / "spec.json", Spec("shell", R"({"command": "echo hi from $$; exit 4"})"));
  CommandResult r = Shell("exec " + std::string(SLUICE_BINARY) +
                          " task-exec < spec.json 3> report.txt > log.txt 2>&1");
  EXPECT_EQ(r.exit_code, 4) << "the command's exit code is the process's";
  const std::string report = ReadFile(dir_ / "report.txt");
  EXPECT_NE(report.find("\"exec\":true"), std::string::npos) << report;
  EXPECT_EQ(report.find("\"done\""), std::string::npos) << "no result line: the command decides";
  const std::string log = ReadFile(dir_ / "log.txt");
  EXPECT_NE(log.find("plugin shell"), std::string::npos) << log;
  EXPECT_NE(log.find("hi from"), std::string::npos) << log;
}

TEST_F(TaskExecTest, PluginFailureIsReportedAsAResultLine) {
  WriteFile(dir_ / "spec.json", Spec("extract.csv", R"({"path": "missing.csv"})"));
  CommandResult r = Shell(std::string(SLUICE_BINARY) +
                          " task-exec < spec.json 3> report.txt > log.txt 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  const auto report = nlohmann::json::parse(ReadFile(dir_ / "report.txt"));
  EXPECT_EQ(report["done"], true);
  EXPECT_EQ(report["ok"], false);
  EXPECT_NE(report["error"].get<std::string>().find("missing.csv"), std::string::npos)
      << report.dump();
}

TEST_F(TaskExecTest, UnknownPluginCannotStartAndSaysWhereItLooked) {
  WriteFile(dir_ / "spec.json", Spec("no.such", "{}"));
  CommandResult r = Shell(std::string(SLUICE_BINARY) +
                          " task-exec < spec.json 3> report.txt > log.txt 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(ReadFile(dir_ / "report.txt").find("libsluice_no_such.so"), std::string::npos);
}

}  // namespace
}  // namespace sluice::testing
