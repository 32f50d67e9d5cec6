#include "scheduler/dag_loader.h"

#include <gtest/gtest.h>

#include "scheduler/fake_plugin_catalog_test_util.h"

namespace sluice {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

std::string Lines(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

TEST(DagLoaderTest, FillsTheModelFromAValidFile) {
  const FakePluginCatalog catalog = CorpusPluginCatalog();
  const DagLoadResult result = LoadDagText("/dags/sales.yaml", R"(
dag: daily_sales
description: Orders per day
schedule: "0 6 * * *"
timezone: Europe/Paris
params: {region: eu, limit: 10}
defaults: {retries: 2, retry_delay: 1m, timeout: 2h}
tasks:
  - id: extract
    plugin: extract.csv
    with: {path: "/in/{{ ds }}.csv", header: true}
  - id: load
    plugin: export.csv
    depends_on: extract
    retries: 0
    retry_delay: 10s
    timeout: 1h30m
    with: {path: "42", "null": ""}
)", catalog);
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  const DagSpec& dag = *result.dag;
  EXPECT_EQ(dag.id, "daily_sales");
  EXPECT_EQ(result.dag_id, "daily_sales");
  EXPECT_EQ(dag.file, "/dags/sales.yaml");
  EXPECT_EQ(dag.description, "Orders per day");
  EXPECT_EQ(dag.schedule, "0 6 * * *");
  EXPECT_EQ(dag.timezone, "Europe/Paris");
  EXPECT_EQ(dag.params, (std::vector<std::pair<std::string, std::string>>{{"region", "eu"}, {"limit", "10"}}));
  EXPECT_EQ(dag.content_hash, result.content_hash);
  ASSERT_EQ(dag.tasks.size(), 2u);

  const TaskSpec& extract = dag.tasks[0];
  EXPECT_EQ(extract.id, "extract");
  EXPECT_EQ(extract.plugin, "extract.csv");
  EXPECT_EQ(extract.line, 9);  // the text starts with a newline
  EXPECT_EQ(extract.retries, 2);
  EXPECT_EQ(extract.retry_delay, minutes(1));
  EXPECT_EQ(extract.timeout, hours(2));
  EXPECT_EQ(extract.with_json, R"({"header":true,"path":"/in/{{ ds }}.csv"})");

  const TaskSpec& load = dag.tasks[1];
  EXPECT_EQ(load.depends_on, std::vector<std::string>{"extract"});
  EXPECT_EQ(load.retries, 0);
  EXPECT_EQ(load.retry_delay, seconds(10));
  EXPECT_EQ(load.timeout, minutes(90));
  EXPECT_EQ(load.with_json, R"({"null":"","path":"42"})");
}

TEST(DagLoaderTest, DefaultsWithoutADefaultsSection) {
  const DagLoadResult result = LoadDagText(
      "/dags/minimal.yaml", "tasks:\n  - id: a\n    plugin: shell\n    with: {command: x}\n",
      CorpusPluginCatalog());
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  EXPECT_EQ(result.dag->id, "minimal");
  EXPECT_EQ(result.dag->timezone, "UTC");
  EXPECT_EQ(result.dag->schedule, "");
  EXPECT_EQ(result.dag->tasks[0].retries, 0);
  EXPECT_EQ(result.dag->tasks[0].retry_delay, seconds(30));
  EXPECT_FALSE(result.dag->tasks[0].timeout.has_value());
}

TEST(DagLoaderTest, StartAndEndDatesAreReadInTheDagsZone) {
  const DagLoadResult result = LoadDagText("/dags/nightly.yaml", R"(
schedule: "@every 1h30m"
timezone: America/New_York
start_date: 2026-03-08T01:30
end_date: 2026-03-09
tasks: [{id: a, plugin: shell, with: {command: x}}]
)", CorpusPluginCatalog());
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  const DagSpec& dag = *result.dag;
  EXPECT_EQ(dag.schedule, "@every 1h30m");
  ASSERT_TRUE(dag.start_date && dag.end_date);
  using std::chrono::system_clock;
  EXPECT_EQ(system_clock::to_time_t(*dag.start_date), 1772951400);  // 2026-03-08T06:30:00Z (EST)
  // A date alone ends with its day: 2026-03-09T23:59:59 EDT.
  EXPECT_EQ(system_clock::to_time_t(*dag.end_date), 1773115199);
}

TEST(DagLoaderTest, InvalidScheduleIsReportedAtItsValueWithTheFix) {
  const DagLoadResult result = LoadDagText(
      "f.yaml", "schedule: '*/5 * * * MON-FRY'\ntasks: [{id: a, plugin: shell, with: {command: x}}]\n",
      CorpusPluginCatalog());
  EXPECT_EQ(Lines(result.diagnostics),
            "f.yaml:1:11: error: invalid `schedule` '*/5 * * * MON-FRY': day-of-week field "
            "'MON-FRY': 'FRY' is not a number or a day name \u2014 did you mean 'FRI'? write "
            "values from 0 to 7 (0 and 7 are Sunday) or SUN-SAT\n");
}

TEST(DagLoaderTest, BrokenFileStillHasIdAndHash) {
  const DagLoadResult result =
      LoadDagText("/dags/x.yaml", "dag: named_one\ntasks: [\n", CorpusPluginCatalog());
  EXPECT_FALSE(result.dag.has_value());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.dag_id, "named_one");
  EXPECT_EQ(result.content_hash.size(), 16u);
}

TEST(DagLoaderTest, ContentHashFollowsTheBytes) {
  const FakePluginCatalog catalog = CorpusPluginCatalog();
  const std::string text = "tasks:\n  - {id: a, plugin: shell, with: {command: x}}\n";
  EXPECT_EQ(LoadDagText("a.yaml", text, catalog).content_hash,
            LoadDagText("b.yaml", text, catalog).content_hash);
  EXPECT_NE(LoadDagText("a.yaml", text, catalog).content_hash,
            LoadDagText("a.yaml", text + "\n", catalog).content_hash);
}

TEST(DagLoaderTest, InvalidFileStemWithoutDagKeyIsReported) {
  const DagLoadResult result =
      LoadDagText("/dags/my dag.yaml", "tasks:\n  - {id: a, plugin: shell, with: {command: x}}\n",
                  CorpusPluginCatalog());
  EXPECT_EQ(Lines(result.diagnostics),
            "/dags/my dag.yaml: error: the file name 'my dag' is not a valid DAG id \u2014 rename the "
            "file, or set `dag:` to a name of letters, digits, '_', '.' and '-'\n");
}

TEST(DagLoaderTest, PluginValidateErrorsPointAtTheSettingTheirJsonPointerNames) {
  FakePluginCatalog catalog;
  catalog.Add("shell", kShellSchema, [](const std::string&, const ConfigErrorFn& on_error) {
    on_error("/env/PATH", "must not override PATH");
    on_error("", "is not allowed on this host");
  });
  const DagLoadResult result = LoadDagText("f.yaml", R"(tasks:
  - id: run
    plugin: shell
    with:
      command: ls
      env:
        PATH: /tmp
)", catalog);
  EXPECT_EQ(Lines(result.diagnostics),
            "f.yaml:4:5: error: plugin 'shell' rejects `with` of task 'run': is not allowed on this host\n"
            "f.yaml:7:15: error: plugin 'shell' rejects setting `with.env.PATH` of task 'run': must not "
            "override PATH\n");
}

TEST(DagLoaderTest, PluginValidateIsSkippedWhenTheSchemaAlreadyFails) {
  FakePluginCatalog catalog;
  catalog.Add("shell", kShellSchema, [](const std::string&, const ConfigErrorFn& on_error) {
    on_error("/command", "never reached");
  });
  const DagLoadResult result =
      LoadDagText("f.yaml", "tasks:\n  - {id: a, plugin: shell, with: {cmd: ls}}\n", catalog);
  EXPECT_EQ(catalog.validate_calls(), 0);
  EXPECT_EQ(result.diagnostics.size(), 2u) << Lines(result.diagnostics);  // unknown cmd, missing command
}

TEST(DagLoaderTest, PluginValidateReceivesTheConfigAsJson) {
  std::string seen;
  FakePluginCatalog catalog;
  catalog.Add("shell", kShellSchema,
              [&](const std::string& json, const ConfigErrorFn&) { seen = json; });
  const DagLoadResult result = LoadDagText(
      "f.yaml", "tasks:\n  - {id: a, plugin: shell, with: {command: 'ls', cwd: /tmp}}\n", catalog);
  EXPECT_TRUE(result.diagnostics.empty()) << Lines(result.diagnostics);
  EXPECT_EQ(seen, R"({"command":"ls","cwd":"/tmp"})");
}

TEST(DagLoaderTest, EmptyCatalogSaysNoPluginsAreInstalled) {
  const FakePluginCatalog none;
  const DagLoadResult result = LoadDagText("f.yaml", "tasks:\n  - {id: a, plugin: shell}\n", none);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics[0].how_to_fix.find("no plugins are installed"), std::string::npos);
}

