// `sluice run` end to end: real task-exec processes, real plugins, real SQLite history.
#include <map>

#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

using nlohmann::json;


class RunCommandTest : public SluiceCliTest {};

TEST_F(RunCommandTest, CrashingPluginFailsOnlyItsAttemptAndNamesTheCause) {
  WriteFile(dir_ / "dags" / "crashes.yaml", R"(
tasks:
  - {id: segv, plugin: test.crashy, with: {mode: segv}}
  - {id: after_segv, plugin: shell, depends_on: [segv], with: {command: "true"}}
  - {id: abort, plugin: test.crashy, with: {mode: abort}}
  - {id: quits, plugin: test.crashy, with: {mode: exit, code: 3}}
  - {id: fails, plugin: test.crashy, with: {mode: fail}}
  - {id: fine, plugin: test.crashy, with: {mode: ok}}
  - {id: after_fine, plugin: shell, depends_on: [fine], with: {command: "echo downstream ran"}}
)");
  // Under AddressSanitizer its own SIGSEGV handler would turn the crash into exit(1);
  // let the signal through as it would be in production. Other builds ignore the variable.
  CommandResult r = Sluice("run crashes", "ASAN_OPTIONS=handle_segv=0");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto tasks = TasksById(Json("runs show " + OnlyRunId() + " --json"));
  auto error_of = [&](const std::string& id) {
    return tasks[id]["attempts"][0]["error"].get<std::string>();
  };
  EXPECT_EQ(tasks["segv"]["state"], "failed");
  EXPECT_NE(error_of("segv").find("SIGSEGV"), std::string::npos) << error_of("segv");
  EXPECT_EQ(tasks["segv"]["attempts"][0]["signal"], 11);
  EXPECT_EQ(tasks["after_segv"]["state"], "upstream_failed");
  EXPECT_TRUE(tasks["after_segv"]["attempts"].empty()) << "an upstream_failed task never runs";
  EXPECT_NE(error_of("abort").find("SIGABRT"), std::string::npos) << error_of("abort");
  EXPECT_NE(error_of("quits").find("exited with code 3"), std::string::npos) << error_of("quits");
  EXPECT_EQ(tasks["quits"]["attempts"][0]["exit_code"], 3);
  EXPECT_EQ(error_of("fails"), "asked to fail");
  EXPECT_EQ(tasks["fine"]["state"], "success");
  EXPECT_EQ(tasks["after_fine"]["state"], "success") << "independent branches go on";
}

TEST_F(RunCommandTest, ShellCommandOutcomeNamesExitCodeSignalAndFolder) {
  std::filesystem::create_directories(dir_ / "sub");
  WriteFile(dir_ / "dags" / "shells.yaml", R"(
tasks:
  - {id: exits, plugin: shell, with: {command: "exit 3"}}
  - {id: killed, plugin: shell, with: {command: "kill -9 $$$$"}}  # $$ is a literal $
  - {id: nowhere, plugin: shell, with: {command: "true", cwd: no/such/folder}}
  - {id: located, plugin: shell, with: {command: "pwd; echo $GREETING", cwd: sub, env: {GREETING: olá}}}
)");
  CommandResult r = Sluice("run shells");
  EXPECT_EQ(r.exit_code, 1);
  const std::string run_id = OnlyRunId();
  auto tasks = TasksById(Json("runs show " + run_id + " --json"));
  auto error_of = [&](const std::string& id) {
    return tasks[id]["attempts"][0]["error"].get<std::string>();
  };
  EXPECT_EQ(error_of("exits"), "command exited with code 3");
  EXPECT_EQ(tasks["exits"]["attempts"][0]["exit_code"], 3);
  EXPECT_EQ(error_of("killed"), "command was killed by SIGKILL (killed)");
  EXPECT_NE(error_of("nowhere").find("no/such/folder"), std::string::npos) << error_of("nowhere");
  EXPECT_EQ(tasks["located"]["state"], "success");
  const std::string log = Sluice("tasks logs " + run_id + " located").out;
  EXPECT_NE(log.find((dir_ / "sub").string() + "\nolá\n"), std::string::npos) << log;
}

TEST_F(RunCommandTest, ShellOutputAndParamsReachTheAttemptLog) {
  WriteFile(dir_ / "dags" / "hello.yaml", R"(
params:
  who: nobody
tasks:
  - id: greet
    plugin: shell
    with:
      command: echo "hello from {{ params.who }} in run {{ run_id }}"
)");
  CommandResult r = Sluice("run hello --param who=tester");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string run_id = OnlyRunId();
  CommandResult logs = Sluice("tasks logs " + run_id + " greet");
  EXPECT_EQ(logs.exit_code, 0) << logs.err;
  EXPECT_NE(logs.out.find("hello from tester in run " + run_id), std::string::npos) << logs.out;
  json run = Json("runs show " + run_id + " --json");
  EXPECT_EQ(run["params"]["who"], "tester");
}

