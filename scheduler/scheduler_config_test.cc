#include "scheduler/scheduler_config.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace sluice {
namespace {

namespace fs = std::filesystem;

// The message of a config that must be refused.
std::string ErrorOf(std::string_view text) {
  Result<SchedulerConfig> config = ParseSchedulerConfig("home/sluice.yaml", text);
  EXPECT_FALSE(config.ok()) << "accepted:\n" << text;
  return config.message();
}

TEST(SchedulerConfigTest, ReadsParallelismAndPools) {
  Result<SchedulerConfig> config = ParseSchedulerConfig("home/sluice.yaml", R"(
parallelism: 8
pools:
  production_mysql: 2
  warehouse: 4
  api-quota: 1
)");
  ASSERT_TRUE(config.ok()) << config.message();
  EXPECT_EQ(config->parallelism, 8u);
  EXPECT_EQ(config->pools, (std::map<std::string, int>{{"api-quota", 1}, {"production_mysql", 2}, {"warehouse", 4}}));
  EXPECT_EQ(config->path, "home/sluice.yaml");
  EXPECT_EQ(config->PoolNames(), (std::set<std::string>{"api-quota", "production_mysql", "warehouse"}));
}

TEST(SchedulerConfigTest, EveryKeyIsOptional) {
  for (std::string_view text : {"", "# nothing set yet\n", "pools:\n", "parallelism: 3\n"}) {
    Result<SchedulerConfig> config = ParseSchedulerConfig("sluice.yaml", text);
    ASSERT_TRUE(config.ok()) << config.message();
    EXPECT_TRUE(config->pools.empty());
    EXPECT_EQ(config->path, "sluice.yaml");
  }
  EXPECT_EQ(ParseSchedulerConfig("sluice.yaml", "")->parallelism, 0u);
}

TEST(SchedulerConfigTest, BadYamlNamesTheLineAndTheFix) {
  EXPECT_EQ(ErrorOf("pools:\n  warehouse: [4\n"),
            "home/sluice.yaml:3:1: error: YAML syntax error: end of sequence flow not found \u2014 "
            "close the '[' opened on this line or above with ']'");
}

TEST(SchedulerConfigTest, TopLevelMustBeAMapping) {
  EXPECT_EQ(ErrorOf("- parallelism: 8\n"),
            "home/sluice.yaml:1:1: error: the scheduler config must be a mapping of keys such as "
            "`parallelism` and `pools`, got a list \u2014 write e.g. 'parallelism: 8' and a 'pools:' "
            "mapping below it");
}

TEST(SchedulerConfigTest, UnknownKeyGetsASuggestion) {
  EXPECT_EQ(ErrorOf("paralelism: 8\n"),
            "home/sluice.yaml:1:1: error: unknown key 'paralelism' at the top level \u2014 did you "
            "mean 'parallelism'?");
  EXPECT_EQ(ErrorOf("workers: 8\n"),
            "home/sluice.yaml:1:1: error: unknown key 'workers' at the top level \u2014 valid keys "
            "are: parallelism, pools, alerts, ui_url, workspace_retention, listen, api_token_file");
}

TEST(SchedulerConfigTest, ParallelismMustBePositive) {
  EXPECT_EQ(ErrorOf("parallelism: 0\n"),
            "home/sluice.yaml:1:14: error: `parallelism` must be a positive integer, got '0' \u2014 "
            "write a whole number of 1 or more, or remove `parallelism` to run as many attempts at "
            "once as the machine has cores");
  EXPECT_NE(ErrorOf("parallelism: many\n").find("got 'many'"), std::string::npos);
  EXPECT_NE(ErrorOf("parallelism: 2.5\n").find("got '2.5'"), std::string::npos);
}

TEST(SchedulerConfigTest, PoolSlotsMustBePositive) {
  EXPECT_EQ(ErrorOf("pools:\n  warehouse: 0\n  mysql: -2\n"),
            "home/sluice.yaml:2:14: error: `warehouse` in `pools` must be a positive integer, got "
            "'0' \u2014 give the pool 1 or more slots, the number of its tasks that may run at once, "
            "e.g. 'warehouse: 2'\n"
            "home/sluice.yaml:3:10: error: `mysql` in `pools` must be a positive integer, got '-2' "
            "\u2014 give the pool 1 or more slots, the number of its tasks that may run at once, "
            "e.g. 'mysql: 2'");
  EXPECT_NE(ErrorOf("pools:\n  warehouse:\n").find("2:3: error: `warehouse` in `pools` must be a "
                                                   "positive integer, got nothing"),
            std::string::npos);
}

TEST(SchedulerConfigTest, PoolNamesUseLettersDigitsUnderscoreAndDash) {
  EXPECT_EQ(ErrorOf("pools:\n  prod mysql: 2\n  db.main: 1\n"),
            "home/sluice.yaml:2:3: error: invalid pool name 'prod mysql' \u2014 use only letters, "
            "digits, '_' and '-', e.g. 'prod_mysql'\n"
            "home/sluice.yaml:3:3: error: invalid pool name 'db.main' \u2014 use only letters, "
            "digits, '_' and '-', e.g. 'db_main'");
}

TEST(SchedulerConfigTest, PoolsMustBeAMappingWithoutRepeats) {
  EXPECT_EQ(ErrorOf("pools: [warehouse]\n"),
            "home/sluice.yaml:1:8: error: `pools` must be a mapping of pool names to slots, got a "
            "list \u2014 write each pool on its own indented line under 'pools:', e.g. "
            "'warehouse: 4'");
  EXPECT_EQ(ErrorOf("pools:\n  warehouse: 2\n  warehouse: 3\n"),
            "home/sluice.yaml:3:3: error: duplicate pool 'warehouse' (first on line 2) \u2014 "
            "remove one of them");
}

TEST(SchedulerConfigTest, ReportsEveryProblemInFileOrder) {
  EXPECT_EQ(ErrorOf("pools:\n  a b: 1\n  c: 0\nparallelism: -1\nextra: 1\n"),
            "home/sluice.yaml:2:3: error: invalid pool name 'a b' \u2014 use only letters, digits, "
            "'_' and '-', e.g. 'a_b'\n"
            "home/sluice.yaml:3:6: error: `c` in `pools` must be a positive integer, got '0' \u2014 "
            "give the pool 1 or more slots, the number of its tasks that may run at once, e.g. "
            "'c: 2'\n"
            "home/sluice.yaml:4:14: error: `parallelism` must be a positive integer, got '-1' "
            "\u2014 write a whole number of 1 or more, or remove `parallelism` to run as many "
            "attempts at once as the machine has cores\n"
            "home/sluice.yaml:5:1: error: unknown key 'extra' at the top level \u2014 valid keys "
            "are: parallelism, pools, alerts, ui_url, workspace_retention, listen, api_token_file");
}

class SchedulerConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice-config-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(SchedulerConfigFileTest, AMissingFileGivesTheDefaults) {
  Result<SchedulerConfig> config = LoadSchedulerConfig((dir_ / "sluice.yaml").string());
  ASSERT_TRUE(config.ok()) << config.message();
  EXPECT_EQ(config->parallelism, 0u);
  EXPECT_TRUE(config->pools.empty());
  EXPECT_EQ(config->path, "");
  EXPECT_TRUE(LoadSchedulerConfig((dir_ / "no" / "such" / "sluice.yaml").string()).ok());
}

TEST_F(SchedulerConfigFileTest, ReadsTheFileAndRemembersItsPath) {
  const std::string path = (dir_ / "sluice.yaml").string();
  std::ofstream(path) << "parallelism: 2\npools:\n  warehouse: 4\n";
  Result<SchedulerConfig> config = LoadSchedulerConfig(path);
  ASSERT_TRUE(config.ok()) << config.message();
  EXPECT_EQ(config->parallelism, 2u);
  EXPECT_EQ(config->pools.at("warehouse"), 4);
  EXPECT_EQ(config->path, path);
}

TEST_F(SchedulerConfigFileTest, ErrorsNameTheFile) {
  const std::string path = (dir_ / "sluice.yaml").string();
  std::ofstream(path) << "pools:\n  warehouse: none\n";
  Result<SchedulerConfig> config = LoadSchedulerConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.message().rfind(path + ":2:14: error: `warehouse` in `pools` must be a positive integer", 0), 0u)
      << config.message();
}

