// The broken-DAG corpus again, through the real binary and the real plugins: what a user
// sees from `sluice dags validate` must be exactly the expected diagnostics, exit code 2.
#include <algorithm>
#include <vector>

#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

namespace fs = std::filesystem;

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The lists that end some messages ("known plugins: …", "valid settings are: …") grow with
// every plugin and setting that ships; the corpus test with the in-memory catalog
// (scheduler/dag_corpus_test.cc) checks them exactly, so here they are cut off.
std::string WithoutLists(std::string text) {
  for (const std::string marker : {"known plugins: ", "valid settings are: "}) {
    for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
      const size_t end = text.find('\n', at);
      text.replace(at + marker.size(), end - at - marker.size(), "...");
    }
  }
  return text;
}

class DagCorpusCliTest : public SluiceCliTest {};

TEST_F(DagCorpusCliTest, RealPluginsProduceExactlyTheExpectedDiagnostics) {
  plugin_path_ = "";  // only the plugins that ship with sluice
  const fs::path corpus = fs::path(SLUICE_SOURCE_DIR) / "tests" / "dags" / "broken";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(corpus)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 45u);
  for (const fs::path& file : files) {
    fs::path expected_path = file;
    expected_path.replace_extension(".expected");
    CommandResult r = Sluice("dags validate " + ShellQuote(file.string()));
    EXPECT_EQ(r.exit_code, 2) << file.filename();
    EXPECT_EQ(WithoutLists(ReplaceAll(r.err, file.string(), "FILE")),
              WithoutLists(ReadFile(expected_path)))
        << "in " << file.filename().string();
  }
}

TEST_F(DagCorpusCliTest, ValidFilesShippedDagsAndExamplesPassWithTheRealPlugins) {
  plugin_path_ = "";
  // The pools the valid files use, declared as the scheduler would need them.
  WriteFile(dir_ / "home" / "sluice.yaml", "pools:\n  warehouse: 4\n  production_mysql: 2\n");
  const std::string root = SLUICE_SOURCE_DIR;
  CommandResult r = Sluice("dags validate " + root + "/tests/dags/valid " + root + "/dags " +
                           root + "/examples/*.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

TEST_F(DagCorpusCliTest, PoolsAreCheckedAgainstTheSchedulerConfig) {
  WriteFile(dir_ / "dags" / "pooled.yaml",
            "tasks:\n  - {id: a, plugin: shell, pool: warehouse, with: {command: \"true\"}}\n");
  CommandResult without = Sluice("dags validate");
  EXPECT_EQ(without.exit_code, 2);
  EXPECT_NE(without.err.find("pool 'warehouse' in task 'a' is not declared"), std::string::npos)
      << without.err;
  WriteFile(dir_ / "home" / "sluice.yaml", "pools:\n  warehouse: 4\n");
  CommandResult with = Sluice("dags validate");
  EXPECT_EQ(with.exit_code, 0) << with.err;
  nlohmann::json listed = Json("dags list --json");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0]["valid"].get<bool>());
  EXPECT_FALSE(listed[0]["paused"].get<bool>());
}

}  // namespace
}  // namespace sluice::testing
