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
    EXPECT_EQ(ReplaceAll(r.err, file.string(), "FILE"), ReadFile(expected_path))
        << "in " << file.filename().string();
  }
}

TEST_F(DagCorpusCliTest, ValidFilesPassWithTheRealPlugins) {
  plugin_path_ = "";
  CommandResult r =
      Sluice("dags validate " + std::string(SLUICE_SOURCE_DIR) + "/tests/dags/valid " +
             SLUICE_SOURCE_DIR + "/dags");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace sluice::testing