TEST_F(RunCommandTest, RetriedTaskKeepsEveryAttemptAndItsLog) {
  WriteFile(dir_ / "dags" / "flaky.yaml", R"(
tasks:
  - id: flaky
    plugin: test.crashy
    retries: 2
    retry_delay: 10ms
    with: {mode: flaky, fail_times: 2, counter_file: counter.txt}
)");
  CommandResult r = Sluice("run flaky");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string run_id = OnlyRunId();
  auto tasks = TasksById(Json("runs show " + run_id + " --json"));
  ASSERT_EQ(tasks["flaky"]["attempts"].size(), 3u);
  EXPECT_EQ(tasks["flaky"]["attempts"][0]["state"], "failed");
  EXPECT_EQ(tasks["flaky"]["attempts"][2]["state"], "success");
  EXPECT_NE(Sluice("tasks logs " + run_id + " flaky --attempt 2").out.find("flaky failure 2"),
            std::string::npos);
  EXPECT_EQ(Sluice("tasks logs " + run_id + " flaky --attempt 3").out.find("flaky failure"),
            std::string::npos);
  EXPECT_EQ(Sluice("tasks logs " + run_id + " flaky --attempt 4").exit_code, 2);
}

TEST_F(RunCommandTest, TimeoutKillsTheAttemptAndRecordsTimedOut) {
  WriteFile(dir_ / "dags" / "slow.yaml", R"(
tasks:
  - {id: slow, plugin: test.crashy, timeout: 300ms, with: {mode: sleep, seconds: 30}}
)");
  const auto start = std::chrono::steady_clock::now();
  CommandResult r = Sluice("run slow");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 1);
  auto tasks = TasksById(Json("runs show " + OnlyRunId() + " --json"));
  EXPECT_EQ(tasks["slow"]["attempts"][0]["state"], "timed_out");
  EXPECT_EQ(tasks["slow"]["attempts"][0]["signal"], 15) << "SIGTERM ends it within the grace";
}

TEST_F(RunCommandTest, InvalidInputExitsTwoAndRunsNothing) {
  WriteFile(dir_ / "dags" / "ok.yaml", "params: {a: x}\ntasks: [{id: t, plugin: shell, with: {command: 'true'}}]\n");
  WriteFile(dir_ / "dags" / "broken.yaml", "tasks:\n  - id: t\n    plugin: shell\n    dependson: [x]\n");
  CommandResult unknown_param = Sluice("run ok --param b=1");
  EXPECT_EQ(unknown_param.exit_code, 2);
  EXPECT_NE(unknown_param.err.find("unknown param 'b'"), std::string::npos) << unknown_param.err;
  CommandResult broken = Sluice("run broken");
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("broken.yaml:4:5: error:"), std::string::npos) << broken.err;
  CommandResult missing = Sluice("run nosuchdag");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("known DAGs:"), std::string::npos) << missing.err;
  EXPECT_EQ(Sluice("runs list --json").out, "[]\n");
}

TEST_F(RunCommandTest, EnvironmentValuesAreRedactedFromLogAndError) {
  WriteFile(dir_ / "dags" / "secret.yaml", R"(
tasks:
  - id: leaky
    plugin: shell
    with:
      command: "echo connecting with ${SLUICE_TEST_TOKEN}; echo bad token ${SLUICE_TEST_TOKEN} >&2; exit 1"
)");
  CommandResult r = Sluice("run secret", "SLUICE_TEST_TOKEN=tok-8f3a91c2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("tok-8f3a91c2"), std::string::npos) << r.out;
  const std::string run_id = OnlyRunId();
  const std::string log = Sluice("tasks logs " + run_id + " leaky").out;
  EXPECT_EQ(log.find("tok-8f3a91c2"), std::string::npos) << log;
  EXPECT_NE(log.find("connecting with ***"), std::string::npos) << log;
  EXPECT_EQ(Sluice("runs show " + run_id + " --json").out.find("tok-8f3a91c2"), std::string::npos);
}

TEST_F(RunCommandTest, PlainLinesWhenNotOnATerminal) {
  WriteFile(dir_ / "dags" / "two.yaml", R"(
tasks:
  - {id: first, plugin: shell, with: {command: "true"}}
  - {id: second, plugin: shell, depends_on: [first], with: {command: "true"}}
)");
  CommandResult r = Sluice("run two");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("first running (attempt 1/1)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("second success in"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no terminal escapes in a pipe";
  EXPECT_NE(r.out.find("success in"), std::string::npos);
}

TEST_F(RunCommandTest, LiveTableOnATerminal) {
  WriteFile(dir_ / "dags" / "two.yaml", R"(
tasks:
  - {id: first, plugin: shell, with: {command: "sleep 0.3"}}
  - {id: second, plugin: shell, depends_on: [first], with: {command: "true"}}
)");
  // script(1) gives sluice a pseudo-terminal, as a user's shell would.
  CommandResult r = Shell("TERM=xterm script -qec " +
                          ShellQuote(std::string(SLUICE_BINARY) + " run two") + " /dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\033[2K"), std::string::npos) << "redraws lines in place";
  EXPECT_NE(r.out.find("second"), std::string::npos);
  EXPECT_NE(r.out.find("of two success"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("success"), std::string::npos);
}

}  // namespace
}  // namespace sluice::testing
