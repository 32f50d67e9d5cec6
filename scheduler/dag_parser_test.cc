// The DAG-level keys the scheduler daemon reads (catchup, max_active_runs, max_active_tasks,
// trigger) and task pools, through the loader. The other keys are covered by
// dag_loader_test.cc and the corpus in tests/dags/.
#include <set>

#include <gtest/gtest.h>

#include "scheduler/dag_loader.h"
#include "scheduler/fake_plugin_catalog_test_util.h"

namespace sluice {
namespace {

std::string Lines(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

constexpr std::string_view kTask = "tasks:\n  - {id: a, plugin: shell, with: {command: x}}\n";

DagLoadResult Load(const std::string& text, const std::string& path = "/dags/sales.yaml",
                   const std::set<std::string>* declared_pools = nullptr) {
  return LoadDagText(path, text, CorpusPluginCatalog(), declared_pools);
}

// The diagnostics of `text` followed by the one task every DAG needs.
std::string ErrorsOf(const std::string& text) { return Lines(Load(text + std::string(kTask)).diagnostics); }

TEST(DagParserTest, SchedulerKeysHaveTheirDefaults) {
  const DagLoadResult result = Load(std::string(kTask));
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  EXPECT_FALSE(result.dag->catchup);
  EXPECT_EQ(result.dag->max_active_runs, 1);
  EXPECT_EQ(result.dag->max_active_tasks, 16);
  EXPECT_FALSE(result.dag->file_trigger.has_value());
  EXPECT_EQ(result.dag->tasks[0].pool, "");
}

TEST(DagParserTest, ReadsCatchupAndTheActiveLimits) {
  const DagLoadResult result =
      Load("catchup: true\nmax_active_runs: 3\nmax_active_tasks: 4\n" + std::string(kTask));
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  EXPECT_TRUE(result.dag->catchup);
  EXPECT_EQ(result.dag->max_active_runs, 3);
  EXPECT_EQ(result.dag->max_active_tasks, 4);
  EXPECT_FALSE(Load("catchup: False\n" + std::string(kTask)).dag->catchup);
}

TEST(DagParserTest, CatchupMustBeTrueOrFalse) {
  const std::string fix =
      " \u2014 write 'catchup: true' to run every interval missed while the scheduler was down, or "
      "'catchup: false' to run only the latest\n";
  EXPECT_EQ(ErrorsOf("dag: x\ncatchup: yes\n"),
            "/dags/sales.yaml:2:10: error: `catchup` must be true or false, got 'yes'" + fix);
  EXPECT_EQ(ErrorsOf("catchup: \"true\"\n"),
            "/dags/sales.yaml:1:10: error: `catchup` must be true or false, got 'true'" + fix);
  EXPECT_EQ(ErrorsOf("catchup:\n"),
            "/dags/sales.yaml:1:1: error: `catchup` must be true or false, got nothing" + fix);
}

TEST(DagParserTest, MaxActiveRunsMustBeAPositiveInteger) {
  const std::string fix = " \u2014 write a whole number of 1 or more, such as 1 for one run at a time\n";
  EXPECT_EQ(ErrorsOf("\nmax_active_runs: 0\n"),
            "/dags/sales.yaml:2:18: error: `max_active_runs` must be a positive integer, got '0'" + fix);
  EXPECT_EQ(ErrorsOf("max_active_runs: -2\n"),
            "/dags/sales.yaml:1:18: error: `max_active_runs` must be a positive integer, got '-2'" + fix);
  EXPECT_EQ(ErrorsOf("max_active_runs: 1.5\n"),
            "/dags/sales.yaml:1:18: error: `max_active_runs` must be a positive integer, got '1.5'" + fix);
  EXPECT_EQ(ErrorsOf("max_active_runs: [1]\n"),
            "/dags/sales.yaml:1:18: error: `max_active_runs` must be a positive integer, got a list" + fix);
}

TEST(DagParserTest, MaxActiveTasksMustBeAPositiveInteger) {
  EXPECT_EQ(ErrorsOf("dag: x\n\nmax_active_tasks: many\n"),
            "/dags/sales.yaml:3:19: error: `max_active_tasks` must be a positive integer, got "
            "'many' \u2014 write a whole number of 1 or more, such as 16\n");
  EXPECT_EQ(ErrorsOf("max_active_tasks: 99999999999\n"),
            "/dags/sales.yaml:1:19: error: `max_active_tasks` must be a positive integer, got "
            "'99999999999' \u2014 write a whole number of 1 or more, such as 16\n");
}

TEST(DagParserTest, ARelativeFileTriggerIsResolvedAgainstTheDagsFolder) {
  const DagLoadResult result = Load(
      "schedule: \"@daily\"\ntrigger:\n  files: \"incoming/*.csv\"\n" + std::string(kTask),
      "/etc/sluice/dags/sales.yaml");
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  EXPECT_EQ(result.dag->schedule, "@daily");  // both may be set
  ASSERT_TRUE(result.dag->file_trigger.has_value());
  const FileTriggerSpec& trigger = *result.dag->file_trigger;
  EXPECT_EQ(trigger.pattern, "/etc/sluice/dags/incoming/*.csv");
  EXPECT_EQ(trigger.as_written, "incoming/*.csv");
  EXPECT_EQ(trigger.directory, "/etc/sluice/dags/incoming");
  EXPECT_EQ(trigger.name_glob, "*.csv");
  EXPECT_EQ(trigger.line, 3);
}

TEST(DagParserTest, AFileTriggerStaysRelativeWhenTheDagPathIs) {
  const DagLoadResult result =
      Load("trigger: {files: \"../landing/./orders-????.csv\"}\n" + std::string(kTask), "dags/sales.yaml");
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  EXPECT_EQ(result.dag->file_trigger->pattern, "landing/orders-????.csv");
  EXPECT_EQ(result.dag->file_trigger->directory, "landing");
  EXPECT_EQ(result.dag->file_trigger->line, 1);
}

TEST(DagParserTest, AnAbsoluteFileTriggerAndASingleFileAreKept) {
  const DagLoadResult result = Load("trigger: {files: /data/in/today.csv}\n" + std::string(kTask));
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  EXPECT_EQ(result.dag->file_trigger->pattern, "/data/in/today.csv");
  EXPECT_EQ(result.dag->file_trigger->name_glob, "today.csv");
}

TEST(DagParserTest, TriggerMustBeAMappingWithFiles) {
  const std::string form = " \u2014 write 'trigger: {files: \"incoming/*.csv\"}'\n";
  EXPECT_EQ(ErrorsOf("trigger: incoming/*.csv\n"),
            "/dags/sales.yaml:1:10: error: `trigger` must be a mapping, got 'incoming/*.csv'" + form);
  EXPECT_EQ(ErrorsOf("trigger:\n"), "/dags/sales.yaml:1:1: error: `trigger` must be a mapping, got nothing" + form);
  EXPECT_EQ(ErrorsOf("dag: x\ntrigger: {}\n"),
            "/dags/sales.yaml:2:1: error: `trigger` has no `files` \u2014 name the files whose "
            "arrival starts a run, e.g. 'files: \"incoming/*.csv\"'\n");
  EXPECT_EQ(ErrorsOf("trigger:\n  files: [a/*.csv, b/*.csv]\n"),
            "/dags/sales.yaml:2:10: error: `files` in `trigger` must be a file pattern, got a list" + form);
}

TEST(DagParserTest, UnknownTriggerKeysGetASuggestion) {
  EXPECT_EQ(ErrorsOf("trigger:\n  file: \"in/*.csv\"\n"),
            "/dags/sales.yaml:1:1: error: `trigger` has no `files` \u2014 name the files whose "
            "arrival starts a run, e.g. 'files: \"incoming/*.csv\"'\n"
            "/dags/sales.yaml:2:3: error: unknown key 'file' in `trigger` \u2014 did you mean "
            "'files'?\n");
  EXPECT_EQ(ErrorsOf("trigger:\n  files: \"in/*.csv\"\n  cron: x\n"),
            "/dags/sales.yaml:3:3: error: unknown key 'cron' in `trigger` \u2014 valid keys are: files\n");
}

TEST(DagParserTest, BadFilePatternsAreReportedAtTheirValue) {
  EXPECT_EQ(ErrorsOf("trigger:\n  files: \"\"\n"),
            "/dags/sales.yaml:2:10: error: invalid `files` pattern '' in `trigger`: the pattern is "
            "empty \u2014 write which files start a run, e.g. 'incoming/*.csv'\n");
  EXPECT_EQ(ErrorsOf("trigger:\n  files: \"in*/today/*.csv\"\n"),
            "/dags/sales.yaml:2:10: error: invalid `files` pattern 'in*/today/*.csv' in `trigger`: "
            "the folder part has a wildcard in 'in*' \u2014 only the file name, after the last '/', "
            "may contain '*', '?' or '[...]'; name the folder exactly, e.g. 'incoming/*.csv'\n");
  EXPECT_EQ(ErrorsOf("trigger: {files: \"in/**/*.csv\"}\n"),
            "/dags/sales.yaml:1:18: error: invalid `files` pattern 'in/**/*.csv' in `trigger`: '**' "
            "is not supported \u2014 a trigger watches one folder: name it exactly and put a single "
            "'*' in the file name, e.g. 'incoming/*.csv'\n");
  EXPECT_EQ(ErrorsOf("trigger: {files: incoming/}\n"),
            "/dags/sales.yaml:1:18: error: invalid `files` pattern 'incoming/' in `trigger`: it does "
            "not end with a file name \u2014 add the names to match after the last '/', e.g. "
            "'incoming/*.csv'\n");
  EXPECT_EQ(ErrorsOf("trigger: {files: \"in/[0-9.csv\"}\n"),
            "/dags/sales.yaml:1:18: error: invalid `files` pattern 'in/[0-9.csv' in `trigger`: a '[' "
            "is not closed \u2014 close the set with ']', or write '[[]' to match a '[' itself\n");
}

const std::string kPooled = R"(defaults:
  pool: warehouse
tasks:
  - id: extract
    plugin: shell
    pool: production_mysql
    with: {command: x}
  - id: load
    plugin: shell
    with: {command: x}
  - id: report
    plugin: shell
    pool: ""
    with: {command: x}
)";

TEST(DagParserTest, TasksTakeTheirPoolElseTheDefaultsOne) {
  const DagLoadResult result = Load(kPooled);
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  EXPECT_EQ(result.dag->tasks[0].pool, "production_mysql");
  EXPECT_EQ(result.dag->tasks[1].pool, "warehouse");
  EXPECT_EQ(result.dag->tasks[2].pool, "");  // '' takes the task out of the defaults' pool
}

TEST(DagParserTest, DeclaredPoolsAreAccepted) {
  const std::set<std::string> declared = {"production_mysql", "warehouse"};
  const DagLoadResult result = Load(kPooled, "/dags/sales.yaml", &declared);
  EXPECT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
}

TEST(DagParserTest, AnUndeclaredPoolIsReportedAtItsPoolLine) {
  const std::set<std::string> declared = {"warehouse", "production-mysql"};
  EXPECT_EQ(Lines(Load(kPooled, "/dags/sales.yaml", &declared).diagnostics),
            "/dags/sales.yaml:6:11: error: pool 'production_mysql' in task 'extract' is not declared "
            "in the scheduler config \u2014 did you mean 'production-mysql'? declared pools: "
            "production-mysql, warehouse; to declare it, add 'production_mysql: SLOTS' under "
            "`pools:` in HOME/sluice.yaml\n");
}

TEST(DagParserTest, AnUndeclaredDefaultsPoolIsReportedOnceAtDefaults) {
  const std::set<std::string> declared = {"production_mysql", "api"};
  EXPECT_EQ(Lines(Load(kPooled, "/dags/sales.yaml", &declared).diagnostics),
            "/dags/sales.yaml:2:9: error: pool 'warehouse' in `defaults` is not declared in the "
            "scheduler config \u2014 declared pools: api, production_mysql; to declare it, add "
            "'warehouse: SLOTS' under `pools:` in HOME/sluice.yaml\n");
}

TEST(DagParserTest, WithNoPoolsDeclaredEveryPoolIsUndeclared) {
  const std::set<std::string> none;
  EXPECT_EQ(Lines(Load("tasks:\n  - {id: a, plugin: shell, pool: db, with: {command: x}}\n",
                       "/dags/sales.yaml", &none)
                      .diagnostics),
            "/dags/sales.yaml:2:34: error: pool 'db' in task 'a' is not declared in the scheduler "
            "config \u2014 no pools are declared; to declare it, add 'db: SLOTS' under `pools:` in "
            "HOME/sluice.yaml\n");
  // A task without a pool needs none declared.
  EXPECT_TRUE(Load(std::string(kTask), "/dags/sales.yaml", &none).dag.has_value());
}

TEST(DagParserTest, PoolNamesUseLettersDigitsUnderscoreAndDash) {
  EXPECT_EQ(Lines(Load("defaults: {pool: my.pool}\ntasks:\n  - id: a\n    plugin: shell\n"
                       "    pool: big db\n    with: {command: x}\n")
                      .diagnostics),
            "/dags/sales.yaml:1:18: error: invalid pool name 'my.pool' in `defaults` \u2014 use only "
            "letters, digits, '_' and '-', e.g. 'my_pool'\n"
            "/dags/sales.yaml:5:11: error: invalid pool name 'big db' in task 'a' \u2014 use only "
            "letters, digits, '_' and '-', e.g. 'big_db'\n");
  EXPECT_EQ(Lines(Load("tasks:\n  - {id: a, plugin: shell, pool: [x], with: {command: x}}\n").diagnostics),
            "/dags/sales.yaml:2:34: error: `pool` in task 'a' must be a pool name, got a list \u2014 "
            "write the name of a pool declared in the scheduler config, such as 'warehouse'\n");
}

TEST(DagParserTest, TheCorpusFileWithEveryDaemonKeyLoadsWithItsPoolsDeclared) {
  const std::string file = std::string(SLUICE_SOURCE_DIR) + "/tests/dags/valid/landing_orders.yaml";
  const std::set<std::string> declared = {"production_mysql", "warehouse"};
  const DagLoadResult result = LoadDagFile(file, CorpusPluginCatalog(), &declared);
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  const DagSpec& dag = *result.dag;
  EXPECT_EQ(dag.schedule, "0 2 * * *");
  EXPECT_TRUE(dag.catchup);
  EXPECT_EQ(dag.max_active_runs, 2);
  EXPECT_EQ(dag.max_active_tasks, 4);
  ASSERT_TRUE(dag.file_trigger.has_value());
  EXPECT_EQ(dag.file_trigger->pattern, std::string(SLUICE_SOURCE_DIR) + "/tests/dags/valid/landing/orders-*.csv");
  EXPECT_EQ(dag.file_trigger->as_written, "landing/orders-*.csv");
  EXPECT_EQ(dag.file_trigger->line, 10);
  ASSERT_EQ(dag.tasks.size(), 3u);
  EXPECT_EQ(dag.tasks[0].pool, "production_mysql");
  EXPECT_EQ(dag.tasks[1].pool, "warehouse");
  EXPECT_EQ(dag.tasks[2].pool, "");
  const std::set<std::string> only_warehouse = {"warehouse"};
  EXPECT_FALSE(LoadDagFile(file, CorpusPluginCatalog(), &only_warehouse).dag.has_value());
}

TEST(DagParserTest, UnknownTaskKeyListsPoolAmongTheValidOnes) {
  EXPECT_EQ(Lines(Load("tasks:\n  - {id: a, plugin: shell, pol: x, with: {command: x}}\n").diagnostics),
            "/dags/sales.yaml:2:28: error: unknown key 'pol' in task 'a' \u2014 did you mean 'pool'?\n");
}

}  // namespace
}  // namespace sluice
