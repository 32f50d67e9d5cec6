// Runs every file of tests/dags/ through the loader. Each broken file has a sibling
// `.expected` with the exact diagnostics, the file's path written as FILE.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scheduler/dag_loader.h"
#include "scheduler/fake_plugin_catalog_test_util.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(SLUICE_SOURCE_DIR) / "tests" / "dags";

std::vector<fs::path> YamlFilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string Render(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

TEST(DagCorpusTest, EveryBrokenFileProducesExactlyItsExpectedDiagnostics) {
  const FakePluginCatalog catalog = CorpusPluginCatalog();
  const std::vector<fs::path> files = YamlFilesIn(kCorpus / "broken");
  ASSERT_GE(files.size(), 45u) << "the broken corpus shrank";
  for (const fs::path& file : files) {
    fs::path expected_path = file;
    expected_path.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
    const std::string expected = ReadFile(expected_path);
    const DagLoadResult result = LoadDagFile(file.string(), catalog);
    const std::string actual = Replace(Render(result.diagnostics), file.string(), "FILE");
    EXPECT_EQ(actual, expected) << "in " << file.filename().string() << "\n--- expected:\n"
                                << expected << "--- actual:\n" << actual;
    EXPECT_FALSE(result.dag.has_value()) << file.filename().string();
    EXPECT_FALSE(result.dag_id.empty()) << file.filename().string();
    EXPECT_EQ(result.content_hash.size(), 16u) << file.filename().string();
  }
}

TEST(DagCorpusTest, EveryValidFileLoadsWithoutDiagnostics) {
  const FakePluginCatalog catalog = CorpusPluginCatalog();
  const std::vector<fs::path> files = YamlFilesIn(kCorpus / "valid");
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    const DagLoadResult result = LoadDagFile(file.string(), catalog);
    EXPECT_EQ(Render(result.diagnostics), "") << "in " << file.filename().string();
    ASSERT_TRUE(result.dag.has_value()) << file.filename().string();
    EXPECT_FALSE(result.dag->tasks.empty());
  }
}

}  // namespace
}  // namespace sluice