TEST_F(SchedulerConfigFileTest, AFolderInPlaceOfTheFileIsAnError) {
  const std::string path = (dir_ / "sluice.yaml").string();
  fs::create_directories(path);
  Result<SchedulerConfig> config = LoadSchedulerConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.message(), path + ": error: the scheduler config is a folder, not a file \u2014 "
                                     "remove or rename the folder");
}

TEST_F(SchedulerConfigFileTest, AnUnreadableFileIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every file";
  const std::string path = (dir_ / "sluice.yaml").string();
  std::ofstream(path) << "parallelism: 2\n";
  fs::permissions(path, fs::perms::none);
  Result<SchedulerConfig> config = LoadSchedulerConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.message(), path + ": error: cannot read the scheduler config: Permission denied "
                                     "\u2014 check that the file is readable, or remove it to use "
                                     "the defaults");
}

TEST(SchedulerConfigTest, ReadsGlobalAlertRoutesAndTheUiUrl) {
  Result<SchedulerConfig> config = ParseSchedulerConfig("home/sluice.yaml", R"(
ui_url: https://sluice.example.com
alerts:
  - {webhook: "${SLACK_WEBHOOK_URL}", on: [failure, retry, recovery]}
  - webhook: file:/run/secrets/ops_hook
    on: dag_broken
    template: '{"msg": "{{ dag }} {{ kind }}"}'
)");
  ASSERT_TRUE(config.ok()) << config.message();
  EXPECT_EQ(config->ui_url, "https://sluice.example.com");
  ASSERT_EQ(config->alerts.size(), 2u);
  EXPECT_EQ(config->alerts[0].webhook, "${SLACK_WEBHOOK_URL}");
  EXPECT_EQ(config->alerts[0].on, (std::vector<std::string>{"failure", "retry", "recovery"}));
  EXPECT_EQ(config->alerts[0].template_json, "");
  EXPECT_EQ(config->alerts[1].webhook, "file:/run/secrets/ops_hook");
  EXPECT_EQ(config->alerts[1].on, (std::vector<std::string>{"dag_broken"}));
  EXPECT_EQ(config->alerts[1].template_json, R"({"msg": "{{ dag }} {{ kind }}"})");
  Result<SchedulerConfig> defaults = ParseSchedulerConfig("sluice.yaml", "");
  EXPECT_EQ(defaults->ui_url, "http://127.0.0.1:8080");
  EXPECT_TRUE(defaults->alerts.empty());
}