TEST(DagLoaderTest, AMalformedPluginSchemaIsReportedNotFatal) {
  FakePluginCatalog catalog;
  catalog.Add("broken", "{not json");
  const DagLoadResult result = LoadDagText("f.yaml", "tasks:\n  - {id: a, plugin: broken}\n", catalog);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics[0].what.find("unusable configuration schema"), std::string::npos);
}

TEST(DagLoaderTest, MissingFileIsADiagnostic) {
  const DagLoadResult result = LoadDagFile("/nonexistent/dir/etl.yaml", CorpusPluginCatalog());
  EXPECT_FALSE(result.dag.has_value());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].line, 0);
  EXPECT_EQ(result.dag_id, "etl");
}

TEST(DagLoaderTest, LargeValidDagLoadsInFileOrder) {
  std::string text = "tasks:\n";
  for (int i = 0; i < 500; ++i) {
    text += "  - id: t" + std::to_string(i) + "\n    plugin: shell\n    with: {command: echo}\n";
    if (i > 0) text += "    depends_on: [t" + std::to_string(i - 1) + "]\n";
  }
  const DagLoadResult result = LoadDagText("big.yaml", text, CorpusPluginCatalog());
  ASSERT_TRUE(result.dag.has_value()) << Lines(result.diagnostics);
  EXPECT_EQ(result.dag->tasks.size(), 500u);
  EXPECT_EQ(result.dag->tasks[499].id, "t499");
}

}  // namespace
}  // namespace sluice