TEST(SchedulerConfigTest, ALiteralWebhookUrlIsRefusedWithoutRepeatingIt) {
  const std::string message = ErrorOf(R"(
alerts:
  - webhook: https://hooks.slack.com/services/T0/B0/SECRETTOKEN
    on: [failure]
)");
  EXPECT_NE(message.find("home/sluice.yaml:3:14: error: `webhook` in `alerts` entry 1"), std::string::npos)
      << message;
  EXPECT_NE(message.find("environment variable"), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRETTOKEN"), std::string::npos) << "a secret is never echoed: " << message;
}

TEST(SchedulerConfigTest, AlertRouteProblemsNameTheLineAndTheFix) {
  const std::string message = ErrorOf(R"(alerts:
  - webhook: "${HOOK}"
    on: [failur, success]
  - on: [retry]
  - webhook: "${HOOK}"
    on: [failure]
    template: '{"msg": "{{ dagg }}"}'
  - webhook: "${HOOK}"
    on: [failure]
    channel: ops
  - just text
ui_url: localhost:8080
)");
  for (const char* expected : {
           "home/sluice.yaml:3:10: error: unknown event kind 'failur' in `alerts` entry 1 in the "
           "scheduler config — did you mean 'failure'?",
           "home/sluice.yaml:4:5: error: no `webhook` in `alerts` entry 2 in the scheduler config",
           "home/sluice.yaml:7:15: error: `template` in `alerts` entry 3",
           "'{{ dagg }}'",
           "home/sluice.yaml:10:5: error: unknown key 'channel' in `alerts` entry 4",
           "home/sluice.yaml:11:5: error: the route in `alerts` entry 5",
           "home/sluice.yaml:12:9: error: `ui_url` must start with http:// or https://",
       }) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\nin:\n" << message;
  }
  EXPECT_NE(ErrorOf("alerts: {webhook: x}\n").find("`alerts` in the scheduler config must be a list"),
            std::string::npos);
}

TEST(SchedulerConfigTest, WorkspaceRetentionIsADurationOfSevenDaysByDefaultAndNeverZero) {
  Result<SchedulerConfig> defaults = ParseSchedulerConfig("home/sluice.yaml", "");
  ASSERT_TRUE(defaults.ok()) << defaults.message();
  EXPECT_EQ(defaults->workspace_retention, std::chrono::hours(7 * 24));
  Result<SchedulerConfig> month = ParseSchedulerConfig("home/sluice.yaml", "workspace_retention: 30d\n");
  ASSERT_TRUE(month.ok()) << month.message();
  EXPECT_EQ(month->workspace_retention, std::chrono::hours(30 * 24));
  Result<SchedulerConfig> zero =
      ParseSchedulerConfig("home/sluice.yaml", "parallelism: 2\nworkspace_retention: 0s\n");
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.message().find("home/sluice.yaml:2:"), std::string::npos) << zero.message();
  EXPECT_NE(zero.message().find("e.g. 7d"), std::string::npos) << zero.message();
  Result<SchedulerConfig> words = ParseSchedulerConfig("home/sluice.yaml", "workspace_retention: a week\n");
  ASSERT_FALSE(words.ok());
  EXPECT_NE(words.message().find("must be a duration"), std::string::npos) << words.message();
}

TEST(SchedulerConfigTest, ListenIsLoopbackByDefaultAndTakesHostPortOrOff) {
  Result<SchedulerConfig> defaults = ParseSchedulerConfig("home/sluice.yaml", "");
  ASSERT_TRUE(defaults.ok()) << defaults.message();
  EXPECT_EQ(defaults->listen, "127.0.0.1:8080");
  EXPECT_EQ(defaults->api_token_file, "");
  for (const char* listen : {"0.0.0.0:9090", ":8081", "[::1]:0", "off"}) {
    Result<SchedulerConfig> config =
        ParseSchedulerConfig("home/sluice.yaml", std::string("listen: \"") + listen + "\"\n");
    ASSERT_TRUE(config.ok()) << listen << ": " << config.message();
    EXPECT_EQ(config->listen, listen);
  }
  // Unquoted, YAML 1.1 would read a boolean: the word is kept as written.
  Result<SchedulerConfig> off = ParseSchedulerConfig("home/sluice.yaml", "listen: off\n");
  ASSERT_TRUE(off.ok()) << off.message();
  EXPECT_EQ(off->listen, "off");
  Result<SchedulerConfig> token =
      ParseSchedulerConfig("home/sluice.yaml", "api_token_file: secrets/api-token\n");
  ASSERT_TRUE(token.ok()) << token.message();
  EXPECT_EQ(token->api_token_file, "secrets/api-token");
}

TEST(SchedulerConfigTest, AListenWithoutAPortIsRefusedAtItsLine) {
  EXPECT_EQ(ErrorOf("parallelism: 2\nlisten: localhost\n"),
            "home/sluice.yaml:2:9: error: `listen`: 'localhost' is not HOST:PORT: it has no port "
            "\u2014 write HOST:PORT, e.g. 'listen: 127.0.0.1:8080' (port 0: any free port), or "
            "'listen: off' for no HTTP server");
  EXPECT_NE(ErrorOf("listen: \"host:99999\"\n").find("'99999' is not a port (0-65535)"),
            std::string::npos);
  EXPECT_NE(ErrorOf("listen: [a, b]\n").find("`listen` must be HOST:PORT, got a list"),
            std::string::npos);
  EXPECT_NE(ErrorOf("api_token_file: {a: b}\n").find("`api_token_file` must be a file path"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice
